import { readdirSync, readFileSync } from 'node:fs';

export interface MemorySample {
  /** Proportional set size of the browser and all its processes (shared pages counted once). */
  totalMb: number;
  /** Resident size of the biggest single process (a runaway decoder shows here). */
  largestMb: number;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function kb(text: string | undefined, field: string): number {
  const match = text?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : 0;
}

/** The browser started on `profileDir` and every process below it, from /proc (Linux only). */
function browserProcesses(profileDir: string): number[] {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const parentOf = new Map(
    pids.map((pid) => [
      pid,
      Number(
        read(`/proc/${pid}/stat`)
          ?.replace(/^.*\) /s, '')
          .split(' ')[1],
      ),
    ]),
  );
  const roots = pids.filter((pid) =>
    read(`/proc/${pid}/cmdline`)?.split('\0').includes(`--user-data-dir=${profileDir}`),
  );
  const family = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const pid of pids) {
      if (family.has(pid) || !family.has(parentOf.get(pid) ?? -1)) continue;
      family.add(pid);
      grew = true;
    }
  }
  return [...family];
}

export function sampleMemory(profileDir: string): MemorySample {
  let total = 0;
  let largest = 0;
  for (const pid of browserProcesses(profileDir)) {
    total += kb(read(`/proc/${pid}/smaps_rollup`), 'Pss') || kb(read(`/proc/${pid}/status`), 'VmRSS');
    largest = Math.max(largest, kb(read(`/proc/${pid}/status`), 'VmRSS'));
  }
  return { totalMb: Math.round(total / 1024), largestMb: Math.round(largest / 1024) };
}

/** Samples every `intervalMs` and keeps the peaks (going on from `peak`, when given). */
export function watchMemory(
  profileDir: string,
  peak: MemorySample = { totalMb: 0, largestMb: 0 },
  intervalMs = 500,
): { peak: MemorySample; stop(): void } {
  const timer = setInterval(() => {
    const now = sampleMemory(profileDir);
    peak.totalMb = Math.max(peak.totalMb, now.totalMb);
    peak.largestMb = Math.max(peak.largestMb, now.largestMb);
  }, intervalMs);
  return { peak, stop: () => clearInterval(timer) };
}
