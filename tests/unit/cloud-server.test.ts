import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  NemoVideoClient,
  type ChatUpdate,
  type CloudCredentials,
  type CloudLimits,
} from '@/utils/engines/cloud/client';
import { summarizeState, isDraftReady } from '@/utils/engines/cloud/draft';
import { CloudError, describeCloudError, type CloudErrorKind } from '@/utils/engines/cloud/errors';
import { translateGuiWording } from '@/utils/engines/cloud/gui-wording';
import { startNemoVideoServer, type Faults, type NemoVideoServer } from '../cloud-server/server';

const run = promisify(execFile);
const CLIP_SECONDS = 2;
const MESSAGE = 'extract the audio from this video as an MP3 file';

let server: NemoVideoServer;
let workDir: string;
let clip: string;

beforeAll(async () => {
  server = await startNemoVideoServer({ port: 0 });
  workDir = await mkdtemp(join(tmpdir(), 'cloud-server-test-'));
  clip = join(workDir, 'clip.mp4');
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=15:duration=${CLIP_SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${CLIP_SECONDS}`],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
  ]);
});

afterAll(async () => {
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

afterEach(() => server.setFaults({}));

/** A client with its own credentials (so its own anonymous user); waits are 20 times shorter. */
function newClient(limits?: Partial<CloudLimits>) {
  let stored: CloudCredentials = {};
  const sleep = vi.fn(
    (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        setTimeout(resolve, ms / 20);
      }),
  );
  const client = new NemoVideoClient({
    baseUrl: server.url,
    version: '1.0.0',
    platform: 'test',
    credentials: { get: async () => ({ ...stored }), set: async (next) => void (stored = { ...next }) },
    sleep,
    limits,
  });
  return { client, sleep, credentials: () => stored };
}

async function uploadFile(client: NemoVideoClient, sessionId: string, path: string, name: string, type = 'video/mp4') {
  const file = new Blob([await readFile(path)], { type });
  return client.upload(sessionId, async (target) => {
    const form = new FormData();
    form.append(target.field, file, name);
    const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: form });
    return { status: response.status, body: await response.json() };
  });
}

/** A session with the clip uploaded and the audio extracted. */
async function preparedSession(limits?: Partial<CloudLimits>) {
  const { client, credentials } = newClient(limits);
  const session = await client.createSession('en');
  await uploadFile(client, session.sessionId, clip, 'clip.mp4');
  await client.chat(session.sessionId, session.userId ?? '', MESSAGE, () => {});
  const state = await client.state(session.sessionId);
  return { client, sessionId: session.sessionId, userId: session.userId ?? '', draft: state.draft ?? {}, credentials };
}

async function probe(bytes: Blob, name: string) {
  const path = join(workDir, name);
  await writeFile(path, Buffer.from(await bytes.arrayBuffer()));
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  return JSON.parse(stdout) as {
    format: { format_name: string; duration: string; bit_rate: string };
    streams: { codec_type: string; codec_name: string }[];
  };
}

async function kindOf(promise: Promise<unknown>): Promise<CloudErrorKind> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CloudError);
  return (error as CloudError).kind;
}

const requestsTo = (path: string) => server.requests.filter((request) => request.path === path);

describe('NemoVideoClient against the stand-in server', { timeout: 30_000 }, () => {
  it('goes from a token to a real MP3', async () => {
    const { client, credentials } = newClient();
    const firstRequest = server.requests.length;

    expect(await client.ensureToken()).toMatch(/^nmv_usr_[0-9a-f]+$/);
    expect(credentials().expiresAt).toBeGreaterThan(Date.now() + 6.9 * 24 * 60 * 60 * 1000);
    const session = await client.createSession('en');
    expect(session.userId).toBe(credentials().userId);

    const upload = await uploadFile(client, session.sessionId, clip, 'clip.mp4');
    expect(upload.files).toHaveLength(1);
    expect(upload.files[0]).toMatchObject({
      fileName: 'clip.mp4',
      fileType: 'video',
      width: 160,
      height: 120,
      fps: 15,
    });
    expect(upload.files[0]?.durationSeconds).toBeCloseTo(CLIP_SECONDS, 1);
    expect(isDraftReady((await client.state(session.sessionId)).draft)).toBe(false);

    const events: ChatUpdate[] = [];
    const text = await client.chat(session.sessionId, session.userId ?? '', MESSAGE, (event) => events.push(event));
    expect(text).toBe('Done! Click Export to download your MP3.');
    expect(translateGuiWording(text).actions).toEqual(['export']);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['heartbeat', 'tool', 'text']));
    expect(await client.credits()).toEqual({ available: 90, frozen: 0, total: 90 });

    const state = await client.state(session.sessionId);
    const summary = summarizeState(state);
    expect(summary).toMatchObject({ ready: true, trackCount: 1, audioSegmentCount: 1 });
    expect(summary.durationSeconds).toBeCloseTo(upload.files[0]?.durationSeconds ?? 0, 2);

    const job = await client.startExport(session.sessionId, state.draft ?? {}, { format: 'mp3', audioBitrate: 192 });
    expect(job).toMatchObject({ id: expect.stringMatching(/^render_/), status: 'pending' });
    const statuses: string[] = [];
    const done = await client.pollExport(job.id, { onProgress: (_progress, status) => statuses.push(status) });
    expect(statuses).toContain('processing');
    expect(statuses.at(-1)).toBe('completed');
    expect(done.outputUrl).toBe(`${server.url}/renders/${job.id}.mp3`);

    const mp3 = await client.download(done.id, done.outputUrl);
    const info = await probe(mp3, 'result.mp3');
    expect(info.format.format_name).toBe('mp3');
    expect(info.streams.map((stream) => stream.codec_name)).toEqual(['mp3']);
    expect(Number(info.format.bit_rate)).toBeGreaterThan(185_000);
    expect(Number(info.format.bit_rate)).toBeLessThan(200_000);
    expect(Number(info.format.duration)).toBeCloseTo(CLIP_SECONDS, 0);

    const apiRequests = server.requests
      .slice(firstRequest)
      .filter((request) => request.path.startsWith('/api/') || request.path === '/run_sse');
    for (const request of apiRequests) {
      expect(request.headers['x-skill-source'], request.path).toBe('video-to-mp3');
      expect(request.headers['x-skill-version'], request.path).toBe('1.0.0');
      expect(request.headers['x-skill-platform'], request.path).toBe('test');
      if (request.path === '/api/auth/anonymous-token')
        expect(request.headers['x-client-id']).toBe(credentials().clientId);
      else expect(request.headers.authorization, request.path).toBe(`Bearer ${credentials().token}`);
    }
    expect(requestsTo('/run_sse').at(-1)?.body).toEqual({
      app_name: 'nemo_agent',
      user_id: session.userId,
      session_id: session.sessionId,
      new_message: { parts: [{ text: MESSAGE }] },
    });
  });

  it('freezes the credits of an edit while it runs', async () => {
    const { client } = newClient();
    const session = await client.createSession('en');
    const chatting = client.chat(session.sessionId, session.userId ?? '', MESSAGE, () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await client.credits()).toEqual({ available: 90, frozen: 10, total: 100 });
    expect(await kindOf(client.chat(session.sessionId, session.userId ?? '', 'again', () => {}))).toBe('busy');
    await chatting;
    expect(await client.credits()).toEqual({ available: 90, frozen: 0, total: 90 });
  });

  it('uploads by URL', async () => {
    const { client } = newClient();
    const session = await client.createSession('en');
    const [uploaded] = (await uploadFile(client, session.sessionId, clip, 'clip.mp4')).files;
    const again = await client.uploadFromUrls(session.sessionId, [uploaded?.url ?? '']);
    expect(again.files[0]?.durationSeconds).toBeCloseTo(CLIP_SECONDS, 1);
  });

  describe('faults', () => {
    it('token expired once: a new token, the call retried', async () => {
      const { client, credentials } = newClient();
      const first = await client.ensureToken();
      const tokenCalls = requestsTo('/api/auth/anonymous-token').length;
      server.setFaults({ tokenExpiredOnce: true });
      expect((await client.credits()).available).toBe(100);
      expect(requestsTo('/api/auth/anonymous-token')).toHaveLength(tokenCalls + 1);
      expect(credentials().token).not.toBe(first);
      expect(server.faults.tokenExpiredOnce).toBe(false);
    });

    it('session lost once: session-lost, and a new session works', async () => {
      const { client } = newClient();
      const session = await client.createSession('en');
      server.setFaults({ sessionLostOnce: true });
      expect(await kindOf(client.state(session.sessionId))).toBe('session-lost');
      const next = await client.createSession('en');
      expect((await client.state(next.sessionId)).draft).toEqual({ t: [] });
    });

    it('missing client id once: a new client id, the token call retried', async () => {
      const { client, credentials } = newClient();
      server.setFaults({ missingClientIdOnce: true });
      const before = requestsTo('/api/auth/anonymous-token').length;
      await client.ensureToken();
      const ids = requestsTo('/api/auth/anonymous-token')
        .slice(before)
        .map((request) => request.headers['x-client-id']);
      expect(ids).toHaveLength(2);
      expect(ids[0]).not.toBe(ids[1]);
      expect(ids[1]).toBe(credentials().clientId);
    });

    it('rate limited once: waits for Retry-After, then retries', async () => {
      const { client, sleep } = newClient();
      await client.ensureToken();
      server.setFaults({ rateLimitedOnce: true });
      expect((await client.credits()).available).toBe(100);
      expect(sleep).toHaveBeenCalledWith(1000, undefined);
    });

    it.each([
      ['the no-credits fault', () => server.setFaults({ noCredits: true })],
      ['credits used up', (userId: string) => void (server.credits.get(userId)!.available = 5)],
    ])('no credits (%s): 2001 with the registration link', async (_label, arrange) => {
      const { client } = newClient();
      const session = await client.createSession('en');
      arrange(session.userId ?? '');
      const error = (await client
        .chat(session.sessionId, session.userId ?? '', MESSAGE, () => {})
        .catch((reason: unknown) => reason)) as CloudError;
      expect(error).toMatchObject({ kind: 'no-credits', code: 2001, bindId: session.userId });
      expect(describeCloudError(error)).toContain(`https://nemovideo.ai/register?bind=${session.userId}`);
    });

    it.each<[string, () => void, string, string, CloudErrorKind]>([
      [
        'the unsupported-file fault',
        () => server.setFaults({ unsupportedFile: true }),
        'clip.mp4',
        'video/mp4',
        'unsupported-file',
      ],
      ['a text file', () => {}, 'notes.txt', 'text/plain', 'unsupported-file'],
      ['the too-large fault', () => server.setFaults({ tooLarge: true }), 'clip.mp4', 'video/mp4', 'too-large'],
    ])('upload refused: %s', async (_label, arrange, name, type, kind) => {
      const { client } = newClient();
      const session = await client.createSession('en');
      arrange();
      expect(await kindOf(uploadFile(client, session.sessionId, clip, name, type))).toBe(kind);
    });

    it.each(['simple', 'adk'] as const)('chat events in the %s shape', async (sseShape) => {
      server.setFaults({ sseShape });
      const { client } = newClient();
      const session = await client.createSession('en');
      const events: ChatUpdate[] = [];
      expect(await client.chat(session.sessionId, session.userId ?? '', MESSAGE, (event) => events.push(event))).toBe(
        'Done! Click Export to download your MP3.',
      );
      expect(events.filter((event) => event.type === 'tool')).toHaveLength(2);
      expect(events.filter((event) => event.type === 'text')).toHaveLength(1);
    });

    it('chat without text: the state shows what changed', async () => {
      server.setFaults({ chatWithoutText: true });
      const { client } = newClient();
      const session = await client.createSession('en');
      await uploadFile(client, session.sessionId, clip, 'clip.mp4');
      expect(await client.chat(session.sessionId, session.userId ?? '', MESSAGE, () => {})).toBe('');
      expect(summarizeState(await client.state(session.sessionId))).toMatchObject({
        ready: true,
        audioSegmentCount: 1,
      });
    });

    it.each([
      ['total_granted and total_consumed', 'granted'],
      ['numbers as strings', 'strings'],
    ] as const)('credits with %s', async (_label, creditsShape) => {
      server.setFaults({ creditsShape });
      expect(await newClient().client.credits()).toEqual({ available: 100, frozen: 0, total: 100 });
    });

    it('can be switched over HTTP', async () => {
      const response = await fetch(`${server.url}/__faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sseShape: 'adk', planBlocked: true }),
      });
      expect(await response.json()).toEqual({ ok: true, faults: { sseShape: 'adk', planBlocked: true } });
      expect(server.faults).toEqual({ sseShape: 'adk', planBlocked: true });
      expect(await (await fetch(`${server.url}/__faults`)).json()).toEqual({
        ok: true,
        faults: { sseShape: 'adk', planBlocked: true },
      });
    });
  });

  describe('faults that must end in a failure, not a wait', () => {
    const SHORT = { cloudRequestMs: 400, cloudStreamIdleMs: 600 };

    it.each<
      [string, Faults, (client: NemoVideoClient, sessionId: string) => Promise<unknown>, string, CloudErrorKind, number]
    >([
      [
        'a hung POST: no-reply, not sent again',
        { hangOnce: 'session' },
        (client) => client.createSession('en'),
        '/api/tasks/me/with-session/nemo_agent',
        'no-reply',
        1,
      ],
      [
        'a hung chat: no-reply, not sent again',
        { hangOnce: 'chat' },
        (client, sessionId) => client.chat(sessionId, 'me', MESSAGE, () => {}),
        '/run_sse',
        'no-reply',
        1,
      ],
      [
        'a GET that keeps failing with 503 (HTML): server, asked twice',
        { serverError: 'credits' },
        (client) => client.credits(),
        '/api/credits/balance/simple',
        'server',
        2,
      ],
      [
        'a POST failing once with 502 (HTML): server, not sent again',
        { serverErrorOnce: 'session' },
        (client) => client.createSession('en'),
        '/api/tasks/me/with-session/nemo_agent',
        'server',
        1,
      ],
      [
        'JSON cut off halfway',
        { truncatedJsonOnce: 'session' },
        (client) => client.createSession('en'),
        '/api/tasks/me/with-session/nemo_agent',
        'bad-response',
        1,
      ],
      [
        'valid JSON of the wrong shape',
        { wrongShapeOnce: 'credits' },
        (client) => client.credits(),
        '/api/credits/balance/simple',
        'bad-response',
        1,
      ],
    ])('%s', async (_label, fault, call, path, kind, sent) => {
      const { client } = newClient(SHORT);
      const session = await client.createSession('en');
      const before = requestsTo(path).length;
      server.setFaults(fault);
      expect(await kindOf(call(client, session.sessionId))).toBe(kind);
      expect(requestsTo(path).length - before).toBe(sent);
    });

    it.each<[string, Faults, (client: NemoVideoClient, sessionId: string) => Promise<unknown>, string]>([
      [
        'a hung GET is asked again once',
        { hangOnce: 'state' },
        (client, sessionId) => client.state(sessionId),
        `/api/state/nemo_agent/me/{session}/latest`,
      ],
      [
        'a GET failing once with 502 (HTML) is asked again once',
        { serverErrorOnce: 'credits' },
        (client) => client.credits(),
        '/api/credits/balance/simple',
      ],
    ])('%s, and then works', async (_label, fault, call, pathPattern) => {
      const { client } = newClient(SHORT);
      const session = await client.createSession('en');
      const path = pathPattern.replace('{session}', session.sessionId);
      const before = requestsTo(path).length;
      server.setFaults(fault);
      await call(client, session.sessionId);
      expect(requestsTo(path).length - before).toBe(2);
    });

    it('once faults switch themselves off; the persistent one stays', async () => {
      server.setFaults({ hangOnce: 'session', serverError: 'credits' });
      const { client } = newClient(SHORT);
      await kindOf(client.createSession('en'));
      expect(server.faults).toEqual({ hangOnce: undefined, serverError: 'credits' });
    });

    it('a chat that goes silent after two heartbeats: no-reply, not sent again, and its credits given back', async () => {
      const { client } = newClient(SHORT);
      const session = await client.createSession('en');
      const userId = session.userId ?? '';
      server.setFaults({ chatSilentOnce: true });
      const events: ChatUpdate[] = [];
      expect(await kindOf(client.chat(session.sessionId, userId, MESSAGE, (event) => events.push(event)))).toBe(
        'no-reply',
      );
      expect(events).toEqual([{ type: 'heartbeat' }, { type: 'heartbeat' }]);
      expect(
        requestsTo('/run_sse').filter(
          (request) => (request.body as { session_id?: string }).session_id === session.sessionId,
        ),
      ).toHaveLength(1);
      await vi.waitFor(() => expect(server.credits.get(userId)).toEqual({ available: 100, frozen: 0, consumed: 0 }));
    });

    it('a chat cut off in the middle of an event: network, not sent again, and the edit still happens', async () => {
      const { client } = newClient(SHORT);
      const session = await client.createSession('en');
      await uploadFile(client, session.sessionId, clip, 'clip.mp4');
      server.setFaults({ chatCutOffOnce: true });
      const events: ChatUpdate[] = [];
      expect(
        await kindOf(client.chat(session.sessionId, session.userId ?? '', MESSAGE, (event) => events.push(event))),
      ).toBe('network');
      expect(events.map((event) => event.type)).toEqual(['heartbeat', 'tool', 'heartbeat']);
      expect(
        requestsTo('/run_sse').filter(
          (request) => (request.body as { session_id?: string }).session_id === session.sessionId,
        ),
      ).toHaveLength(1);
      await vi.waitFor(async () => expect(isDraftReady((await client.state(session.sessionId)).draft)).toBe(true), {
        timeout: 5000,
      });
    });

    it('a hung output URL: the download falls back to the endpoint', async () => {
      const prepared = await preparedSession(SHORT);
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, { format: 'mp3' });
      const done = await prepared.client.pollExport(job.id);
      server.setFaults({ hangOnce: 'download' });
      const mp3 = await prepared.client.download(done.id, done.outputUrl);
      expect(mp3.size).toBeGreaterThan(1000);
      expect(requestsTo(`/api/render/proxy/${job.id}/download`)).toHaveLength(1);
    });
  });

  describe('export faults', () => {
    let prepared: Awaited<ReturnType<typeof preparedSession>>;
    beforeAll(async () => {
      prepared = await preparedSession();
    });

    it('plan blocked: HTTP 402', async () => {
      server.setFaults({ planBlocked: true });
      const error = (await prepared.client
        .startExport(prepared.sessionId, prepared.draft, { format: 'mp3' })
        .catch((reason: unknown) => reason)) as CloudError;
      expect(error).toMatchObject({ kind: 'plan-blocked', status: 402 });
      expect(describeCloudError(error)).toMatch(/^Register or upgrade your plan to unlock export\./);
    });

    it('missing attribution headers: HTTP 402', async () => {
      const response = await fetch(`${server.url}/api/render/proxy/lambda`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${prepared.credentials().token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          id: 'render_bare',
          sessionId: prepared.sessionId,
          draft: prepared.draft,
          output: { format: 'mp3', quality: 'high' },
        }),
      });
      expect(response.status).toBe(402);
    });

    it('duplicate render id once: a new id, then it starts', async () => {
      server.setFaults({ duplicateRenderIdOnce: true });
      const before = requestsTo('/api/render/proxy/lambda').length;
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, { format: 'mp3' });
      const ids = requestsTo('/api/render/proxy/lambda')
        .slice(before)
        .map((request) => (request.body as { id: string }).id);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(job.id);
      expect(ids[0]).not.toBe(ids[1]);
      await prepared.client.cancelExport(job.id);
    });

    it('render returns the video: an MP4 comes back', async () => {
      server.setFaults({ renderReturnsMp4: true });
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, { format: 'mp3' });
      const done = await prepared.client.pollExport(job.id);
      expect(done.outputUrl).toMatch(/\.mp4$/);
      const info = await probe(await prepared.client.download(done.id, done.outputUrl), 'result.mp4');
      expect(info.format.format_name).toContain('mp4');
      expect(info.streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'video']);
    });

    it('render never completes: status stays processing, and export-timeout', async () => {
      server.setFaults({ renderNeverCompletes: true });
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, { format: 'mp3' });
      const statuses: string[] = [];
      expect(
        await kindOf(
          prepared.client.pollExport(job.id, {
            timeoutMs: 2000,
            onProgress: (_progress, status) => statuses.push(status),
          }),
        ),
      ).toBe('export-timeout');
      expect(statuses.at(-1)).toBe('processing');
      await prepared.client.cancelExport(job.id);
    });

    it('render fails: export-failed', async () => {
      server.setFaults({ renderFails: true });
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, { format: 'mp3' });
      expect(await kindOf(prepared.client.pollExport(job.id))).toBe('export-failed');
    });

    it('status at the top level with output.url, and the fallback download', async () => {
      server.setFaults({ renderStatusShape: 'top-level' });
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, {
        format: 'mp3',
        audioBitrate: 128,
      });
      const done = await prepared.client.pollExport(job.id);
      expect(done.outputUrl).toBe(`${server.url}/renders/${job.id}.mp3`);
      const info = await probe(await prepared.client.download(done.id), 'fallback.mp3');
      expect(info.format.format_name).toBe('mp3');
      expect(Number(info.format.bit_rate)).toBeLessThan(135_000);
      expect(requestsTo(`/api/render/proxy/${job.id}/download`)).toHaveLength(1);
    });

    it('cancel: the render ends failed', async () => {
      const job = await prepared.client.startExport(prepared.sessionId, prepared.draft, { format: 'mp3' });
      await prepared.client.cancelExport(job.id);
      expect((await prepared.client.exportStatus(job.id)).status).toBe('failed');
    });
  });
});
