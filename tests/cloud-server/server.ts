// The project's NemoVideo stand-in, written from shared/nemovideo-api.md. Node's own modules, no dependencies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { execFile, spawn, type ChildProcess } from 'node:child_process';

/**
 * Misbehaviour to switch on at run time (`setFaults`, or `POST /__faults` with this as JSON).
 * "Once" faults switch themselves off when they have fired.
 */
export interface Faults {
  /** Next authenticated call: 1001 (HTTP 401), and its token is revoked. */
  tokenExpiredOnce?: boolean;
  /** Next call on a session: 1002, and the session is gone. */
  sessionLostOnce?: boolean;
  /** Next token call: HTTP 400 as if X-Client-Id were missing. */
  missingClientIdOnce?: boolean;
  /** Next API call: HTTP 429 with `Retry-After: 1`. */
  rateLimitedOnce?: boolean;
  /** Chat: 2001. */
  noCredits?: boolean;
  /** Upload: 4001. */
  unsupportedFile?: boolean;
  /** Upload: 4002. */
  tooLarge?: boolean;
  /** Export: HTTP 402. */
  planBlocked?: boolean;
  /** Export: HTTP 409 "duplicate render id" once. */
  duplicateRenderIdOnce?: boolean;
  /** Chat events as `{"type":…}` (default) or agent-framework `{"content":{"parts":…}}`. */
  sseShape?: 'simple' | 'adk';
  /** Chat: tool calls only, no text. */
  chatWithoutText?: boolean;
  /** Chat: only heartbeats for this long before the answer. */
  chatDelayMs?: number;
  /** Export: hand back the uploaded video instead of an MP3. */
  renderReturnsMp4?: boolean;
  /** Export: status ends `failed`. */
  renderFails?: boolean;
  /** Render status inside `data` with `outputUrl` (default) or at the top level with `output.url`. */
  renderStatusShape?: 'data' | 'top-level';
  /** Credits with `total` (default), `total_granted`/`total_consumed`, or numbers as strings. */
  creditsShape?: 'total' | 'granted' | 'strings';
  /** That call is read and then never answered (the connection stays open). */
  hangOnce?: CallName;
  /** Chat: two heartbeats, then silence without closing; the edit never happens and its credits are given back. */
  chatSilentOnce?: boolean;
  /** Chat: the connection is cut in the middle of an event; the edit still happens, as a backend job would. */
  chatCutOffOnce?: boolean;
  /** That call: HTTP 502 with an HTML page, once. */
  serverErrorOnce?: CallName;
  /** That call: HTTP 503 with an HTML page, every time. */
  serverError?: CallName;
  /** That call: HTTP 200 with JSON cut off halfway. */
  truncatedJsonOnce?: CallName;
  /** That call: HTTP 200 with valid JSON that isn't the reply it should be. */
  wrongShapeOnce?: CallName;
  /** Export: status stays `processing`, forever. */
  renderNeverCompletes?: boolean;
}

/** The calls a fault can name. */
type CallName =
  'token' | 'session' | 'upload' | 'chat' | 'state' | 'credits' | 'export' | 'status' | 'cancel' | 'download';

/** The faults that name a call rather than switch something on. */
type CallFault = 'hangOnce' | 'serverErrorOnce' | 'serverError' | 'truncatedJsonOnce' | 'wrongShapeOnce';

interface CreditAccount {
  available: number;
  frozen: number;
  consumed: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
}

interface MediaInfo {
  /** Seconds. */
  duration: number;
  width?: number;
  height?: number;
  fps?: number;
}

type FileType = keyof typeof SUPPORTED;

interface StoredFile extends MediaInfo {
  id: string;
  path: string;
  filename: string;
  fileType: FileType;
  contentType: string;
  hash: string;
}

/** A draft's audio segment: `d` is its length and `m.start` where it starts in the source, both in ms. */
interface Segment {
  id: string;
  d: number;
  m: { src: string; name: string; start?: number };
}

interface Track {
  tt: number;
  id: string;
  sg: Segment[];
}

interface Draft {
  t: Track[];
  d?: number;
  m?: { title: string; width?: number; height?: number };
}

interface Session {
  userId: string;
  taskId: string;
  files: StoredFile[];
  draft: Draft;
  chatting: boolean;
}

interface Render {
  id: string;
  userId: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  /** 0–100. */
  progress: number;
  createdAt: number;
  completedAt?: number;
  outputPath?: string;
  outputType?: string;
  child?: ChildProcess;
}

