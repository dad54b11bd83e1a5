import { z } from 'zod';
import { defineExtensionMessaging } from '@webext-core/messaging';
import { failureReasonSchema, type FailureReason } from './failures';
import { jobSourceSchema } from './jobs/job';
import { tagChoicesSchema } from './settings';
import { trimSchema } from './trim';

/** A blob URL the extension itself made (Chromium or Firefox). */
const extensionBlobUrl = z.string().regex(/^blob:(chrome|moz)-extension:\/\//);

/** Every runtime message, its payload schema (checked on arrival) and its reply. */
export const messageSchemas = {
  // popup / options → background
  'jobs:start': z.object({
    instructions: z.string().trim().max(2000).optional(),
    files: z.array(z.object({ inputKey: z.string().min(1), fileName: z.string().min(1), size: z.number().min(0) })).min(1),
    trim: trimSchema.optional(),
  }),
  'jobs:cancel': z.object({ jobId: z.string() }),
  'engine:warm-up': z.undefined(),
  'jobs:retry': z.object({ jobId: z.string(), engine: z.enum(['local', 'cloud']).optional() }),
  'cloud:refresh-credits': z.undefined(),
  'cloud:send': z.object({ jobId: z.string(), message: z.string().trim().min(1).max(2000) }),
  'cloud:export': z.object({ jobId: z.string() }),
  'jobs:remove': z.object({ jobId: z.string() }),
  'history:download-again': z.object({ entryId: z.string() }),
  'history:show-in-folder': z.object({ entryId: z.string() }),
  // content script (in a page) → background
  'page:extract-url': z.object({ url: z.url({ protocol: /^https?$/ }), pageTitle: z.string().max(500) }),
  'page:grant': z.undefined(),
  // bridge page (extension frame inside a page) → background
  'bridge:start': z.object({
    grant: z.string().min(16),
    files: z.array(z.object({ blobUrl: extensionBlobUrl, fileName: z.string().min(1), size: z.number().min(0) })).min(1).max(100),
  }),
  // background → content script
  'page:extract-video': z.object({ srcUrl: z.string() }),
  // background → offscreen
  'offscreen:convert': z.object({
    jobId: z.string(),
    source: jobSourceSchema,
    fileName: z.string(),
    bitrate: z.number(),
    keepMp3Audio: z.boolean().default(false),
    normalizeLoudness: z.boolean().default(false),
    title: z.string(),
    tags: tagChoicesSchema.optional(),
    trim: trimSchema.optional(),
  }),
  'offscreen:cancel': z.object({ jobId: z.string() }),
  'offscreen:fetch-input': z.object({ jobId: z.string(), source: jobSourceSchema }),
  'offscreen:adopt': z.object({ blobUrl: extensionBlobUrl, inputKey: z.string() }),
  'offscreen:running': z.undefined(),
  'offscreen:upload': z.object({
    jobId: z.string(),
    inputKey: z.string(),
    fileName: z.string(),
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string()),
    field: z.string(),
    /** Given up when nothing moves (no upload progress, no reply) for this long. */
    stallMs: z.number().positive(),
  }),
  'offscreen:object-url': z.object({ outputKey: z.string() }),
  'offscreen:revoke-url': z.object({ url: z.string() }),
  // offscreen → background
  'job:progress': z.object({ jobId: z.string(), phase: z.enum(['reading', 'converting']), progress: z.number().min(0).max(1) }),
  'job:converted': z.object({ jobId: z.string(), outputKey: z.string(), size: z.number(), durationSeconds: z.number() }),
  'job:failed': z.object({ jobId: z.string(), reason: failureReasonSchema }),
};

type Schemas = typeof messageSchemas;
export type MessageType = keyof Schemas;
export type MessageData<T extends MessageType> = z.infer<Schemas[T]>;

/** A reply that a page can show: `error` is already in plain words. */
export type CommandReply = { ok: true } | { ok: false; error: string };
export type StartReply = { ok: true; jobIds: string[] } | { ok: false; error: string };

interface Replies {
  'offscreen:running': string[];
  'offscreen:object-url': string;
  /** `status` 0: no reply; `stalled` when that is because nothing moved for `stallMs`. */
  'offscreen:upload': { status: number; body: unknown; stalled?: boolean };
  'offscreen:fetch-input': { ok: true } | { ok: false; reason: FailureReason };
  'page:extract-url': StartReply;
  'page:grant': string;
  'bridge:start': StartReply;
  'cloud:send': CommandReply;
  'cloud:export': CommandReply;
}
export type ReplyOf<T extends MessageType> = T extends keyof Replies ? Replies[T] : T extends `${'jobs' | 'history'}:${string}` ? CommandReply : void;

type Sender = Pick<chrome.runtime.MessageSender, 'id' | 'url' | 'tab'>;
interface Extension {
  id: string;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/` */
  baseUrl: string;
}

/** Who may send what: content scripts only ask for page jobs; the bridge frame only hands over files. */
export function senderAllowed(type: MessageType, sender: Sender, extension: Extension): boolean {
  const own = sender.id === extension.id;
  const extensionPage = own && !!sender.url?.startsWith(extension.baseUrl);
  if (type === 'page:extract-url' || type === 'page:grant') return own && !!sender.tab && !extensionPage;
  if (type === 'bridge:start') return extensionPage && !!sender.url?.startsWith(`${extension.baseUrl}bridge.html`);
  return extensionPage;
}

type ProtocolMap = { [T in MessageType]: (data: MessageData<T>) => ReplyOf<T> };

const messenger = defineExtensionMessaging<ProtocolMap>();

export function sendMessage<T extends MessageType>(type: T, data: MessageData<T>, tab?: { tabId: number; frameId?: number }): Promise<ReplyOf<T>> {
  return (tab ? messenger.sendMessage(type, data as never, tab) : messenger.sendMessage(type, data as never)) as Promise<ReplyOf<T>>;
}

/** Listens for `type`, parsing the payload with its schema first: malformed messages are rejected. */
export function onMessage<T extends MessageType>(
  type: T,
  handle: (data: MessageData<T>, sender: chrome.runtime.MessageSender) => ReplyOf<T> | Promise<ReplyOf<T>>,
): () => void {
  return messenger.onMessage(type, ((message: { data: unknown; sender: chrome.runtime.MessageSender }) => {
    if (!senderAllowed(type, message.sender, { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') })) {
      throw new Error(`${type} is not accepted from this sender`);
    }
    const data = messageSchemas[type].parse(message.data) as MessageData<T>;
    return handle(data, message.sender);
  }) as never);
}
