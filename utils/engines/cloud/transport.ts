import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from '../../limits';
import { deadline } from '../../timing/deadline';
import { sleep, within } from '../../timing/timeout';
import { CloudError, cloudErrorKind, isTransientFailure } from './errors';
import { anonymousTokenSchema, codeEnvelopeSchema, successEnvelopeSchema } from './schemas';

/** What the client keeps between runs. The app stores it where content scripts can't read it. */
export interface CloudCredentials {
  /** Made once (a UUID) and kept: the backend limits anonymous tokens per client id. */
  clientId?: string;
  token?: string;
  /** Epoch milliseconds. */
  expiresAt?: number;
  userId?: string;
}

export interface CredentialStore {
  get(): Promise<CloudCredentials>;
  set(credentials: CloudCredentials): Promise<void>;
}

type Sleep = typeof sleep;
/** How long the client waits on NemoVideo before it gives up (see utils/limits.ts). */
export type CloudLimits = Pick<Limits, 'cloudRequestMs' | 'cloudStreamIdleMs' | 'cloudExportMs'>;

export interface TransportOptions {
  baseUrl: string;
  /** Sent as X-Skill-Version. */
  version: string;
  /** Sent as X-Skill-Platform: where the extension runs (`chrome`, `firefox`, …). */
  platform: string;
  credentials: CredentialStore;
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
  /** Told before waiting out a rate limit (HTTP 429), so the user can be told too. */
  onRateLimited?: (waitMs: number) => void;
  /** Shorter or longer waits than the defaults. */
  limits?: Partial<CloudLimits>;
}

const SKILL_SOURCE = 'video-to-mp3';
const TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Renew a little early, so a token doesn't expire between the check and the request. */
const TOKEN_RENEWAL_MARGIN_MS = 60 * 1000;
const DEFAULT_RETRY_AFTER_MS = 30 * 1000;
/** A GET that met a transient failure is asked once more after this pause. */
const TRANSIENT_RETRY_MS = 1000;

/**
 * The same bytes as `stream`, but an error (`idleError()`) once nothing has arrived for `idleMs`:
 * the source is then cancelled, which closes its connection.
 */