/** The part of a draft's audio an edit keeps, in ms. */
interface TimeRange {
  startMs: number;
  durationMs: number;
}

// What clients send, as far as the stand-in reads it. Nothing in a request is trusted: every field is
// optional and checked before it is used.

interface SessionRequest {
  task_name?: string;
  language?: unknown;
}

interface UploadByUrlRequest {
  source_type?: string;
  urls?: string[];
}

interface ChatRequest {
  app_name?: string;
  user_id?: string;
  session_id?: string;
  new_message?: { parts?: { text?: string }[] };
}

/** One write of a chat's event stream: how long to wait before it, and the raw text. */
type ScriptWrite = [delayMs: number, text: string];

interface RenderRequest {
  id?: string;
  sessionId?: string;
  draft?: { t?: Partial<Track>[] };
  output?: { format?: string; audioBitrate?: number | string };
}

/** The stand-in as a test holds it. */
export interface NemoVideoServer {
  url: string;
  /** Everything the server was asked, in order (JSON bodies parsed). */
  requests: LoggedRequest[];
  /** Credit accounts by user id; change them to set up a test. */
  credits: Map<string, CreditAccount>;
  /** Replaces the current faults; `{}` clears them. */
  setFaults(next: Faults): void;
  readonly faults: Faults;
  close(): Promise<void>;
}

const TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** `chatCutOffOnce` cuts the stream halfway through this write of the chat script: the tool result, after the tool call. */
const CUT_OFF_AT_WRITE = 4;
const FREE_CREDITS = 100;
const EDIT_COST = 10;
const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;
const SUPPORTED = {
  video: ['.mp4', '.mov', '.avi', '.webm', '.mkv'],
  image: ['.jpg', '.jpeg', '.png', '.gif', '.webp'],
  audio: ['.mp3', '.wav', '.m4a', '.aac'],
};
const CALLS: [CallName, string, RegExp][] = [
  ['token', 'POST', /^\/api\/auth\/anonymous-token$/],
  ['session', 'POST', /^\/api\/tasks\/me\/with-session\/nemo_agent$/],
  ['upload', 'POST', /^\/api\/upload-video\/nemo_agent\/me\/[^/]+$/],
  ['chat', 'POST', /^\/run_sse$/],
  ['state', 'GET', /^\/api\/state\/nemo_agent\/me\/[^/]+\/latest$/],
  ['credits', 'GET', /^\/api\/credits\/balance\/simple$/],
  ['export', 'POST', /^\/api\/render\/proxy\/lambda$/],
  ['status', 'GET', /^\/api\/render\/proxy\/lambda\/render_[\w-]+$/],
  ['cancel', 'POST', /^\/api\/render\/proxy\/lambda\/render_[\w-]+\/cancel$/],
  ['download', 'GET', /^\/api\/render\/proxy\/render_[\w-]+\/download$|^\/renders\//],
];
const callOf = (method: string, path: string): CallName | undefined =>
  CALLS.find(([, callMethod, pattern]) => callMethod === method && pattern.test(path))?.[0];

/** What a proxy in front of a failing backend answers. */
const errorPage = (status: number, title: string) =>
  `<html><head><title>${status} ${title}</title></head>` +
  `<body><center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>`;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, X-Client-Id, X-Skill-Source, X-Skill-Version, X-Skill-Platform',
  'Access-Control-Expose-Headers': 'Retry-After',
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendHtml(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'text/html' });
  res.end(html);
}

const ok = (res: http.ServerResponse, data: unknown) => sendJson(res, 200, { code: 0, message: 'success', data });
const fail = (res: http.ServerResponse, status: number, code: number, message: string) =>
  sendJson(res, status, { code, message, data: null });
/** Render calls answer `{success, data}` / `{success: false, error}`. */
const renderFail = (res: http.ServerResponse, status: number, error: string, code?: number) =>
  sendJson(res, status, { success: false, error, ...(code === undefined ? {} : { code }) });

