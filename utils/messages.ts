import { z } from 'zod';
import { defineExtensionMessaging } from '@webext-core/messaging';
import { failureReasonSchema } from './failures';
import { jobSourceSchema } from './jobs/job';

/** Every runtime message, its payload schema (checked on arrival) and its reply. */
export const messageSchemas = {
  // popup / options → background
  'jobs:start': z.object({
    files: z.array(z.object({ inputKey: z.string().min(1), fileName: z.string().min(1), size: z.number().min(0) })).min(1),
  }),
  'jobs:cancel': z.object({ jobId: z.string() }),
  'jobs:retry': z.object({ jobId: z.string() }),
  'jobs:remove': z.object({ jobId: z.string() }),
  'history:download-again': z.object({ entryId: z.string() }),
  'history:show-in-folder': z.object({ entryId: z.string() }),
  // content script (in a page) → background
  'page:extract-url': z.object({ url: z.url({ protocol: /^https?$/ }), pageTitle: z.string().max(500) }),
  'page:grant': z.undefined(),
  // bridge page (extension frame inside a page) → background
  'bridge:start': z.object({
    grant: z.string().min(16),
    files: z.array(z.object({ blobUrl: z.string().startsWith('blob:chrome-extension://'), fileName: z.string().min(1), size: z.number().min(0) })).min(1).max(100),
  }),
  // background → content script
  'page:extract-video': z.object({ srcUrl: z.string() }),
  // background → offscreen
  'offscreen:convert': z.object({
    jobId: z.string(),
    source: jobSourceSchema,
    fileName: z.string(),
    bitrate: z.number(),
    title: z.string(),
  }),
  'offscreen:cancel': z.object({ jobId: z.string() }),
  'offscreen:adopt': z.object({ blobUrl: z.string().startsWith('blob:chrome-extension://'), inputKey: z.string() }),
  'offscreen:running': z.undefined(),
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
  'page:extract-url': StartReply;
  'page:grant': string;
  'bridge:start': StartReply;
}
type ReplyOf<T extends MessageType> = T extends keyof Replies ? Replies[T] : T extends `${'jobs' | 'history'}:${string}` ? CommandReply : void;

type Sender = chrome.runtime.MessageSender;
const fromExtensionPage = (sender: Sender) => sender.id === chrome.runtime.id && !!sender.url?.startsWith(chrome.runtime.getURL('/'));
const fromContentScript = (sender: Sender) => sender.id === chrome.runtime.id && !!sender.tab && !fromExtensionPage(sender);
const fromBridge = (sender: Sender) => fromExtensionPage(sender) && !!sender.url?.startsWith(chrome.runtime.getURL('/bridge.html'));

/** Who may send what: content scripts only ask for page jobs; the bridge only hands over files. */
function senderAllowed(type: MessageType, sender: Sender): boolean {
  if (type.startsWith('page:')) return type === 'page:extract-video' ? fromExtensionPage(sender) || !sender.tab : fromContentScript(sender);
  if (type === 'bridge:start') return fromBridge(sender);
  return fromExtensionPage(sender) || (!sender.tab && sender.id === chrome.runtime.id);
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
    if (!senderAllowed(type, message.sender)) throw new Error(`${type} is not accepted from this sender`);
    const data = messageSchemas[type].parse(message.data) as MessageData<T>;
    return handle(data, message.sender);
  }) as never);
}
