#!/usr/bin/env -S npx tsx --experimental-websocket
// `npm run smoke:firefox -- video…`: converts the given videos in a real headless Firefox (FIREFOX,
// else firefox-esr) through the add-on's popup, leaves the MP3s in one folder and names it. The
// Firefox tests (`npm run test:firefox`) drive Firefox with the same helper.
import { basename, resolve } from 'node:path';
import { Firefox } from '../tests/firefox/helpers/firefox';

const videos = process.argv.slice(2).map((path) => resolve(path));
if (videos.length === 0) throw new Error('Name at least one video to convert.');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const firefox = await Firefox.launch();
try {
  const popup = await firefox.openExtensionPage('popup.html');
  await popup.setFiles('input[type=file]', videos);
  const expected = videos.map((video) => basename(video).replace(/\.[^.]+$/, '.mp3'));
  let shown = '';
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(1000)) {
    const text = await popup.run(() => document.body.innerText);
    if (text !== shown) console.log(`--- popup ---\n${(shown = text)}`);
    const failed = await popup.run(() => document.querySelectorAll('[role=alert]').length);
    const saved = firefox.downloaded().filter((name) => name.endsWith('.mp3')).length;
    if (!/Adding|Waiting|Reading|Converting|Saving/.test(text) && saved + failed >= videos.length) break;
  }
  const saved = firefox.downloaded().filter((name) => name.endsWith('.mp3'));
  const missing = expected.filter((name) => !saved.includes(name));
  console.log(
    `\nMP3s in ${firefox.downloads}: ${saved.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}`,
  );
  if (missing.length > 0) process.exitCode = 1;
} finally {
  await firefox.quit();
}