/** Sends the first half of `chunk`, then cuts the connection without ending the chunked body. */
function cutOff(res: http.ServerResponse, chunk: string) {
  if (res.destroyed) return;
  // Destroyed once the half is on its way, so the client reads it before the cut.
  res.write(chunk.slice(0, Math.ceil(chunk.length / 2)), () => res.destroy());
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The parts of a `multipart/form-data` body. */
function parseMultipart(body: Buffer, boundary: string) {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { name?: string; filename?: string; content: Buffer }[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    const part = body.subarray(afterDelimiter + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      parts.push({
        name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
        filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
        content: part.subarray(headerEnd + 4),
      });
    }
    start = next;
  }
  return parts;
}

/** What the stand-in reads of `ffprobe -print_format json -show_format -show_streams`. */
interface ProbeReport {
  streams?: { codec_type: string; width?: number; height?: number; r_frame_rate?: string }[];
  format?: { duration?: string };
}

/** Duration, size and frame rate from ffprobe; undefined when it isn't media. */
function probe(path: string): Promise<MediaInfo | undefined> {
  return new Promise((resolve) => {
    execFile(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      (error, stdout) => {
        if (error) return resolve(undefined);
        const info = JSON.parse(stdout) as ProbeReport;
        const streams = info.streams ?? [];
        const video = streams.find((stream) => stream.codec_type === 'video');
        const [frames, seconds] = (video?.r_frame_rate ?? '').split('/').map(Number);
        resolve({
          duration: Number(info.format?.duration ?? 0),
          width: video?.width,
          height: video?.height,
          fps: frames && seconds ? Math.round((frames / seconds) * 100) / 100 : undefined,
        });
      },
    );
  });
}

function fileTypeOf(filename: string) {
  const extension = extname(filename).toLowerCase();
  return (Object.keys(SUPPORTED) as FileType[]).find((type) => SUPPORTED[type].includes(extension));
}

/** Starts the stand-in on `host:port` (port 0: any free port). */
export async function startNemoVideoServer({
  port = 0,
  host = '127.0.0.1',
}: { port?: number; host?: string } = {}): Promise<NemoVideoServer> {
  const storage = await mkdtemp(join(tmpdir(), 'nemovideo-'));
  let faults: Faults = {};
  const requests: LoggedRequest[] = [];
  /** Credits by user id. */
  const credits = new Map<string, CreditAccount>();
  /** User id by client id. */
  const users = new Map<string, string>();
  const tokens = new Map<string, { userId: string; expiresAt: number }>();
  const sessions = new Map<string, Session>();
  const renders = new Map<string, Render>();
  const files = new Map<string, StoredFile>();

  const fires = (fault: keyof Faults) => {
    if (!faults[fault]) return false;
    if (fault.endsWith('Once')) faults = { ...faults, [fault]: false };
    return true;
  };

  /** Whether a fault that names a call fires on `call`. */
  const firesOn = (fault: CallFault, call: CallName) => {
    if (faults[fault] !== call) return false;
    if (fault.endsWith('Once')) faults = { ...faults, [fault]: undefined };
    return true;
  };

  /** Answers `call` as a fault says, if one names it; true when it did (or never will). */
  async function callFault(call: CallName, req: http.IncomingMessage, res: http.ServerResponse, logged: LoggedRequest) {
    let answer: (() => void) | undefined;
    if (firesOn('hangOnce', call)) answer = () => {};
    else if (firesOn('serverErrorOnce', call)) answer = () => sendHtml(res, 502, errorPage(502, 'Bad Gateway'));
    else if (firesOn('serverError', call))
      answer = () => sendHtml(res, 503, errorPage(503, 'Service Temporarily Unavailable'));
    else if (firesOn('truncatedJsonOnce', call)) {
      answer = () => {
        res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'application/json' });
        res.end('{"code":0,"message":"success","data":{"id":"x","sta');
      };
    } else if (firesOn('wrongShapeOnce', call))
      answer = () => sendJson(res, 200, { code: 0, message: 'success', data: { result: 'ok' } });
    if (!answer) return false;
    const body = await readBody(req);
    if ((req.headers['content-type'] ?? '').includes('application/json')) logged.body = parseJson(body);
    answer();
    return true;
  }

  const origin = (req: http.IncomingMessage) => `http://${req.headers.host ?? `${host}:${port}`}`;

  /** The user of the bearer token, or undefined after answering 1001. */
  function authenticate(req: http.IncomingMessage, res: http.ServerResponse) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token && fires('tokenExpiredOnce')) tokens.delete(token);
    const entry = token ? tokens.get(token) : undefined;
    if (entry && entry.expiresAt > Date.now()) return entry.userId;
    fail(res, 401, 1001, 'Token invalid or expired');
    return undefined;
  }

  /** The user's session, or undefined after answering 1002. */
  function sessionOf(res: http.ServerResponse, sessionId: string, userId: string, renderStyle = false) {
    if (fires('sessionLostOnce')) sessions.delete(sessionId);
    const session = sessions.get(sessionId);
    if (session && session.userId === userId) return session;
    if (renderStyle) renderFail(res, 200, 'Session not found', 1002);
    else fail(res, 200, 1002, 'Session not found');
    return undefined;
  }

  function accountOf(userId: string) {
    let account = credits.get(userId);
    if (!account) credits.set(userId, (account = { available: FREE_CREDITS, frozen: 0, consumed: 0 }));
    return account;
  }

  function anonymousToken(req: http.IncomingMessage, res: http.ServerResponse) {
    const clientId = req.headers['x-client-id'];
    if (typeof clientId !== 'string' || !clientId || fires('missingClientIdOnce')) {
      return fail(res, 400, 400, 'Missing X-Client-Id header');
    }
    const userId = users.get(clientId) ?? `anon_${hex(6)}`;
    users.set(clientId, userId);
    const token = `nmv_usr_${hex(16)}`;
    const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
    tokens.set(token, { userId, expiresAt });
    ok(res, {
      token,
      user_id: userId,
      expires_at: new Date(expiresAt).toISOString(),
      credits: accountOf(userId).available,
    });
  }

  function createSession(res: http.ServerResponse, userId: string, body: SessionRequest | undefined) {
    if (body?.task_name !== 'project' || (body.language !== undefined && typeof body.language !== 'string')) {
      return fail(res, 400, 4000, 'Invalid request body');
    }
    const sessionId = `55${String(Date.now()).slice(-10)}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const taskId = `task_${hex(6)}`;
    sessions.set(sessionId, { userId, taskId, files: [], draft: { t: [] }, chatting: false });
    ok(res, { session_id: sessionId, task_id: taskId, user_id: userId });
  }

  /** Stores one uploaded file; undefined when it isn't a supported media file. */
  async function storeFile(content: Buffer, filename: string): Promise<StoredFile | undefined> {
    const fileType = fileTypeOf(filename);
    if (!fileType) return undefined;
    const id = hex(8);
    const path = join(storage, `${id}${extname(filename).toLowerCase()}`);
    await writeFile(path, content);
    const info = await probe(path);
    if (!info) return undefined;
    const extension = extname(filename).slice(1).toLowerCase();
    const file: StoredFile = {
      id,
      path,
      filename,
      fileType,
      contentType: `${fileType}/${extension === 'mov' ? 'quicktime' : extension === 'mp3' ? 'mpeg' : extension}`,
      ...info,
      hash: createHash('sha1').update(content).digest('hex'),
    };
    files.set(id, file);
    return file;
  }

  /** Multipart (field `files`), or JSON `{urls, source_type: 'url'}` already read into `json`. */
  async function upload(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    session: Session,
    json: UploadByUrlRequest | undefined,
  ) {
    if (fires('unsupportedFile')) return fail(res, 400, 4001, 'Unsupported file type');
    if (fires('tooLarge') || Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) {
      req.resume();
      return fail(res, 413, 4002, 'File too large (max 500MB)');
    }
    const type = req.headers['content-type'] ?? '';
    let incoming: { filename: string; content: Buffer }[] = [];
    if (type.startsWith('multipart/form-data')) {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
      const parts = boundary ? parseMultipart(await readBody(req), boundary[1] ?? boundary[2] ?? '') : [];
      incoming = parts.flatMap((part) =>
        part.name === 'files' && part.filename ? [{ filename: part.filename, content: part.content }] : [],
      );
    } else {
      if (json?.source_type !== 'url' || !Array.isArray(json.urls)) return fail(res, 400, 4000, 'Invalid request body');
      for (const url of json.urls) {
        const response = await fetch(url).catch(() => undefined);
        if (!response?.ok) return fail(res, 400, 4003, 'Could not fetch the URL');
        incoming.push({
          filename: new URL(url).pathname.split('/').pop() || 'video.mp4',
          content: Buffer.from(await response.arrayBuffer()),
        });
      }
    }
    if (incoming.length === 0) return fail(res, 400, 4000, 'No files in field "files"');
    const stored = [];
    for (const { filename, content } of incoming) {
      const file = await storeFile(content, filename);
      if (!file) return fail(res, 400, 4001, 'Unsupported file type');
      stored.push(file);
    }
    session.files.push(...stored);
    ok(res, {
      files: stored.map((file) => ({
        filename: file.filename,
        file_type: file.fileType,
        cdn_url: `${origin(req)}/files/${file.id}/${encodeURIComponent(file.filename)}`,
        duration: file.duration,
        width: file.width,
        height: file.height,
        fps: file.fps,
        hash: file.hash,
      })),
      session_state_applied: true,
    });
  }

  /**
   * The SSE script of an edit. Some writes split an event or a line on purpose; the agent-framework
   * shape uses CRLF line ends.
   * @param text the answer; the parts of an array are sent as separate events
   */
  function chatScript(
    withText: boolean,
    text: string | string[] = 'Done! Click Export to download your MP3.',
  ): ScriptWrite[] {
    if (faults.sseShape === 'adk') {
      const event = (event: object) => `data: ${JSON.stringify({ author: 'nemo_agent', ...event })}\r\n\r\n`;
      const call = event({
        content: {
          role: 'model',
          parts: [{ functionCall: { name: 'edit_multitrack', args: { action: 'extract_audio' } } }],
        },
      });
      return [
        [50, ': connected\r\n\r\n'],
        [150, call.slice(0, 20)],
        [50, call.slice(20)],
        [200, 'data:\r\n\r\n'],
        [
          200,
          event({
            content: {
              role: 'user',
              parts: [{ functionResponse: { name: 'edit_multitrack', response: { ok: true } } }],
            },
          }),
        ],
        ...(withText
          ? ([
              [150, event({ partial: true, content: { role: 'model', parts: [{ text: 'Done! Click' }] } })],
              [100, event({ content: { role: 'model', parts: [{ text: [text].flat().join(' ') }] } })],
            ] satisfies ScriptWrite[])
          : []),
      ];
    }
    const toolResult = JSON.stringify({ type: 'tool_result', name: 'edit_multitrack', result: { ok: true } });
    const cut = toolResult.indexOf(',"result"') + 1;
    // An answer in several parts streams one part at a time, as an agent's does.
    const [first = '', ...rest] = Array.isArray(text) ? text : [text];
    const textEvent = `data: ${JSON.stringify({ type: 'text', content: first })}\n\n`;
    const later = rest.map((part): ScriptWrite => [
      600,
      `data: ${JSON.stringify({ type: 'text', content: part })}\n\n`,
    ]);
    return [
      [50, ': connected\n\n'],
      [100, 'data: {"type":"heartbeat"}\n\n'],
      [
        150,
        `data: ${JSON.stringify({ type: 'tool_call', name: 'edit_multitrack', args: { action: 'extract_audio' } })}\n\n`,
      ],
      [200, 'data:\n\n'],
      // One event over two data lines, cut between two JSON members: joined with a newline, it is still JSON.
      [200, `data: ${toolResult.slice(0, cut)}\ndata: ${toolResult.slice(cut)}\n\n`],
      ...(withText
        ? ([[100, textEvent.slice(0, 25)], [100, textEvent.slice(25)], ...later] satisfies ScriptWrite[])
        : []),
    ];
  }

  /**
   * What an instruction asks of the audio: a time range ("from 0:30 to 2:00", "0:30 到 2:00"), or
   * "shorter" (half as long). Undefined when it asks for nothing we model.
   */
  function requestedRange(text: string, durationMs: number): TimeRange | undefined {
    const time = String.raw`(\d+):(\d{1,2}(?:\.\d+)?)`;
    const range = new RegExp(String.raw`${time}\s*(?:to|-|–|到|至)\s*${time}`, 'i').exec(text);
    if (range) {
      const startMs = (Number(range[1]) * 60 + Number(range[2])) * 1000;
      const endMs = Math.min(durationMs, (Number(range[3]) * 60 + Number(range[4])) * 1000);
      if (endMs > startMs) return { startMs, durationMs: endMs - startMs };
    }
    if (/shorter|更短|短一点/i.test(text)) return { startMs: 0, durationMs: Math.round(durationMs / 2) };
    return undefined;
  }

  const clock = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.floor((ms % 60000) / 1000)).padStart(2, '0')}`;

  function audioDraft(session: Session): Draft {
    const source = session.files.at(-1);
    if (!source) return session.draft;
    const durationMs = Math.round(source.duration * 1000);
    return {
      t: [
        {
          tt: 1,
          id: 'track_audio',
          sg: [{ id: 'segment_1', d: durationMs, m: { src: source.id, name: source.filename, start: 0 } }],
        },
      ],
      d: durationMs,
      m: { title: source.filename, width: source.width, height: source.height },
    };
  }

  async function chat(res: http.ServerResponse, userId: string, body: ChatRequest | undefined) {
    const text = body?.new_message?.parts?.[0]?.text;
    if (
      body?.app_name !== 'nemo_agent' ||
      typeof body.user_id !== 'string' ||
      typeof body.session_id !== 'string' ||
      typeof text !== 'string'
    ) {
      return fail(res, 400, 4000, 'Invalid request body');
    }
    const session = sessionOf(res, body.session_id, userId);
    if (!session) return;
    const account = accountOf(userId);
    if (faults.noCredits || account.available < EDIT_COST) return fail(res, 200, 2001, 'Insufficient credits');
    if (session.chatting) return fail(res, 409, 4090, 'Session is busy');
    session.chatting = true;
    const base = session.draft.t.length > 0 ? session.draft : audioDraft(session);
    const track = base.t[0];
    const segment = track?.sg?.[0];
    const range = segment ? requestedRange(text, segment.d) : undefined;
    const edited: Draft =
      range && track && segment
        ? {
            ...base,
            d: range.durationMs,
            t: [
              {
                ...track,
                sg: [
                  {
                    ...segment,
                    d: range.durationMs,
                    m: { ...segment.m, start: (segment.m.start ?? 0) + range.startMs },
                  },
                ],
              },
            ],
          }
        : base;
    const reply = range
      ? [
          `I kept ${clock(range.startMs)}–${clock(range.startMs + range.durationMs)} of the audio (${(range.durationMs / 1000).toFixed(1)} s).`,
          'Click the Export button to download your MP3.',
        ]
      : undefined;
    account.available -= EDIT_COST;
    account.frozen += EDIT_COST;
    res.writeHead(200, {
      ...CORS_HEADERS,
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    if (fires('chatSilentOnce')) return goSilent(res, session, account);
    // The edit goes on when the client goes away, as a backend job would.
    for (let waited = 0; waited < (faults.chatDelayMs ?? 0); waited += 1000) {
      await wait(1000);
      if (!res.destroyed) res.write('data: {"type":"heartbeat"}\n\n');
    }
    const script = chatScript(!faults.chatWithoutText, reply);
    const cutOffAt = fires('chatCutOffOnce') ? CUT_OFF_AT_WRITE : -1;
    for (const [index, [delay, chunk]] of script.entries()) {
      await wait(delay);
      if (index === cutOffAt) cutOff(res, chunk);
      else if (!res.destroyed) res.write(chunk);
    }
    session.draft = edited;
    account.frozen -= EDIT_COST;
    account.consumed += EDIT_COST;
    session.chatting = false;
    res.end();
  }

  /** Two heartbeats, then nothing until the client gives up: the edit never happens, so its frozen credits go back. */
  async function goSilent(res: http.ServerResponse, session: Session, account: CreditAccount) {
    for (let beat = 0; beat < 2; beat++) {
      await wait(200);
      if (!res.destroyed) res.write('data: {"type":"heartbeat"}\n\n');
    }
    const giveBack = () => {
      account.frozen -= EDIT_COST;
      account.available += EDIT_COST;
      session.chatting = false;
    };
    if (res.destroyed) giveBack();
    else res.once('close', giveBack);
  }

  function state(res: http.ServerResponse, session: Session) {
    const video = session.files.find((file) => file.fileType === 'video');
    ok(res, {
      state: {
        draft: session.draft,
        video_infos: session.files.map((file) => ({
          filename: file.filename,
          duration: file.duration,
          width: file.width,
          height: file.height,
        })),
        canvas_config: { width: video?.width ?? 1920, height: video?.height ?? 1080 },
        generated_media: [],
      },
    });
  }

  function balance(res: http.ServerResponse, userId: string) {
    const { available, frozen, consumed } = accountOf(userId);
    if (faults.creditsShape === 'granted')
      return ok(res, { available, frozen, total_granted: available + frozen + consumed, total_consumed: consumed });
    if (faults.creditsShape === 'strings')
      return ok(res, { available: String(available), frozen: String(frozen), total: String(available + frozen) });
    ok(res, { available, frozen, total: available + frozen });
  }

  const hasAttribution = (req: http.IncomingMessage) =>
    ['x-skill-source', 'x-skill-version', 'x-skill-platform'].every((name) => req.headers[name]);

  function startRender(res: http.ServerResponse, userId: string, body: RenderRequest | undefined) {
    if (
      typeof body?.id !== 'string' ||
      !/^render_[\w-]+$/.test(body.id) ||
      typeof body.sessionId !== 'string' ||
      !Array.isArray(body.draft?.t)
    ) {
      return renderFail(res, 400, 'Invalid render request');
    }
    if (renders.has(body.id) || fires('duplicateRenderIdOnce'))
      return renderFail(res, 409, `Duplicate render id: ${body.id}`);
    const session = sessionOf(res, body.sessionId, userId, true);
    if (!session) return;
    const source = session.files.at(-1);
    if (!source || !body.draft.t.some((track) => Array.isArray(track?.sg) && track.sg.length > 0)) {
      return renderFail(res, 400, 'Draft is empty');
    }
    const render: Render = { id: body.id, userId, status: 'pending', progress: 0, createdAt: Date.now() };
    renders.set(render.id, render);
    sendJson(res, 200, { success: true, data: { id: render.id, status: render.status, progress: render.progress } });
    const format = body.output?.format === 'mp3' && !faults.renderReturnsMp4 ? 'mp3' : 'video';
    const segment = body.draft.t.find((track) => track?.sg?.length)?.sg?.[0];
    const trim = segment ? { startMs: Number(segment.m?.start ?? 0), durationMs: Number(segment.d) } : undefined;
    const stalls = Boolean(faults.renderNeverCompletes);
    runRender(
      render,
      source,
      format,
      Number(body.output?.audioBitrate ?? 192),
      Boolean(faults.renderFails),
      stalls,
      trim,
    ).catch(() => {
      render.status = 'failed';
    });
  }

  /**
   * pending → processing → completed (or failed), with a real MP3 made by ffmpeg; or processing forever when it `stalls`.
   * @param trim the draft's audio segment
   */
  async function runRender(
    render: Render,
    source: StoredFile,
    format: 'mp3' | 'video',
    bitrate: number,
    failing: boolean,
    stalls: boolean,
    trim?: TimeRange,
  ) {
    await wait(300);
    if (render.status !== 'pending') return;
    render.status = 'processing';
    render.progress = 10;
    if (stalls) return;
    const finishedAfter = wait(800);
    let succeeded = false;
    if (failing) {
      await wait(300);
    } else if (format === 'video') {
      render.outputPath = join(storage, `${render.id}${extname(source.path)}`);
      render.outputType = source.contentType;
      await copyFile(source.path, render.outputPath);
      succeeded = true;
    } else {
      render.outputPath = join(storage, `${render.id}.mp3`);
      render.outputType = 'audio/mpeg';
      succeeded = await encodeMp3(render, source, bitrate, trim);
    }
    await finishedAfter;
    if (render.status !== 'processing') return;
    render.status = succeeded ? 'completed' : 'failed';
    render.progress = succeeded ? 100 : render.progress;
    render.completedAt = Date.now();
  }

  function encodeMp3(render: Render, source: StoredFile, bitrate: number, trim?: TimeRange): Promise<boolean> {
    return new Promise((resolve) => {
      const range = trim ? ['-ss', String(trim.startMs / 1000), '-t', String(trim.durationMs / 1000)] : [];
      const args = [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-i',
        source.path,
        ...range,
        '-vn',
        '-c:a',
        'libmp3lame',
        '-b:a',
        `${bitrate}k`,
        '-progress',
        'pipe:1',
        '-nostats',
        render.outputPath ?? '',
      ];
      const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
      render.child = child;
      child.stdout.on('data', (chunk: Buffer) => {
        const microseconds = Number(/out_time_us=(\d+)/.exec(chunk.toString())?.[1]);
        if (microseconds && source.duration)
          render.progress = Math.min(95, 10 + Math.round((microseconds / 1e6 / source.duration) * 85));
      });
      child.on('error', () => resolve(false));
      child.on('close', (code) => {
        render.child = undefined;
        resolve(code === 0);
      });
    });
  }

  function renderStatus(req: http.IncomingMessage, res: http.ServerResponse, render: Render) {
    const outputUrl =
      render.status === 'completed'
        ? `${origin(req)}/renders/${render.id}${extname(render.outputPath ?? '')}`
        : undefined;
    const { id, status, progress, createdAt, completedAt } = render;
    if (faults.renderStatusShape === 'top-level') {
      return sendJson(res, 200, {
        success: true,
        id,
        status,
        progress,
        ...(outputUrl ? { output: { url: outputUrl } } : {}),
      });
    }
    sendJson(res, 200, { success: true, data: { id, status, progress, outputUrl, createdAt, completedAt } });
  }

  function sendFile(res: http.ServerResponse, path: string, type: string) {
    res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': type });
    createReadStream(path).pipe(res);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const logged: LoggedRequest = { method, path, headers: { ...req.headers } };
    requests.push(logged);
    if (method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      return res.end();
    }
    if (path === '/__faults') {
      if (method === 'POST') faults = { ...((parseJson(await readBody(req)) as Faults | undefined) ?? {}) };
      return sendJson(res, 200, { ok: true, faults });
    }
    const call = callOf(method, path);
    if (call && (await callFault(call, req, res, logged))) return;
    let match;
    if (method === 'GET' && (match = /^\/files\/(\w+)\/[^/]+$/.exec(path))) {
      const file = files.get(match[1] ?? '');
      return file ? sendFile(res, file.path, file.contentType) : fail(res, 404, 404, 'Not found');
    }
    if (method === 'GET' && (match = /^\/renders\/(render_[\w-]+)\.\w+$/.exec(path))) {
      const render = renders.get(match[1] ?? '');
      return render?.status === 'completed' && render.outputPath
        ? sendFile(res, render.outputPath, render.outputType ?? 'application/octet-stream')
        : fail(res, 404, 404, 'Not found');
    }
    if (fires('rateLimitedOnce'))
      return sendJson(res, 429, { code: 429, message: 'Too many requests', data: null }, { 'Retry-After': '1' });
    if (method === 'POST' && path === '/api/auth/anonymous-token') return anonymousToken(req, res);

    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    const body = method === 'POST' && isJson ? parseJson(await readBody(req)) : undefined;
    logged.body = body;
    const userId = authenticate(req, res);
    if (!userId) return;

    if (method === 'POST' && path === '/api/tasks/me/with-session/nemo_agent') {
      return createSession(res, userId, body as SessionRequest | undefined);
    }
    if (method === 'POST' && path === '/run_sse') return chat(res, userId, body as ChatRequest | undefined);
    if (method === 'GET' && path === '/api/credits/balance/simple') return balance(res, userId);
    if (method === 'POST' && (match = /^\/api\/upload-video\/nemo_agent\/me\/([^/]+)$/.exec(path))) {
      const session = sessionOf(res, decodeURIComponent(match[1] ?? ''), userId);
      return session && (await upload(req, res, session, body as UploadByUrlRequest | undefined));
    }
    if (method === 'GET' && (match = /^\/api\/state\/nemo_agent\/me\/([^/]+)\/latest$/.exec(path))) {
      const session = sessionOf(res, decodeURIComponent(match[1] ?? ''), userId);
      return session && state(res, session);
    }
    if (method === 'POST' && path === '/api/render/proxy/lambda') {
      if (!hasAttribution(req)) return renderFail(res, 402, 'Missing attribution headers');
      if (faults.planBlocked) return renderFail(res, 402, 'Export is not available on the free plan');
      return startRender(res, userId, body as RenderRequest | undefined);
    }
    if ((match = /^\/api\/render\/proxy\/(?:lambda\/)?(render_[\w-]+)(\/cancel|\/download)?$/.exec(path))) {
      const render = renders.get(match[1] ?? '');
      if (!render || render.userId !== userId) return renderFail(res, 404, 'Render not found');
      const isLambda = path.startsWith('/api/render/proxy/lambda/');
      if (method === 'GET' && isLambda && !match[2]) return renderStatus(req, res, render);
      if (method === 'POST' && isLambda && match[2] === '/cancel') {
        render.child?.kill('SIGKILL');
        if (render.status === 'pending' || render.status === 'processing') render.status = 'cancelled';
        return sendJson(res, 200, { success: true, data: { id: render.id, status: render.status } });
      }
      if (method === 'GET' && !isLambda && match[2] === '/download') {
        return render.status === 'completed' && render.outputPath
          ? sendFile(res, render.outputPath, render.outputType ?? 'application/octet-stream')
          : renderFail(res, 404, 'Render not ready');
      }
    }
    fail(res, 404, 404, 'Not found');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('NemoVideo stand-in:', error);
      if (!res.headersSent) fail(res, 500, 5000, 'Internal error');
      else res.end();
    });
  });
  await new Promise((resolve) => server.listen(port, host, () => resolve(undefined)));
  // Listening on a host and port, so the address is never a pipe's name.
  const address = server.address() as AddressInfo;

  return {
    url: `http://${host}:${address.port}`,
    requests,
    credits,
    setFaults(next) {
      faults = { ...next };
    },
    get faults() {
      return faults;
    },
    async close() {
      for (const render of renders.values()) render.child?.kill('SIGKILL');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await rm(storage, { recursive: true, force: true });
    },
  };
}
