import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NemoVideoClient,
  pollDelay,
  type CloudCredentials,
  type CloudLimits,
  type ChatUpdate,
} from '@/utils/engines/cloud/client';
import { CloudError, type CloudErrorKind } from '@/utils/engines/cloud/errors';
import type { UploadReply, UploadTarget } from '@/utils/engines/cloud/upload';

const BASE = 'https://api.example.test';
const START = Date.parse('2026-03-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const DRAFT = { t: [{ tt: 1, sg: [{ d: 2000 }] }] };

/** A reply, or a function making one from the request (as fetch does, it may watch the request's signal). */
type Reply = Response | ((init: RequestInit) => Response | Promise<Response>);

interface Sent {
  key: string;
  url: string;
  headers: Headers;
  body: unknown;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}
const ok = (data: unknown) => json({ code: 0, message: 'success', data });
const failure = (code: number, status = 200) => json({ code, message: `server words for ${code}`, data: null }, status);

function stream(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

/** A client against a fake backend: replies are queued per `METHOD /path`; the token call always works unless queued. */
function setup({
  replies = {},
  credentials,
  limits,
}: { replies?: Record<string, Reply[]>; credentials?: CloudCredentials; limits?: Partial<CloudLimits> } = {}) {
  const queues = new Map(Object.entries(replies));
  const sent: Sent[] = [];
  let tokens = 0;
  let time = START;
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    if (init.signal?.aborted) throw init.signal.reason;
    const url = new URL(input instanceof Request ? input.url : input);
    const key = `${init.method ?? 'GET'} ${url.pathname}`;
    sent.push({
      key,
      url: url.toString(),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const reply = queues.get(key)?.shift();
    if (reply) return typeof reply === 'function' ? reply(init) : reply;
    if (key === 'POST /api/auth/anonymous-token') {
      tokens++;
      return ok({
        token: `nmv_usr_${tokens}`,
        user_id: 'anon_1',
        expires_at: new Date(time + 7 * DAY).toISOString(),
        credits: 100,
      });
    }
    return json({ code: 404, message: 'not found' }, 404);
  });
  let stored: CloudCredentials = { ...credentials };
  const store = {
    get: vi.fn(async () => ({ ...stored })),
    set: vi.fn(async (next: CloudCredentials) => {
      stored = { ...next };
    }),
  };
  const sleep = vi.fn(async (ms: number) => {
    time += ms;
  });
  const client = new NemoVideoClient({
    baseUrl: `${BASE}/`,
    version: '1.0.0',
    platform: 'chrome',
    credentials: store,
    fetch,
    sleep,
    now: () => time,
    limits,
  });
  return {
    client,
    fetch,
    sent,
    sleep,
    stored: () => stored,
    calls: (key: string) => sent.filter((request) => request.key === key),
    advance: (ms: number) => (time += ms),
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

const TOKEN = 'POST /api/auth/anonymous-token';
const SESSION = 'POST /api/tasks/me/with-session/nemo_agent';
const STATE = 'GET /api/state/nemo_agent/me/s1/latest';
const CREDITS = 'GET /api/credits/balance/simple';
const CHAT = 'POST /run_sse';
const EXPORT = 'POST /api/render/proxy/lambda';
const STATUS = 'GET /api/render/proxy/lambda/render_1';
const CANCEL = 'POST /api/render/proxy/lambda/render_1/cancel';
const DOWNLOAD = 'GET /api/render/proxy/render_1/download';
const renderReply = (status: string, extra: object = {}) =>
  json({ success: true, data: { id: 'render_1', status, ...extra } });

/** Every call, with a reply that makes it succeed. */
const everyCall: [string, string, Reply, (client: NemoVideoClient) => Promise<unknown>][] = [
  [
    'createSession',
    SESSION,
    () => ok({ session_id: 's1', task_id: 't1', user_id: 'anon_1' }),
    (client) => client.createSession('en'),
  ],
  ['state', STATE, () => ok({ state: { draft: DRAFT } }), (client) => client.state('s1')],
  ['credits', CREDITS, () => ok({ available: 100, frozen: 0, total: 100 }), (client) => client.credits()],
  [
    'chat',
    CHAT,
    () => stream(['data: {"type":"text","content":"Hi"}\n\n']),
    (client) => client.chat('s1', 'anon_1', 'hello', () => {}),
  ],
  ['startExport', EXPORT, () => renderReply('pending'), (client) => client.startExport('s1', DRAFT, { format: 'mp3' })],
  ['exportStatus', STATUS, () => renderReply('processing'), (client) => client.exportStatus('render_1')],
  ['cancelExport', CANCEL, () => json({ success: true }), (client) => client.cancelExport('render_1')],
  [
    'uploadFromUrls',
    'POST /api/upload-video/nemo_agent/me/s1',
    () => ok({ files: [{ filename: 'a.mp4', cdn_url: 'https://cdn/a.mp4' }] }),
    (client) => client.uploadFromUrls('s1', ['https://example.com/a.mp4']),
  ],
];

describe('headers', () => {
  it.each(everyCall)('%s carries the attribution headers and bearer auth', async (_name, key, reply, call) => {
    const { client, calls } = setup({ replies: { [key]: [reply] } });
    await call(client);
    const [request] = calls(key);
    expect(request?.headers.get('X-Skill-Source')).toBe('video-to-mp3');
    expect(request?.headers.get('X-Skill-Version')).toBe('1.0.0');
    expect(request?.headers.get('X-Skill-Platform')).toBe('chrome');
    expect(request?.headers.get('Authorization')).toBe('Bearer nmv_usr_1');
    expect(request?.headers.has('X-Client-Id')).toBe(false);
  });

  it('the token call carries the client id and the attribution headers, not a bearer', async () => {
    const { client, calls } = setup();
    await client.ensureToken();
    const [request] = calls(TOKEN);
    expect(request?.headers.get('X-Client-Id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.headers.get('X-Skill-Source')).toBe('video-to-mp3');
    expect(request?.headers.has('Authorization')).toBe(false);
    expect(request?.body).toBeUndefined();
  });

  it('uses the base URL without its trailing slash', async () => {
    const { client, sent } = setup({ replies: { [CREDITS]: [everyCall[2]![2]] } });
    await client.credits();
    expect(sent.map((request) => request.url)).toEqual([
      `${BASE}/api/auth/anonymous-token`,
      `${BASE}/api/credits/balance/simple`,
    ]);
  });
});

describe('ensureToken', () => {
  it('makes a client id once and keeps it, with the token, its expiry and the user', async () => {
    const { client, stored, calls } = setup();
    await client.ensureToken();
    const { clientId } = stored();
    expect(stored()).toEqual({ clientId, token: 'nmv_usr_1', expiresAt: START + 7 * DAY, userId: 'anon_1' });
    await client.renewToken();
    expect(stored().clientId).toBe(clientId);
    expect(calls(TOKEN).map((request) => request.headers.get('X-Client-Id'))).toEqual([clientId, clientId]);
  });

  it('reuses a stored token that is still valid', async () => {
    const { client, calls } = setup({
      credentials: { clientId: 'c', token: 'nmv_usr_kept', expiresAt: START + DAY, userId: 'u' },
    });
    expect(await client.ensureToken()).toBe('nmv_usr_kept');
    expect(calls(TOKEN)).toHaveLength(0);
  });

  it.each([
    ['expired', START - 1],
    ['about to expire', START + 30_000],
    ['without an expiry', undefined],
  ])('renews a stored token that is %s', async (_label, expiresAt) => {
    const { client, calls } = setup({ credentials: { clientId: 'c', token: 'nmv_usr_old', expiresAt } });
    expect(await client.ensureToken()).toBe('nmv_usr_1');
    expect(calls(TOKEN)[0]?.headers.get('X-Client-Id')).toBe('c');
  });

  it('renews after seven days', async () => {
    const { client, advance, calls } = setup();
    await client.ensureToken();
    advance(7 * DAY);
    expect(await client.ensureToken()).toBe('nmv_usr_2');
    expect(calls(TOKEN)).toHaveLength(2);
  });

  it('asks once when many callers need a token at the same time', async () => {
    const { client, calls } = setup();
    const tokens = await Promise.all([
      client.ensureToken(),
      client.ensureToken(),
      client.credits().catch(() => undefined),
    ]);
    expect(tokens.slice(0, 2)).toEqual(['nmv_usr_1', 'nmv_usr_1']);
    expect(calls(TOKEN)).toHaveLength(1);
  });

  it.each<[string, number | undefined]>([
    ['an expiry in epoch seconds', (START + DAY) / 1000],
    ['an expiry in epoch milliseconds', START + DAY],
  ])('reads %s', async (_label, expires_at) => {
    const { client, stored } = setup({ replies: { [TOKEN]: [ok({ token: 'nmv_usr_x', user_id: 7, expires_at })] } });
    await client.ensureToken();
    expect(stored()).toMatchObject({ token: 'nmv_usr_x', expiresAt: START + DAY, userId: '7' });
  });
});

describe('retries', () => {
  it.each<[string, Reply]>([
    ['1001', failure(1001)],
    ['1010', failure(1010)],
    ['1011', failure(1011)],
    ['HTTP 401', json({ message: 'unauthorized' }, 401)],
    ['1001 with HTTP 401', failure(1001, 401)],
  ])('renews the token on %s and retries once', async (_label, reply) => {
    const { client, calls } = setup({ replies: { [CREDITS]: [reply, ok({ available: 1 })] } });
    expect(await client.credits()).toEqual({ available: 1, frozen: 0, total: 1 });
    expect(calls(TOKEN)).toHaveLength(2);
    expect(calls(CREDITS).map((request) => request.headers.get('Authorization'))).toEqual([
      'Bearer nmv_usr_1',
      'Bearer nmv_usr_2',
    ]);
  });

  it('gives up when the new token is refused too', async () => {
    const { client, calls } = setup({ replies: { [CREDITS]: [failure(1001), failure(1001), ok({ available: 1 })] } });
    expect(await kindOf(client.credits())).toBe('auth');
    expect(calls(CREDITS)).toHaveLength(2);
  });

  it('makes a new client id and retries once when the token call says it is missing', async () => {
    const { client, calls } = setup({ credentials: { clientId: 'bad' }, replies: { [TOKEN]: [failure(400, 400)] } });
    expect(await client.ensureToken()).toBe('nmv_usr_1');
    const ids = calls(TOKEN).map((request) => request.headers.get('X-Client-Id'));
    expect(ids[0]).toBe('bad');
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops after one new client id', async () => {
    const { client } = setup({
      replies: { [TOKEN]: [failure(400, 400), json({ message: 'Missing X-Client-Id' }, 400)] },
    });
    expect(await kindOf(client.ensureToken())).toBe('missing-client-id');
  });

  it.each<[string, Record<string, string>, number]>([
    ['Retry-After in seconds', { 'Retry-After': '1' }, 1000],
    ['Retry-After as a date', { 'Retry-After': new Date(START + 5000).toUTCString() }, 5000],
    ['no Retry-After', {}, 30_000],
    ['an unreadable Retry-After', { 'Retry-After': 'later' }, 30_000],
  ])('waits out a 429 (%s) and retries once', async (_label, headers, waited) => {
    const { client, sleep, calls } = setup({
      replies: { [CREDITS]: [json({ code: 429, message: 'slow' }, 429, headers), ok({ available: 3 })] },
    });
    expect((await client.credits()).available).toBe(3);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([waited]);
    expect(calls(CREDITS)).toHaveLength(2);
  });

  it('gives up on a second 429', async () => {
    const { client, sleep } = setup({ replies: { [CREDITS]: [json({}, 429), json({}, 429, { 'Retry-After': '2' })] } });
    const error = await client.credits().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 2000 });
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('waits out a 429 on the token call too', async () => {
    const { client, sleep } = setup({ replies: { [TOKEN]: [json({ code: 429 }, 429, { 'Retry-After': '1' })] } });
    expect(await client.ensureToken()).toBe('nmv_usr_1');
    expect(sleep).toHaveBeenCalledWith(1000, undefined);
  });

  it('does not retry a lost session: the caller makes a new one', async () => {
    const { client, calls } = setup({ replies: { [STATE]: [failure(1002), ok({ state: {} })] } });
    expect(await kindOf(client.state('s1'))).toBe('session-lost');
    expect(calls(STATE)).toHaveLength(1);
  });
});

describe('errors', () => {
  it.each<[string, string, Reply, (client: NemoVideoClient) => Promise<unknown>, CloudErrorKind]>([
    ['2001 on chat', CHAT, failure(2001), (client) => client.chat('s1', 'anon_1', 'hi', () => {}), 'no-credits'],
    [
      '4001 on upload by URL',
      'POST /api/upload-video/nemo_agent/me/s1',
      failure(4001, 400),
      (client) => client.uploadFromUrls('s1', ['https://a.test/a.xyz']),
      'unsupported-file',
    ],
    [
      '4002 on upload by URL',
      'POST /api/upload-video/nemo_agent/me/s1',
      failure(4002, 413),
      (client) => client.uploadFromUrls('s1', ['https://a.test/a.mp4']),
      'too-large',
    ],
    [
      'HTTP 402 on export',
      EXPORT,
      json({ success: false, error: 'free plan' }, 402),
      (client) => client.startExport('s1', DRAFT, { format: 'mp3' }),
      'plan-blocked',
    ],
    [
      'success: false with a code',
      EXPORT,
      json({ success: false, code: 1002, error: 'gone' }),
      (client) => client.startExport('s1', DRAFT, { format: 'mp3' }),
      'session-lost',
    ],
    [
      'HTTP 500 with an HTML page',
      CREDITS,
      new Response('<html>oops</html>', { status: 500 }),
      (client) => client.credits(),
      'server',
    ],
    ['HTTP 503 with no body', CREDITS, new Response(null, { status: 503 }), (client) => client.credits(), 'server'],
    [
      'a reply that is not JSON',
      CREDITS,
      new Response('hello', { status: 200 }),
      (client) => client.credits(),
      'bad-response',
    ],
    ['a reply of the wrong shape', CREDITS, ok({ balance: 5 }), (client) => client.credits(), 'bad-response'],
    [
      'a session reply with no session id',
      SESSION,
      ok({ task_id: 't' }),
      (client) => client.createSession('en'),
      'bad-response',
    ],
    ['code as a string', CREDITS, json({ code: '2001', message: 'x' }), (client) => client.credits(), 'no-credits'],
    [
      'a network failure',
      SESSION,
      () => Promise.reject(new TypeError('Failed to fetch')),
      (client) => client.createSession('en'),
      'network',
    ],
    [
      'a chat that answers JSON success instead of a stream',
      CHAT,
      ok({}),
      (client) => client.chat('s1', 'anon_1', 'hi', () => {}),
      'bad-response',
    ],
    [
      'an error inside the chat stream',
      CHAT,
      () => stream(['data: {"type":"error","code":2001}\n\n']),
      (client) => client.chat('s1', 'anon_1', 'hi', () => {}),
      'no-credits',
    ],
  ])('%s', async (_label, key, reply, call, kind) => {
    const { client } = setup({ replies: { [key]: [reply] } });
    expect(await kindOf(call(client))).toBe(kind);
  });

  it('never puts the server text or the token in the message', async () => {
    const { client } = setup({ replies: { [CREDITS]: [failure(4001)] } });
    const error = (await client.credits().catch((reason: unknown) => reason)) as CloudError;
    expect(error.detail).toBe('server words for 4001');
    expect(error.message).not.toMatch(/server words|nmv_usr/);
  });

  it('gives 2001 the bind id: the session user', async () => {
    const { client } = setup({
      replies: { [SESSION]: [ok({ session_id: 's1', user_id: 'anon_9' })], [CHAT]: [failure(2001)] },
    });
    await client.createSession('en');
    const error = await client.chat('s1', 'anon_9', 'hi', () => {}).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'no-credits', code: 2001, bindId: 'anon_9' });
  });

  it('gives 2001 the bind id the backend names, else the token user', async () => {
    const { client } = setup({
      replies: {
        [CHAT]: [failure(2001), failure(2001)],
        [STATE]: [ok({ state: { draft: DRAFT, bind_id: 'bind_7' } })],
      },
    });
    expect(await client.chat('s1', 'anon_1', 'hi', () => {}).catch((reason: unknown) => reason)).toMatchObject({
      bindId: 'anon_1',
    });
    await client.state('s1');
    expect(await client.chat('s1', 'anon_1', 'hi', () => {}).catch((reason: unknown) => reason)).toMatchObject({
      bindId: 'bind_7',
    });
  });

  it('passes an abort through as it is', async () => {
    const controller = new AbortController();
    const { client } = setup({
      replies: {
        [CREDITS]: [
          () => {
            controller.abort(new DOMException('stop', 'AbortError'));
            return Promise.reject(new TypeError('aborted'));
          },
        ],
      },
    });
    await expect(client.credits(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('createSession', () => {
  it('sends the task name and language', async () => {
    const { client, calls } = setup({
      replies: { [SESSION]: [ok({ session_id: 5529798706024415, task_id: 't1', user_id: 'anon_1' })] },
    });
    expect(await client.createSession('zh-CN')).toEqual({
      sessionId: '5529798706024415',
      taskId: 't1',
      userId: 'anon_1',
      bindId: undefined,
    });
    expect(calls(SESSION)[0]?.body).toEqual({ task_name: 'project', language: 'zh-CN' });
    expect(calls(SESSION)[0]?.headers.get('Content-Type')).toBe('application/json');
  });
});

describe('upload', () => {
  const uploaded = { filename: 'a.mp4', file_type: 'video', cdn_url: 'https://cdn/a.mp4', duration: 2.5 };
  const measured = { width: 160, height: 120, fps: 15, hash: 'h' };
  const uploadReply = { code: 0, data: { files: [{ ...uploaded, ...measured }], session_state_applied: true } };
  /** A conversion site that answers each upload with the next reply, and keeps the targets it was given. */
  function sender(...replies: UploadReply[]) {
    const targets: UploadTarget[] = [];
    const send = vi.fn(async (target: UploadTarget) => {
      targets.push(target);
      return replies.shift() ?? { status: 0, body: null };
    });
    return { send, targets };
  }

  it('sends to the target of a multipart upload and reads the reply', async () => {
    const { client } = setup();
    const { send, targets } = sender({ status: 200, body: uploadReply });
    expect(await client.upload('s 1', send)).toEqual({
      files: [
        {
          fileName: 'a.mp4',
          fileType: 'video',
          url: 'https://cdn/a.mp4',
          durationSeconds: 2.5,
          width: 160,
          height: 120,
          fps: 15,
          hash: 'h',
        },
      ],
      sessionStateApplied: true,
    });
    expect(targets).toEqual([
      {
        url: `${BASE}/api/upload-video/nemo_agent/me/s%201`,
        field: 'files',
        headers: {
          'X-Skill-Source': 'video-to-mp3',
          'X-Skill-Version': '1.0.0',
          'X-Skill-Platform': 'chrome',
          Authorization: 'Bearer nmv_usr_1',
        },
      },
    ]);
  });

  it('uploads once more with a new token when the token is refused, and only once', async () => {
    const { client } = setup();
    const renewed = sender({ status: 401, body: { code: 1001 } }, { status: 200, body: uploadReply });
    expect((await client.upload('s1', renewed.send)).files).toHaveLength(1);
    const tokens = renewed.targets.map((target) => target.headers.Authorization);
    expect(tokens).toEqual(['Bearer nmv_usr_1', 'Bearer nmv_usr_2']);
    const refused = sender({ status: 401, body: { code: 1001 } }, { status: 401, body: { code: 1001 } });
    expect(await kindOf(client.upload('s1', refused.send))).toBe('auth');
    expect(refused.send).toHaveBeenCalledTimes(2);
  });

  it.each<[string, UploadReply, CloudErrorKind]>([
    ['4001', { status: 400, body: { code: 4001, message: 'Unsupported' } }, 'unsupported-file'],
    ['4002', { status: 413, body: { code: 4002, message: 'Too large' } }, 'too-large'],
    ['1002', { status: 200, body: { code: 1002 } }, 'session-lost'],
    ['HTTP 413 with an HTML page', { status: 413, body: undefined }, 'too-large'],
    ['no files', { status: 200, body: { code: 0, data: { files: [] } } }, 'bad-response'],
    ['no reply', { status: 0, body: null }, 'network'],
    ['no reply while nothing moved', { status: 0, body: null, stalled: true }, 'no-reply'],
  ])('turns an upload reply of %s into an error, without sending again', async (_label, reply, kind) => {
    const { client } = setup();
    const { send } = sender(reply, { status: 200, body: uploadReply });
    expect(await kindOf(client.upload('s1', send))).toBe(kind);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('stops when cancelled while the file was being sent', async () => {
    const { client } = setup();
    const controller = new AbortController();
    const send = async () => {
      controller.abort(new DOMException('stop', 'AbortError'));
      return { status: 200, body: uploadReply };
    };
    await expect(client.upload('s1', send, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('chat', () => {
  const simple = [
    ': connected\n\n',
    'data: {"type":"heartbeat"}\n\n',
    'data: {"type":"tool_call","name":"edit","args":{}}\n\ndata: {"type":"tool_re',
    'sult","name":"edit","result":{}}\n\ndata:\n\n',
    'data: {"type":"text","content":"Done! Click Export to download your MP3."}\n\n',
  ];
  const agent = [
    'data: {"content":{"role":"model","parts":[{"functionCall":{"name":"edit"}}]}}\r\n\r\n',
    'data: {"content":{"role":"user","parts":[{"functionResponse":{"name":"edit"}}]}}\r\n\r\n',
    'data: {"partial":true,"content":{"role":"model","parts":[{"text":"Done!"}]}}\r\n\r\n',
    'data: {"content":{"role":"model","parts":[{"text":"Done! Click Export to download your MP3."}]}}\r\n\r\n',
  ];

  it.each([
    ['simple events', simple, ['heartbeat', 'tool', 'tool', 'heartbeat', 'text']],
    ['agent-framework events', agent, ['tool', 'tool', 'heartbeat', 'text']],
  ])('streams %s and resolves with the text', async (_label, chunks, types) => {
    const { client, calls } = setup({ replies: { [CHAT]: [() => stream(chunks)] } });
    const events: ChatUpdate[] = [];
    const text = await client.chat('s1', 'anon_1', 'extract the audio', (event) => events.push(event));
    expect(text).toBe('Done! Click Export to download your MP3.');
    expect(events.map((event) => event.type)).toEqual(types);
    const [request] = calls(CHAT);
    expect(request?.body).toEqual({
      app_name: 'nemo_agent',
      user_id: 'anon_1',
      session_id: 's1',
      new_message: { parts: [{ text: 'extract the audio' }] },
    });
    expect(request?.headers.get('Accept')).toBe('text/event-stream');
  });

  it('resolves with nothing when the edit says nothing', async () => {
    const { client } = setup({ replies: { [CHAT]: [() => stream(['data: {"type":"tool_call"}\n\n'])] } });
    expect(await client.chat('s1', 'anon_1', 'hi', () => {})).toBe('');
  });

  it('joins several texts by lines', async () => {
    const { client } = setup({
      replies: {
        [CHAT]: [
          () => stream(['data: {"type":"text","content":"One."}\n\ndata: {"type":"text","content":"Two."}\n\n']),
        ],
      },
    });
    expect(await client.chat('s1', 'anon_1', 'hi', () => {})).toBe('One.\nTwo.');
  });

  it('refuses a second message while the session is answering, and takes it afterwards', async () => {
    let finish = () => {};
    const open = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('data: {"type":"heartbeat"}\n\n'));
            finish = () => controller.close();
          },
        }),
        { headers: { 'Content-Type': 'text/event-stream' } },
      );
    const { client, calls } = setup({ replies: { [CHAT]: [open, () => stream([]), () => stream([])] } });
    const first = client.chat('s1', 'anon_1', 'one', () => {});
    await vi.waitFor(() => expect(calls(CHAT)).toHaveLength(1));
    expect(await kindOf(client.chat('s1', 'anon_1', 'two', () => {}))).toBe('busy');
    await client.chat('s2', 'anon_1', 'other session', () => {});
    finish();
    await first;
    await client.chat('s1', 'anon_1', 'three', () => {});
    expect(
      calls(CHAT).map(
        (request) => (request.body as { new_message: { parts: { text: string }[] } }).new_message.parts[0]?.text,
      ),
    ).toEqual(['one', 'other session', 'three']);
  });

  it('takes the next message after a failed one', async () => {
    const { client } = setup({ replies: { [CHAT]: [failure(2001), () => stream([])] } });
    await expect(client.chat('s1', 'anon_1', 'hi', () => {})).rejects.toBeInstanceOf(CloudError);
    await expect(client.chat('s1', 'anon_1', 'hi', () => {})).resolves.toBe('');
  });

  it('renews the token and sends again when refused before the stream starts', async () => {
    const { client, calls } = setup({
      replies: { [CHAT]: [failure(1001, 401), () => stream(['data: {"type":"text","content":"ok"}\n\n'])] },
    });
    expect(await client.chat('s1', 'anon_1', 'hi', () => {})).toBe('ok');
    expect(calls(CHAT)).toHaveLength(2);
  });

  it('reports a stream that breaks as a network failure', async () => {
    const broken = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('data: {"type":"heartbeat"}\n\n'));
            controller.error(new TypeError('terminated'));
          },
        }),
        { headers: { 'Content-Type': 'text/event-stream' } },
      );
    const { client, calls } = setup({ replies: { [CHAT]: [broken] } });
    expect(await kindOf(client.chat('s1', 'anon_1', 'hi', () => {}))).toBe('network');
    expect(calls(CHAT)).toHaveLength(1);
  });
});

describe('startExport', () => {
  it('asks for the format with a unique render id, the session in camelCase and the draft', async () => {
    const { client, calls } = setup({
      replies: {
        [EXPORT]: [
          () => renderReply('pending', { progress: 5 }),
          () => json({ success: true, data: { status: 'pending' } }),
        ],
      },
    });
    const first = await client.startExport('s1', DRAFT, { format: 'mp3', audioBitrate: 192 });
    const second = await client.startExport('s1', DRAFT, { format: 'mp4' });
    expect(first).toEqual({ id: 'render_1', status: 'pending', progress: 0.05, outputUrl: undefined });
    const [one, two] = calls(EXPORT).map((request) => request.body as { id: string });
    expect(one).toEqual({
      id: expect.stringMatching(/^render_\w+/),
      sessionId: 's1',
      draft: DRAFT,
      output: { format: 'mp3', quality: 'high', audioBitrate: 192 },
    });
    expect(two?.id).not.toBe(one?.id);
    expect(second.id).toBe(two?.id);
  });

  it.each<[string, Reply]>([
    ['HTTP 409', json({ success: false, error: 'conflict' }, 409)],
    ['a "duplicate" error', json({ success: false, error: 'Duplicate render id' })],
    ['an "already exists" message', json({ code: 5001, message: 'render id already exists' })],
  ])('makes a new id and retries on %s', async (_label, reply) => {
    const { client, calls } = setup({ replies: { [EXPORT]: [reply, () => renderReply('pending')] } });
    await client.startExport('s1', DRAFT, { format: 'mp3' });
    const ids = calls(EXPORT).map((request) => (request.body as { id: string }).id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('gives up after three taken ids', async () => {
    const taken = () => json({ success: false, error: 'duplicate' }, 409);
    const { client, calls } = setup({ replies: { [EXPORT]: [taken, taken, taken, taken] } });
    expect(await kindOf(client.startExport('s1', DRAFT, { format: 'mp3' }))).toBe('server');
    expect(calls(EXPORT)).toHaveLength(3);
  });
});

describe('export status, cancel, download', () => {
  it('reads the status at either place', async () => {
    const { client } = setup({
      replies: {
        [STATUS]: [
          renderReply('completed', { progress: 100, outputUrl: 'https://cdn/a.mp3' }),
          json({ success: true, status: 'completed', output: { url: 'https://cdn/b.mp4' } }),
        ],
      },
    });
    expect(await client.exportStatus('render_1')).toEqual({
      id: 'render_1',
      status: 'completed',
      progress: 1,
      outputUrl: 'https://cdn/a.mp3',
    });
    expect(await client.exportStatus('render_1')).toEqual({
      id: 'render_1',
      status: 'completed',
      progress: 1,
      outputUrl: 'https://cdn/b.mp4',
    });
  });

  it('cancels', async () => {
    const { client, calls } = setup({ replies: { [CANCEL]: [new Response(null, { status: 200 })] } });
    await client.cancelExport('render_1');
    expect(calls(CANCEL)).toHaveLength(1);
  });

  it('downloads from the output URL without credentials', async () => {
    const { client, calls } = setup({
      replies: { 'GET /result/a.mp3': [new Response('mp3 bytes', { headers: { 'Content-Type': 'audio/mpeg' } })] },
    });
    const blob = await client.download('render_1', `${BASE}/result/a.mp3`);
    expect(await blob.text()).toBe('mp3 bytes');
    expect(calls('GET /result/a.mp3')[0]?.headers.has('Authorization')).toBe(false);
    expect(calls(DOWNLOAD)).toHaveLength(0);
  });

  it.each<[string, Reply]>([
    ['answers 403', new Response('denied', { status: 403 })],
    ['is unreachable', () => Promise.reject(new TypeError('Failed to fetch'))],
  ])('falls back to the download endpoint, with credentials, when the output URL %s', async (_label, reply) => {
    const { client, calls } = setup({
      replies: {
        'GET /result/a.mp3': [reply],
        [DOWNLOAD]: [new Response('fallback bytes', { headers: { 'Content-Type': 'audio/mpeg' } })],
      },
    });
    expect(await (await client.download('render_1', `${BASE}/result/a.mp3`)).text()).toBe('fallback bytes');
    expect(calls(DOWNLOAD)[0]?.headers.get('Authorization')).toBe('Bearer nmv_usr_1');
  });
});

describe('pollExport', () => {
  it('checks first after 2 s, then less often, never less often than every 15 s', () => {
    const delays = Array.from({ length: 10 }, (_, attempt) => pollDelay(attempt));
    expect(delays).toEqual([2000, 3000, 4500, 6750, 10_125, 15_000, 15_000, 15_000, 15_000, 15_000]);
  });

  it('follows the schedule until the render completes, reporting progress', async () => {
    const replies = [
      renderReply('pending', { progress: 0 }),
      ...[10, 40, 70].map((progress) => renderReply('processing', { progress })),
    ];
    const { client, sleep } = setup({
      replies: { [STATUS]: [...replies, renderReply('completed', { progress: 100, outputUrl: 'https://cdn/a.mp3' })] },
    });
    const progress: [number, string][] = [];
    const job = await client.pollExport('render_1', { onProgress: (value, status) => progress.push([value, status]) });
    expect(job).toEqual({ id: 'render_1', status: 'completed', progress: 1, outputUrl: 'https://cdn/a.mp3' });
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([2000, 3000, 4500, 6750, 10_125]);
    expect(progress).toEqual([
      [0, 'pending'],
      [0.1, 'processing'],
      [0.4, 'processing'],
      [0.7, 'processing'],
      [1, 'completed'],
    ]);
  });

  it('ends with export-failed when the render fails', async () => {
    const { client } = setup({ replies: { [STATUS]: [renderReply('processing'), renderReply('failed')] } });
    expect(await kindOf(client.pollExport('render_1'))).toBe('export-failed');
  });

  it('ends with export-timeout when it takes too long', async () => {
    const processing = Array.from({ length: 100 }, () => () => renderReply('processing'));
    const { client, sleep } = setup({ replies: { [STATUS]: processing } });
    expect(await kindOf(client.pollExport('render_1', { timeoutMs: 60_000 }))).toBe('export-timeout');
    const waited = sleep.mock.calls.reduce((sum, [ms]) => sum + ms, 0);
    expect(waited).toBeGreaterThanOrEqual(60_000);
    expect(waited).toBeLessThan(60_000 + 15_000);
    expect(Math.max(...sleep.mock.calls.map(([ms]) => ms))).toBe(15_000);
  });

  it('waits out brief network and server trouble', async () => {
    const { client, calls } = setup({
      replies: {
        [STATUS]: [
          () => Promise.reject(new TypeError('offline')),
          new Response(null, { status: 502 }),
          renderReply('completed', { outputUrl: 'https://cdn/a.mp3' }),
        ],
      },
    });
    expect((await client.pollExport('render_1')).status).toBe('completed');
    expect(calls(STATUS)).toHaveLength(3);
  });

  it('does not wait out a lost render', async () => {
    const { client } = setup({ replies: { [STATUS]: [json({ success: false, error: 'Render not found' }, 404)] } });
    expect(await kindOf(client.pollExport('render_1'))).toBe('server');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const { client } = setup({ replies: { [STATUS]: [renderReply('processing'), renderReply('processing')] } });
    const polling = client.pollExport('render_1', {
      signal: controller.signal,
      onProgress: () => controller.abort(new DOMException('cancelled', 'AbortError')),
    });
    // The fake sleep ignores the signal; the next request sees it.
    await expect(polling).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/** A request the server takes and never answers: as with fetch, it fails only when its signal aborts. */
const hang: Reply = (init) =>
  new Promise<Response>((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
  });

/** A reply that sends `chunks` of its body, then nothing, never closing; as with fetch, the body fails when the signal aborts. */
function silentAfter(chunks: string[], contentType = 'text/event-stream', onCancel?: () => void): Reply {
  return (init) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason), { once: true });
        },
        cancel: onCancel,
      }),
      { headers: { 'Content-Type': contentType } },
    );
}

/** What a proxy in front of a failing backend answers. */
const htmlError = (status: number) => () =>
  new Response(`<html><body><h1>${status} Bad Gateway</h1></body></html>`, {
    status,
    headers: { 'Content-Type': 'text/html' },
  });

/** The outcome of `promise` so far: 'pending', 'resolved' or the reason it failed. */
function watch(promise: Promise<unknown>): () => unknown {
  let outcome: unknown = 'pending';
  promise.then(
    () => (outcome = 'resolved'),
    (reason: unknown) => (outcome = reason),
  );
  return () => outcome;
}

/** Lets every pending promise run (setImmediate isn't faked), then moves the fake clock on. */
async function elapse(ms: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await vi.advanceTimersByTimeAsync(ms);
  await new Promise((resolve) => setImmediate(resolve));
}

const LIMIT = 5000;

describe('time limits: nothing waits forever', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each<[string, string, (client: NemoVideoClient) => Promise<unknown>, number]>([
    ['createSession (POST: not sent again)', SESSION, (client) => client.createSession('en'), 1],

    ['startExport (POST: not sent again)', EXPORT, (client) => client.startExport('s1', DRAFT, { format: 'mp3' }), 1],
    ['cancelExport (POST: not sent again)', CANCEL, (client) => client.cancelExport('render_1'), 1],
    ['state (GET: asked once more)', STATE, (client) => client.state('s1'), 2],
    ['credits (GET: asked once more)', CREDITS, (client) => client.credits(), 2],
    ['exportStatus (GET: asked once more)', STATUS, (client) => client.exportStatus('render_1'), 2],
  ])('a hung %s ends in no-reply after cloudRequestMs', async (_label, key, call, sent) => {
    const { client, calls } = setup({ replies: { [key]: [hang, hang, hang] }, limits: { cloudRequestMs: LIMIT } });
    const outcome = watch(call(client));
    await elapse(LIMIT - 1);
    expect(outcome()).toBe('pending');
    for (let attempt = 0; attempt < sent; attempt++) await elapse(LIMIT);
    expect(outcome()).toMatchObject({ name: 'CloudError', kind: 'no-reply' });
    expect(calls(key)).toHaveLength(sent);
  });

  it('a chat that gets no reply at all ends in no-reply after cloudStreamIdleMs, and is not sent again', async () => {
    const { client, calls } = setup({
      replies: { [CHAT]: [hang, hang] },
      limits: { cloudRequestMs: 1000, cloudStreamIdleMs: LIMIT },
    });
    const outcome = watch(client.chat('s1', 'anon_1', 'hi', () => {}));
    await elapse(LIMIT - 1);
    expect(outcome()).toBe('pending');
    await elapse(1);
    expect(outcome()).toMatchObject({ kind: 'no-reply' });
    expect(calls(CHAT)).toHaveLength(1);
  });

  it('waits 30 s for a reply when no limit is given', async () => {
    const { client } = setup({ replies: { [SESSION]: [hang] } });
    const outcome = watch(client.createSession('en'));
    await elapse(29_999);
    expect(outcome()).toBe('pending');
    await elapse(1);
    expect(outcome()).toMatchObject({ kind: 'no-reply' });
  });

  it('a reply whose body never ends is no-reply too', async () => {
    const { client } = setup({
      replies: { [SESSION]: [silentAfter(['{"code":0,"data":{'], 'application/json')] },
      limits: { cloudRequestMs: LIMIT },
    });
    const outcome = watch(client.createSession('en'));
    await elapse(LIMIT);
    expect(outcome()).toMatchObject({ kind: 'no-reply' });
  });

  it('a Cancel during a hung call is a cancel, not a failure, and nothing is asked again', async () => {
    const controller = new AbortController();
    const { client, calls } = setup({ replies: { [STATE]: [hang, hang] }, limits: { cloudRequestMs: LIMIT } });
    const outcome = watch(client.state('s1', controller.signal));
    await elapse(1000);
    controller.abort(new DOMException('Cancelled', 'AbortError'));
    await elapse(0);
    expect(outcome()).toMatchObject({ name: 'AbortError' });
    expect(outcome()).not.toBeInstanceOf(CloudError);
    expect(calls(STATE)).toHaveLength(1);
  });

  it('a chat stream that goes silent for cloudStreamIdleMs ends in no-reply, closes, and is not sent again', async () => {
    const closed = vi.fn();
    const { client, calls } = setup({
      replies: { [CHAT]: [silentAfter(['data: {"type":"heartbeat"}\n\n'], 'text/event-stream', closed)] },
      limits: { cloudStreamIdleMs: LIMIT },
    });
    const events: ChatUpdate[] = [];
    const outcome = watch(client.chat('s1', 'anon_1', 'hi', (event) => events.push(event)));
    await elapse(LIMIT - 1);
    expect(outcome()).toBe('pending');
    expect(events).toEqual([{ type: 'heartbeat' }]);
    await elapse(1);
    expect(outcome()).toMatchObject({ kind: 'no-reply' });
    expect(closed).toHaveBeenCalled();
    expect(calls(CHAT)).toHaveLength(1);
  });

  it('heartbeats keep a long chat going past the idle limit', async () => {
    const beating: Reply = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            const send = (text: string) => controller.enqueue(new TextEncoder().encode(text));
            for (let beat = 1; beat <= 10; beat++)
              setTimeout(() => send('data: {"type":"heartbeat"}\n\n'), beat * (LIMIT - 1000));
            setTimeout(
              () => {
                send('data: {"type":"text","content":"Done."}\n\n');
                controller.close();
              },
              11 * (LIMIT - 1000),
            );
          },
        }),
        { headers: { 'Content-Type': 'text/event-stream' } },
      );
    const { client } = setup({
      replies: { [CHAT]: [beating] },
      limits: { cloudStreamIdleMs: LIMIT, cloudRequestMs: LIMIT },
    });
    const reply = client.chat('s1', 'anon_1', 'hi', () => {});
    for (let step = 0; step < 12; step++) await elapse(LIMIT - 1000);
    await expect(reply).resolves.toBe('Done.');
  });

  it('a chat stream cut off in the middle of an event is a network failure, and is not sent again', async () => {
    let sentBytes = false;
    const cut: Reply = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          // The first read gets the bytes before the cut, the next one the cut.
          pull(controller) {
            if (sentBytes) return controller.error(new TypeError('network error'));
            sentBytes = true;
            controller.enqueue(
              new TextEncoder().encode('data: {"type":"tool_call","name":"edit"}\n\ndata: {"type":"tool_res'),
            );
          },
        }),
        { headers: { 'Content-Type': 'text/event-stream' } },
      );
    const { client, calls } = setup({ replies: { [CHAT]: [cut, () => stream([])] } });
    const events: ChatUpdate[] = [];
    expect(await kindOf(client.chat('s1', 'anon_1', 'hi', (event) => events.push(event)))).toBe('network');
    expect(events).toEqual([{ type: 'tool' }]);
    expect(calls(CHAT)).toHaveLength(1);
  });

  it('a hung status check is waited out like other brief trouble while polling', async () => {
    const { client, calls } = setup({
      replies: { [STATUS]: [hang, hang, renderReply('completed', { outputUrl: 'https://cdn/a.mp3' })] },
      limits: { cloudRequestMs: LIMIT },
    });
    const polling = watch(client.pollExport('render_1'));
    await elapse(LIMIT);
    await elapse(LIMIT);
    expect(polling()).toBe('resolved');
    expect(calls(STATUS)).toHaveLength(3);
  });

  it('gives a render up after cloudExportMs', async () => {
    const processing = Array.from({ length: 100 }, () => () => renderReply('processing'));
    const { client, sleep } = setup({ replies: { [STATUS]: processing }, limits: { cloudExportMs: 30_000 } });
    expect(await kindOf(client.pollExport('render_1'))).toBe('export-timeout');
    const waited = sleep.mock.calls.reduce((sum, [ms]) => sum + ms, 0);
    expect(waited).toBeGreaterThanOrEqual(30_000);
    expect(waited).toBeLessThan(30_000 + 15_000);
  });

  it('an output URL that stalls falls back to the endpoint, and an endpoint that stalls too ends in no-reply', async () => {
    const { client, calls } = setup({
      replies: {
        'GET /result/a.mp3': [silentAfter(['ID3'], 'audio/mpeg')],
        [DOWNLOAD]: [silentAfter(['ID3'], 'audio/mpeg')],
      },
      limits: { cloudRequestMs: LIMIT },
    });
    const outcome = watch(client.download('render_1', `${BASE}/result/a.mp3`));
    await elapse(LIMIT);
    expect(outcome()).toBe('pending');
    expect(calls(DOWNLOAD)).toHaveLength(1);
    await elapse(LIMIT);
    expect(outcome()).toMatchObject({ kind: 'no-reply' });
  });
});

describe('server failures and replies that make no sense', () => {
  it.each<
    [string, string, Reply[], (client: NemoVideoClient) => Promise<unknown>, CloudErrorKind | 'succeeds', number]
  >([
    [
      'a GET answered once with an HTML 502 is asked again',
      CREDITS,
      [htmlError(502), ok({ available: 7 })],
      (client) => client.credits(),
      'succeeds',
      2,
    ],
    [
      'a GET that can not connect once is asked again',
      STATE,
      [() => Promise.reject(new TypeError('Failed to fetch')), ok({ state: {} })],
      (client) => client.state('s1'),
      'succeeds',
      2,
    ],
    [
      'a GET that keeps failing with HTML 503 gives up after the second',
      CREDITS,
      [htmlError(503), htmlError(503), ok({ available: 7 })],
      (client) => client.credits(),
      'server',
      2,
    ],
    [
      'a session POST answered with 502 is not sent again',
      SESSION,
      [htmlError(502), ok({ session_id: 's1' })],
      (client) => client.createSession('en'),
      'server',
      1,
    ],
    [
      'an export POST answered with 502 is not sent again',
      EXPORT,
      [htmlError(502), renderReply('pending')],
      (client) => client.startExport('s1', DRAFT, { format: 'mp3' }),
      'server',
      1,
    ],
    [
      'a chat answered with 502 is not sent again',
      CHAT,
      [htmlError(502), () => stream([])],
      (client) => client.chat('s1', 'anon_1', 'hi', () => {}),
      'server',
      1,
    ],
    [
      'a lost render (404) is not asked again',
      STATUS,
      [json({ success: false, error: 'Render not found' }, 404), renderReply('processing')],
      (client) => client.exportStatus('render_1'),
      'server',
      1,
    ],
    [
      'JSON cut off halfway',
      SESSION,
      [
        new Response('{"code":0,"message":"success","data":{"sess', {
          headers: { 'Content-Type': 'application/json' },
        }),
      ],
      (client) => client.createSession('en'),
      'bad-response',
      1,
    ],
    [
      'JSON cut off halfway on a GET (the server did answer: not asked again)',
      STATE,
      [new Response('{"code":0,"da', { headers: { 'Content-Type': 'application/json' } }), ok({ state: {} })],
      (client) => client.state('s1'),
      'bad-response',
      1,
    ],
    [
      'valid JSON of the wrong shape',
      SESSION,
      [ok({ result: 'ok' })],
      (client) => client.createSession('en'),
      'bad-response',
      1,
    ],
    [
      'a render status of the wrong shape',
      STATUS,
      [json({ success: true, data: { result: 'ok' } })],
      (client) => client.exportStatus('render_1'),
      'bad-response',
      1,
    ],
  ])('%s', async (_label, key, replies, call, expected, sent) => {
    const { client, calls } = setup({ replies: { [key]: replies } });
    if (expected === 'succeeds') await call(client);
    else expect(await kindOf(call(client))).toBe(expected);
    expect(calls(key)).toHaveLength(sent);
  });
});