export function idleLimited(
  stream: ReadableStream<Uint8Array>,
  idleMs: number,
  idleError: () => Error,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await within(reader.read(), idleMs, () => {
          throw idleError();
        });
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        void reader.cancel(error).catch(() => undefined);
        throw error;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * What reading a reply's body stopped with, as a caller sees it: the cancel when it was cancelled,
 * the CloudError it met, else a 'network' failure (the connection broke).
 */
export function readFailure(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  return error instanceof CloudError ? error : new CloudError('network', { detail: String(error) });
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** 'stream': hand back the unread body (chat, download); 'json': read and unwrap the envelope. */
  expect?: 'json' | 'stream';
  accept?: string;
  /** The anonymous-token request: X-Client-Id instead of bearer auth. */
  tokenCall?: boolean;
  signal?: AbortSignal;
  /** How long to wait for the reply, when not `cloudRequestMs`. */
  timeoutMs?: number;
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterMs(response: Response, now: number): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function expiryOf(expiresAt: string | number | undefined): number | undefined {
  if (typeof expiresAt === 'string') return Date.parse(expiresAt);
  // Epoch seconds until the year 33658, milliseconds after.
  if (typeof expiresAt === 'number') return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  return undefined;
}

/** Requests to NemoVideo: attribution, the anonymous token, envelopes, errors and the retry-once rules. */
export class Transport {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly onRateLimited?: (waitMs: number) => void;
  readonly sleep: Sleep;
  readonly now: () => number;
  readonly limits: CloudLimits;
  /** Links a registration to this anonymous user (2001): the backend's bind id, else the user id. */
  private bindId?: string;
  private renewing?: Promise<string>;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onRateLimited = options.onRateLimited;
    this.sleep = options.sleep ?? sleep;
    this.now = options.now ?? Date.now;
    this.limits = {
      cloudRequestMs: options.limits?.cloudRequestMs ?? DEFAULT_LIMITS.cloudRequestMs,
      cloudStreamIdleMs: options.limits?.cloudStreamIdleMs ?? DEFAULT_LIMITS.cloudStreamIdleMs,
      cloudExportMs: options.limits?.cloudExportMs ?? DEFAULT_LIMITS.cloudExportMs,
    };
  }

  /** A valid token: the stored one, or a new anonymous one when there is none or it (nearly) expired. */
  async ensureToken(): Promise<string> {
    const { token, expiresAt, userId } = await this.options.credentials.get();
    this.bindId ??= userId;
    if (token && expiresAt !== undefined && expiresAt - TOKEN_RENEWAL_MARGIN_MS > this.now()) return token;
    return this.renewToken();
  }

  /** A new anonymous token, once however many callers ask at the same time. */
  renewToken(): Promise<string> {
    this.renewing ??= this.requestToken().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  /** Keeps the id a registration links to this anonymous user, when a reply names one. */
  rememberBindId(bindId: string | undefined): void {
    this.bindId = bindId ?? this.bindId;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async requestToken(): Promise<string> {
    const data = await this.json(anonymousTokenSchema, {
      method: 'POST',
      path: '/api/auth/anonymous-token',
      tokenCall: true,
    });
    const stored = await this.options.credentials.get();
    const expiry = expiryOf(data.expires_at);
    const expiresAt =
      expiry !== undefined && expiry > this.now() + TOKEN_RENEWAL_MARGIN_MS ? expiry : this.now() + TOKEN_LIFETIME_MS;
    const userId = data.user_id ?? stored.userId;
    await this.options.credentials.set({ ...stored, token: data.token, expiresAt, userId });
    this.rememberBindId(userId);
    return data.token;
  }

  private async clientId(replace = false): Promise<string> {
    const stored = await this.options.credentials.get();
    if (stored.clientId && !replace) return stored.clientId;
    const clientId = crypto.randomUUID();
    await this.options.credentials.set({ ...stored, clientId });
    return clientId;
  }

  async headers(tokenCall = false): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      'X-Skill-Source': SKILL_SOURCE,
      'X-Skill-Version': this.options.version,
      'X-Skill-Platform': this.options.platform,
    };
    if (tokenCall) headers['X-Client-Id'] = await this.clientId();
    else headers.Authorization = `Bearer ${await this.ensureToken()}`;
    return headers;
  }

  async json<T extends z.ZodType>(schema: T, call: Call): Promise<z.output<T>> {
    const { payload } = await this.exchange({ ...call, expect: 'json' });
    return this.parsePayload(schema, payload);
  }

  parsePayload<T extends z.ZodType>(schema: T, payload: unknown): z.output<T> {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new CloudError('bad-response', { detail: parsed.error.message });
    return parsed.data;
  }

  /**
   * Sends a call, renewing the token, waiting out a rate limit and remaking the client id once each.
   * A GET is also asked again once after a transient failure; a POST never is, as it may have
   * arrived (a chat message sent twice is charged twice).
   */
  exchange(call: Call): Promise<{ response: Response; payload?: unknown }> {
    return this.retrying(
      () => this.exchangeOnce(call),
      (error) => this.recovery(error, call),
    );
  }

  /** Runs `attempt`, and once more with a new token if the backend refused the token. */
  renewingToken<T>(attempt: () => Promise<T>): Promise<T> {
    return this.retrying(attempt, (error) => (error.kind === 'auth' ? this.renewToken() : undefined));
  }

  /**
   * Runs `attempt` until it succeeds or fails with a CloudError that `recover` has no remedy for
   * (it gives none by returning undefined); each reason is recovered from once.
   */
  private async retrying<T>(
    attempt: () => Promise<T>,
    recover: (error: CloudError) => Promise<unknown> | undefined,
  ): Promise<T> {
    const retried = new Set<string>();
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof CloudError)) throw error;
        const reason = isTransientFailure(error) ? 'transient' : error.kind;
        const remedy = retried.has(reason) ? undefined : recover(error);
        if (!remedy) throw error;
        retried.add(reason);
        await remedy;
      }
    }
  }

  /** What makes a call worth sending again after `error`, if anything does. */
  private recovery(error: CloudError, call: Call): Promise<unknown> | undefined {
    if (isTransientFailure(error)) {
      return call.method === 'GET' ? this.sleep(TRANSIENT_RETRY_MS, call.signal) : undefined;
    }
    if (error.kind === 'auth' && !call.tokenCall) return this.renewToken();
    if (error.kind === 'rate-limited') {
      const waitMs = error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      this.onRateLimited?.(waitMs);
      return this.sleep(waitMs, call.signal);
    }
    if (error.kind === 'missing-client-id') return this.clientId(true);
    return undefined;
  }

  /**
   * Fetches and `read`s the response within `timeoutMs` (by default the request time limit); a body
   * `read` hands back unread is no longer limited by it (its reader sets its own). Cancelling `signal`
   * is passed through as it is; running out of time is a 'no-reply' failure, failing to connect a 'network' one.
   */
  async fetchInTime<T>(
    url: string | URL,
    init: RequestInit,
    { signal, timeoutMs = this.limits.cloudRequestMs }: { signal?: AbortSignal; timeoutMs?: number },
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const limit = deadline(timeoutMs, 'NemoVideo did not answer in time');
    try {
      const response = await this.fetch(url, {
        ...init,
        signal: signal ? AbortSignal.any([signal, limit.signal]) : limit.signal,
      });
      return await read(response);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof CloudError) throw error;
      if (limit.signal.aborted) throw new CloudError('no-reply', { detail: `no reply within ${timeoutMs} ms` });
      throw new CloudError('network', { detail: String(error) });
    } finally {
      limit.clear();
    }
  }

  /** A response body read whole, but given up once no bytes have come for the request time limit. */
  async readBlob(response: Response, signal?: AbortSignal): Promise<Blob> {
    if (!response.body) return response.blob();
    const body = idleLimited(
      response.body,
      this.limits.cloudRequestMs,
      () => new CloudError('no-reply', { detail: 'the download stalled' }),
    );
    try {
      return await new Response(body, {
        headers: { 'Content-Type': response.headers.get('content-type') ?? '' },
      }).blob();
    } catch (error) {
      throw readFailure(error, signal);
    }
  }

  private async exchangeOnce(call: Call): Promise<{ response: Response; payload?: unknown }> {
    const headers: Record<string, string> = {
      ...(await this.headers(call.tokenCall)),
      Accept: call.accept ?? 'application/json',
    };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    };
    const { response, text } = await this.fetchInTime(this.url(call.path), init, call, async (response) => {
      const isJson = (response.headers.get('content-type') ?? '').includes('json');
      if (call.expect === 'stream' && response.ok && !isJson) return { response, text: undefined };
      return { response, text: await response.text() };
    });
    if (text === undefined) return { response };
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw response.ok
        ? new CloudError('bad-response', { status: response.status })
        : this.failure({ status: response.status }, response, call.tokenCall);
    }
    const payload = this.unwrap(body, response.status, response, call.tokenCall);
    if (call.expect === 'stream') throw new CloudError('bad-response', { status: response.status });
    return { response, payload };
  }

  /**
   * The payload of a reply, or the CloudError it carries. `{code, data}` gives `data`; render
   * replies (`{success, data}`) are given whole, as their status may sit at the top level.
   */
  unwrap(body: unknown, status: number, response: Response | undefined, tokenCall = false): unknown {
    const failed = (code: number | undefined, detail: unknown) =>
      this.failure(
        {
          code: code === 0 ? undefined : code,
          status: status >= 400 ? status : undefined,
          detail: typeof detail === 'string' ? detail : undefined,
        },
        response,
        tokenCall,
      );
    const coded = codeEnvelopeSchema.safeParse(body);
    if (coded.success) {
      if (coded.data.code !== 0 || status >= 400) throw failed(coded.data.code, coded.data.message ?? coded.data.msg);
      return coded.data.data;
    }
    const rendered = successEnvelopeSchema.safeParse(body);
    if (rendered.success) {
      if (!rendered.data.success || status >= 400)
        throw failed(rendered.data.code, rendered.data.error ?? rendered.data.message);
      return body;
    }
    if (status >= 400) throw failed(undefined, undefined);
    return body;
  }

  failure(
    { code, status, detail }: { code?: number; status?: number; detail?: string },
    response?: Response,
    tokenCall = false,
  ): CloudError {
    const kind = cloudErrorKind(code, status, tokenCall);
    return new CloudError(kind, {
      code,
      status,
      detail,
      retryAfterMs: response && kind === 'rate-limited' ? retryAfterMs(response, this.now()) : undefined,
      bindId: kind === 'no-credits' ? this.bindId : undefined,
    });
  }
}
