// The ffmpeg.wasm row of `npm run bench`, in a Node process of its own so that its peak RSS is ffmpeg.wasm's
// alone. Plain JavaScript for that reason: run through tsx like bench.ts, the process would also hold the
// runner, some 30 MB more.
// Usage: node scripts/bench-wasm-child.mjs <ffmpeg-core.js> <input> <output> <ffmpeg output args…>
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const now = () => performance.timeOrigin + performance.now();

async function wasmChild(coreJs, inputPath, outputPath, outputArgs) {
  const started = now();
  // The core is built for web workers and finds its directory through self.location.
  globalThis.self = { location: { href: pathToFileURL(coreJs).href } };
  const { default: createFFmpegCore } = await import(pathToFileURL(coreJs).href);
  const wasmBinary = await readFile(coreJs.replace(/\.js$/, '.wasm'));
  const messages = [];
  const keep = (line) => messages.push(line) > 50 && messages.shift();
  const core = await createFFmpegCore({ wasmBinary, print: keep, printErr: keep });
  const loadedMs = now() - started;
  core.FS.writeFile('/in.mp4', await readFile(inputPath));
  const code = core.exec('-i', '/in.mp4', ...outputArgs, '/out.mp3');
  if (code !== 0) throw new Error(`ffmpeg.wasm exited with ${code}:\n${messages.join('\n')}`);
  const mp3 = core.FS.readFile('/out.mp3');
  const wallMs = now() - started;
  await writeFile(outputPath, mp3);
  process.stdout.write(`${JSON.stringify({ wallMs, loadedMs, peakBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

const [coreJs, inputPath, outputPath, ...outputArgs] = process.argv.slice(2);
wasmChild(coreJs, inputPath, outputPath, outputArgs).catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
