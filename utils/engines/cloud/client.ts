import { z } from 'zod';
import { CloudError, isTransientFailure } from './errors';
import { readChatEvents, type ChatEvent } from './sse';
import {
  chatRequestSchema,
  creditsSchema,
  exportRequestSchema,
  renderStatusSchema,
  sessionRequestSchema,
  sessionSchema,
  stateSchema,
  uploadSchema,
  urlUploadRequestSchema,
  type CloudSession,
  type CloudState,
  type Credits,
  type ExportOutput,
  type JsonObject,
  type RenderStatus,
  type UploadResult,
} from './schemas';
import { idleLimited, readFailure, Transport, type CloudLimits, type TransportOptions } from './transport';
import type { UploadReply, UploadTarget } from './upload';

export type { CloudCredentials, CloudLimits, CredentialStore } from './transport';

/** A chat event the caller sees: errors in the stream are thrown instead. */
export type ChatUpdate = Exclude<ChatEvent, { type: 'error' }>;
type RenderJob = RenderStatus & { id: string };
interface PollOptions {
  onProgress?: (progress: number, status: RenderStatus['status']) => void;
  signal?: AbortSignal;
  /** Defaults to the client's `cloudExportMs`. */
  timeoutMs?: number;
}

/** The multipart form field the file goes in. */
const UPLOAD_FIELD = 'files';
const RENDER_ID_ATTEMPTS = 3;
const EXPORT_POLLING = { firstDelayMs: 2000, growth: 1.5, maxDelayMs: 15_000 };

/** How long to wait before status check number `attempt` (from 0): 2 s, 3 s, 4.5 s, … at most 15 s. */
export function pollDelay(attempt: number): number {
  return Math.min(EXPORT_POLLING.maxDelayMs, EXPORT_POLLING.firstDelayMs * EXPORT_POLLING.growth ** attempt);
}

function isDuplicateId(error: unknown): boolean {
  return error instanceof CloudError && (error.status === 409 || /duplicate|already exists/i.test(error.detail ?? ''));
}

/** The NemoVideo backend's calls. Transport level only: no UI, no job queue. */
export class NemoVideoClient {
  private readonly transport: Transport;
  private readonly chatting = new Set<string>();

  constructor(options: TransportOptions) {
    this.transport = new Transport(options);
  }

  /** How long this client waits on NemoVideo. */
  get limits(): CloudLimits {
    return this.transport.limits;
  }

  /** A valid token: the stored one, or a new anonymous one when there is none or it (nearly) expired. */
  ensureToken(): Promise<string> {
    return this.transport.ensureToken();
  }

  /** A new anonymous token, once however many callers ask at the same time. */
  renewToken(): Promise<string> {
    return this.transport.renewToken();
  }

  async createSession(language: string, signal?: AbortSignal): Promise<CloudSession> {
    const body = sessionRequestSchema.parse({ task_name: 'project', language });
    const session = await this.transport.json(sessionSchema, {
      method: 'POST',
      path: '/api/tasks/me/with-session/nemo_agent',
      body,
      signal,
    });
    this.transport.rememberBindId(session.bindId ?? session.userId);
    return session;
  }

  /**
   * Uploads a file through `send`, which posts it as multipart form data to the target it is given
   * (the app sends it itself, for progress); once more with a new token if the backend refused the
   * token. A 'session-lost' failure is the caller's: it needs a new session.
   */
  upload(
    sessionId: string,
    send: (target: UploadTarget) => Promise<UploadReply>,
    signal?: AbortSignal,
  ): Promise<UploadResult> {
    return this.transport.renewingToken(async () => {
      const reply = await send(await this.uploadTarget(sessionId));
      signal?.throwIfAborted();
      if (reply.status === 0) throw new CloudError(reply.stalled ? 'no-reply' : 'network');
      const payload = this.transport.unwrap(reply.body, reply.status, undefined);
      return this.transport.parsePayload(uploadSchema, payload);
    });
  }

  private async uploadTarget(sessionId: string): Promise<UploadTarget> {
    return {
      url: this.transport.url(this.uploadPath(sessionId)),
      headers: await this.transport.headers(),
      field: UPLOAD_FIELD,
    };
  }

  /** Lets the backend fetch the files itself. */
  uploadFromUrls(sessionId: string, urls: string[], signal?: AbortSignal): Promise<UploadResult> {
    const body = urlUploadRequestSchema.parse({ urls, source_type: 'url' });
    return this.transport.json(uploadSchema, { method: 'POST', path: this.uploadPath(sessionId), body, signal });
  }

