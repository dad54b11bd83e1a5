// `--trace`: records a Chrome trace (every process, every thread) around one extension run and
// sums the CPU time of each thread's top-level tasks, to show where a conversion's time goes.
import type { Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; labels?: string };
}

/** CPU ms per thread, "process label / thread name", busiest first. */
export interface CpuByThread {
  thread: string;
  cpuMs: number;
  wallMs: number;
}

export async function traceCpu<T>(
  page: Page,
  during: () => Promise<T>,
): Promise<{ result: T; threads: CpuByThread[] }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', '__metadata'], recordMode: 'recordContinuously' },
  });
  let result: T;
  try {
    result = await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach().catch(() => undefined);
  }
  return { result, threads: summarize(events) };
}

function summarize(events: TraceEvent[]): CpuByThread[] {
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name' && e.args?.name) processNames.set(e.pid, e.args.name);
    if (e.name === 'process_labels' && e.args?.labels) processNames.set(e.pid, `renderer (${e.args.labels})`);
    if (e.name === 'thread_name' && e.args?.name) threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  const totals = new Map<string, CpuByThread>();
  for (const e of events) {
    // Top-level tasks don't nest, so their sums are each thread's busy time.
    if (e.ph !== 'X' || !e.name.startsWith('ThreadControllerImpl::RunTask')) continue;
    const thread = `${processNames.get(e.pid) ?? `pid ${e.pid}`} / ${threadNames.get(`${e.pid}:${e.tid}`) ?? e.tid} (${e.pid})`;
    const entry = totals.get(thread) ?? { thread, cpuMs: 0, wallMs: 0 };
    entry.cpuMs += (e.tdur ?? e.dur ?? 0) / 1000;
    entry.wallMs += (e.dur ?? 0) / 1000;
    totals.set(thread, entry);
  }
  return [...totals.values()].filter((t) => t.cpuMs >= 5).sort((a, b) => b.cpuMs - a.cpuMs);
}
