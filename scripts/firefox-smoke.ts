#!/usr/bin/env -S npx tsx --experimental-websocket
// `npm run smoke:firefox -- video…`: a manual check in a real Firefox (not part of `npm test`, which
// needs only Chromium). Starts headless Firefox (FIREFOX, else firefox-esr) with the built add-on
// installed temporarily over WebDriver BiDi, picks the videos in its popup and waits for the MP3s.
// Node 20 needs --experimental-websocket for WebSocket (the npm script passes it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = fileURLToPath(new URL('../.output/firefox-mv3', import.meta.url));
const videos = process.argv.slice(2).map((path) => resolve(path));
if (videos.length === 0) throw new Error('Name at least one video to convert.');
const UUID = '5eb7e0a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const PORT = 9333;

const profile = mkdtempSync(join(tmpdir(), 'firefox-smoke-'));
const downloads = mkdtempSync(join(tmpdir(), 'firefox-smoke-mp3s-'));
const prefs = {
  // A fixed moz-extension:// host, so the popup's address is known.
  'extensions.webextensions.uuids': JSON.stringify({ 'video-to-mp3@nemovideo.ai': UUID }),
  'browser.download.folderList': 2,
  'browser.download.dir': downloads,
  'browser.download.useDownloadDir': true,
  'browser.download.always_ask_before_handling_new_types': false,
  'browser.shell.checkDefaultBrowser': false,
};
writeFileSync(
  join(profile, 'user.js'),
  Object.entries(prefs)
    .map(([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});`)
    .join('\n'),
);

// System access lets the script open the popup page in a tab, which BiDi navigation refuses.
const firefox = spawn(process.env.FIREFOX ?? 'firefox-esr', [
  '-headless',
  '--no-remote',
  '--profile',
  profile,
  '--remote-debugging-port',
  String(PORT),
  '-remote-allow-system-access',
]);
let output = '';
firefox.stderr.on('data', (chunk) => (output += chunk));
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function bidiUrl() {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const found = output.match(/WebDriver BiDi listening on (ws:\/\/\S+)/);
    if (found) return `${found[1]}/session`;
  }
  throw new Error(`Firefox did not start:\n${output}`);
}

/** A WebDriver BiDi reply, as far as this script reads it (events, which have no id, are never waited for). */
type BidiReply = { id: number; type: 'success'; result: unknown } | { id: number; type: 'error'; message: string };

/** The parts of BiDi results this script reads. */
interface BrowsingContextTree {
  contexts: { context: string; url: string }[];
}
/** What script.evaluate hands back: a remote value (a node's comes with its sharedId). */
interface EvaluateResult<Value> {
  result: { value: Value; sharedId?: string };
}

const socket = new WebSocket(await bidiUrl());
await new Promise((opened, failed) => ((socket.onopen = opened), (socket.onerror = failed)));
let lastId = 0;
const waiting = new Map<number, (reply: BidiReply) => void>();
socket.onmessage = ({ data }: MessageEvent<string>) => {
  const message = JSON.parse(data) as BidiReply;
  waiting.get(message.id)?.(message);
  waiting.delete(message.id);
};
function send<Result>(method: string, params: object = {}): Promise<Result> {
  const id = ++lastId;
  socket.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) =>
    waiting.set(id, (reply) =>
      reply.type === 'error' ? reject(new Error(`${method}: ${reply.message}`)) : resolve(reply.result as Result),
    ),
  );
}
const evaluate = async <Value = unknown>(context: string, expression: string, extra = {}) => {
  const params = { target: { context }, expression, awaitPromise: false, ...extra };
  return (await send<EvaluateResult<Value>>('script.evaluate', params)).result;
};

try {
  await send('session.new', { capabilities: {} });
  await send('webExtension.install', { extensionData: { type: 'path', path: extensionDir } });
  const chromeTree = await send<BrowsingContextTree>('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const [browserWindow] = chromeTree.contexts;
  if (!browserWindow) throw new Error('Firefox has no browser window.');
  const popupUrl = `moz-extension://${UUID}/popup.html`;
  await evaluate(
    browserWindow.context,
    `gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(popupUrl)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); 0`,
  );
  let popup: string | undefined;
  for (const deadline = Date.now() + 10_000; !popup && Date.now() < deadline; await sleep(200)) {
    const { contexts } = await send<BrowsingContextTree>('browsingContext.getTree', {});
    popup = contexts.find((context) => context.url === popupUrl)?.context;
  }
  if (!popup) throw new Error('The popup did not open.');
  await sleep(1000);
  const input = await evaluate(popup, 'document.querySelector("input[type=file]")', { resultOwnership: 'root' });
  await send('input.setFiles', { context: popup, element: { sharedId: input.sharedId }, files: videos });

  const expected = videos.map((video) => basename(video).replace(/\.[^.]+$/, '.mp3'));
  let shown = '';
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(1000)) {
    const text = (await evaluate<string>(popup, 'document.body.innerText')).value;
    if (text !== shown) console.log(`--- popup ---\n${(shown = text)}`);
    const failed = (await evaluate<number>(popup, 'document.querySelectorAll("[role=alert]").length')).value;
    const saved = readdirSync(downloads).filter((name) => name.endsWith('.mp3')).length;
    if (!/Adding|Waiting|Reading|Converting|Saving/.test(text) && saved + failed >= videos.length) break;
  }
  const saved = readdirSync(downloads).filter((name) => name.endsWith('.mp3'));
  const missing = expected.filter((name) => !saved.includes(name));
  console.log(`\nMP3s in ${downloads}: ${saved.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}`);
  if (missing.length > 0) process.exitCode = 1;
} finally {
  socket.close();
  firefox.kill();
  firefox.on('exit', () => rmSync(profile, { recursive: true, force: true }));
}
