import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { NemoVideoServer } from '../../cloud-server/server';
import { analyzeMp3 } from './mp3';
import { fixture } from './popup';

/** The extension's version, which it sends NemoVideo as X-Skill-Version. */
const packageVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The MP3 the cloud made of clip.mp4: an MP3 at 192 kbps, as long as the clip's sound. */
export async function expectCloudClipMp3(path: string): Promise<void> {
  const mp3 = await analyzeMp3(path);
  const expected = fixture('clip.mp4').expect;
  if (!expected.ok) throw new Error('clip.mp4 is a good clip');
  expect(mp3).toMatchObject({ codec: 'mp3', bitrateKbps: 192, sampleRate: expected.sampleRate });
  expect(Math.abs(mp3.durationSeconds - expected.sourceAudioSeconds)).toBeLessThan(0.1);
}

/** A whole cloud conversion's calls were made (token, session, upload, chat, export), each attributed. */
export function expectAttributedCloudCalls(
  server: NemoVideoServer,
  platform: 'chrome-extension' | 'firefox-extension',
): void {
  const calls = server.requests.filter((request) => request.path.startsWith('/api') || request.path === '/run_sse');
  expect(calls.map((request) => `${request.method} ${request.path.split('/').slice(0, 4).join('/')}`)).toEqual(
    expect.arrayContaining([
      'POST /api/auth/anonymous-token',
      'POST /api/tasks/me',
      'POST /api/upload-video/nemo_agent',
      'POST /run_sse',
      'POST /api/render/proxy',
    ]),
  );
  for (const call of calls) {
    expect(call.headers['x-skill-source']).toBe('video-to-mp3');
    expect(call.headers['x-skill-version']).toBe(packageVersion);
    expect(call.headers['x-skill-platform']).toBe(platform);
  }
}
