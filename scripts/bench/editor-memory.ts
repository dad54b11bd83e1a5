// The editor's side of `npm run bench`: how soon a chosen video's waveform appears, how long the
// whole of it takes, and how much the browser grows meanwhile (a video read whole would add its size).
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchExtension } from '../../tests/e2e/helpers/browser.ts';
import { sampleMemory, watchMemory } from '../../tests/e2e/helpers/proc-memory.ts';

export interface EditorBenchInput {
  path: string;
  label?: string;
}

interface EditorMarks {
  chosenAt?: number;
  shownAt?: number;
  doneAt?: number;
}

type MarkedWindow = Window & { __editorMarks?: EditorMarks };

/**
 * In the editor page: when the file input changes, when the canvas first has waveform (pixels below
 * its ruler) and when "Reading the sound…" has gone with both handles shown, checked every frame.
 */
function watchEditor(readingText: string) {
  const marks: EditorMarks = {};
  (window as MarkedWindow).__editorMarks = marks;
  document.addEventListener('change', () => (marks.chosenAt ??= performance.now()), { capture: true });
  const rulerPixels = 24 * devicePixelRatio;
  const frame = () => {
    if (marks.chosenAt !== undefined) {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas[role=img]');
      if (marks.shownAt === undefined && canvas && canvas.height > rulerPixels) {
        const { data } = canvas
          .getContext('2d')!
          .getImageData(0, rulerPixels, canvas.width, canvas.height - rulerPixels);
        if (data.some((value, index) => index % 4 === 3 && value > 0)) marks.shownAt = performance.now();
      }
      const handles = document.querySelectorAll('[role=slider]').length === 2;
      if (marks.shownAt !== undefined && handles && !document.body.innerText.includes(readingText)) {
        marks.doneAt = performance.now();
        return;
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);

/** Opens each video in the editor of a fresh browser; returns (and prints) the table of what it measured. */
export async function benchEditor(inputs: EditorBenchInput[]): Promise<string> {
  const rows: string[] = [];
  for (const input of inputs) {
    const bytes = (await stat(input.path)).size;
    console.error(`bench: the editor, ${input.label ?? basename(input.path)}…`);
    const session = await launchExtension();
    try {
      const profile = join(dirname(session.downloadsDir), 'profile');
      const editor = await session.context.newPage();
      await editor.setViewportSize({ width: 1000, height: 760 });
      await editor.goto(`chrome-extension://${session.extensionId}/editor.html`);
      await editor.getByLabel('Choose video').waitFor();
      // tsx keeps function names by wrapping named functions in __name(), which the page doesn't have.
      await editor.evaluate('globalThis.__name ??= (fn) => fn');
      await editor.evaluate(watchEditor, 'Reading the sound…');
      const before = sampleMemory(profile);
      const watch = watchMemory(profile, undefined, 100);
      let marks: EditorMarks = {};
      try {
        await editor.getByLabel('Choose video').setInputFiles(input.path);
        for (const deadline = Date.now() + 30 * 60_000; Date.now() < deadline; await editor.waitForTimeout(250)) {
          marks = await editor.evaluate(() => ({ ...(window as MarkedWindow).__editorMarks }));
          const failure = await editor.getByRole('alert').allInnerTexts();
          if (failure.length > 0) throw new Error(`the editor says: ${failure.join(' ')}`);
          if (marks.doneAt !== undefined) break;
        }
      } finally {
        watch.stop();
      }
      const since = (at: number | undefined) => (at === undefined ? undefined : at - marks.chosenAt!);
      rows.push(
        `| ${input.label ?? basename(input.path)} | ${(bytes / 1e6).toFixed(0)} MB | ${seconds(since(marks.shownAt))} | ` +
          `${seconds(since(marks.doneAt))} | +${watch.peak.totalMb - before.totalMb} MB | ` +
          `+${watch.peak.largestMb - before.largestMb} MB |`,
      );
    } finally {
      await session.close();
    }
  }
  const table = [
    '| editor input | size | waveform shown | whole waveform | browser memory growth | largest process growth |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}\n`);
  return table;
}

// `npx tsx scripts/bench/editor-memory.ts video…`: just this part, on the given videos (after `npm run build`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await benchEditor(process.argv.slice(2).map((path) => ({ path })));