  /**
   * Sends one message and streams the reply's events to `onEvent`; resolves with the reply's text
   * (empty for about 30% of edits) when the stream closes. Refuses while this session is answering.
   * A stream that breaks or goes silent (not even a heartbeat for `cloudStreamIdleMs`) is a failure,
   * and the message is never sent again here: it may have been charged.
   */
  async chat(
    sessionId: string,
    userId: string,
    message: string,
    onEvent: (event: ChatUpdate) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    if (this.chatting.has(sessionId)) throw new CloudError('busy');
    this.chatting.add(sessionId);
    try {
      const body = chatRequestSchema.parse({
        app_name: 'nemo_agent',
        user_id: userId,
        session_id: sessionId,
        new_message: { parts: [{ text: message }] },
      });
      // Until the stream starts, nothing at all has come either: the stream's idle limit applies.
      const { cloudStreamIdleMs } = this.transport.limits;
      const call = {
        method: 'POST',
        path: '/run_sse',
        body,
        expect: 'stream',
        accept: 'text/event-stream',
        signal,
        timeoutMs: cloudStreamIdleMs,
      } as const;
      const { response } = await this.transport.exchange(call);
      const texts: string[] = [];
      if (!response.body) return '';
      const reply = idleLimited(
        response.body,
        cloudStreamIdleMs,
        () => new CloudError('no-reply', { detail: `chat stream silent for ${cloudStreamIdleMs} ms` }),
      );
      try {
        for await (const event of readChatEvents(reply)) {
          if (event.type === 'error') throw this.transport.failure({ code: event.code });
          if (event.type === 'text') texts.push(event.text);
          onEvent(event);
        }
      } catch (error) {
        throw readFailure(error, signal);
      }
      return texts.join('\n');
    } finally {
      this.chatting.delete(sessionId);
    }
  }

  async state(sessionId: string, signal?: AbortSignal): Promise<CloudState> {
    const state = await this.transport.json(stateSchema, {
      method: 'GET',
      path: `/api/state/nemo_agent/me/${encodeURIComponent(sessionId)}/latest`,
      signal,
    });
    this.transport.rememberBindId(state.bindId);
    return state;
  }

  credits(signal?: AbortSignal): Promise<Credits> {
    return this.transport.json(creditsSchema, { method: 'GET', path: '/api/credits/balance/simple', signal });
  }

  /**
   * Starts a render under a new unique id; a new id again if the backend says it is taken.
   * `beforeSubmit` gets each id before it is sent, so a caller can keep it and later poll the
   * render instead of submitting it twice.
   */
  async startExport(
    sessionId: string,
    draft: JsonObject,
    output: ExportOutput,
    signal?: AbortSignal,
    beforeSubmit?: (renderId: string) => Promise<void>,
  ): Promise<RenderJob> {
    for (let attempt = 1; ; attempt++) {
      const id = `render_${this.transport.now()}_${crypto.randomUUID().slice(0, 8)}`;
      await beforeSubmit?.(id);
      const body = exportRequestSchema.parse({ id, sessionId, draft, output: { ...output, quality: 'high' } });
      try {
        const job = await this.transport.json(renderStatusSchema, {
          method: 'POST',
          path: '/api/render/proxy/lambda',
          body,
          signal,
        });
        return { ...job, id: job.id ?? id };
      } catch (error) {
        if (attempt >= RENDER_ID_ATTEMPTS || !isDuplicateId(error)) throw error;
      }
    }
  }

  async exportStatus(renderId: string, signal?: AbortSignal): Promise<RenderJob> {
    const job = await this.transport.json(renderStatusSchema, {
      method: 'GET',
      path: this.renderPath(renderId),
      signal,
    });
    return { ...job, id: job.id ?? renderId };
  }

  async cancelExport(renderId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.json(z.unknown(), { method: 'POST', path: `${this.renderPath(renderId)}/cancel`, signal });
  }

  /**
   * Checks a render until it completes (resolves with it), fails or times out (throws): first
   * after 2 s, then less and less often, at most every 15 s. Brief network or server trouble is waited out.
   */
  async pollExport(
    renderId: string,
    { onProgress, signal, timeoutMs = this.transport.limits.cloudExportMs }: PollOptions = {},
  ): Promise<RenderJob> {
    const started = this.transport.now();
    for (let attempt = 0; ; attempt++) {
      await this.transport.sleep(pollDelay(attempt), signal);
      try {
        const job = await this.exportStatus(renderId, signal);
        onProgress?.(job.progress, job.status);
        if (job.status === 'completed') return job;
        if (job.status === 'failed') throw new CloudError('export-failed');
      } catch (error) {
        if (!isTransientFailure(error)) throw error;
      }
      if (this.transport.now() - started >= timeoutMs) throw new CloudError('export-timeout');
    }
  }

  /**
   * The rendered file: from its output URL (no credentials sent there), else the fallback endpoint.
   * A download that stops sending bytes for `cloudRequestMs` is given up.
   */
  async download(renderId: string, outputUrl?: string, signal?: AbortSignal): Promise<Blob> {
    if (outputUrl) {
      try {
        const response = await this.transport.fetchInTime(
          new URL(outputUrl, this.transport.baseUrl),
          {},
          { signal },
          async (reply) => reply,
        );
        if (response.ok) return await this.transport.readBlob(response, signal);
        void response.body?.cancel().catch(() => undefined);
      } catch {
        if (signal?.aborted) throw signal.reason;
      }
    }
    const { response } = await this.transport.exchange({
      method: 'GET',
      path: this.downloadPath(renderId),
      expect: 'stream',
      accept: '*/*',
      signal,
    });
    return this.transport.readBlob(response, signal);
  }

  private uploadPath(sessionId: string): string {
    return `/api/upload-video/nemo_agent/me/${encodeURIComponent(sessionId)}`;
  }

  private renderPath(renderId: string): string {
    return `/api/render/proxy/lambda/${encodeURIComponent(renderId)}`;
  }

  private downloadPath(renderId: string): string {
    return `/api/render/proxy/${encodeURIComponent(renderId)}/download`;
  }
}
