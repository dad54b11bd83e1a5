import { z } from 'zod';
import { defineExtensionMessaging } from '@webext-core/messaging';
import { failureReasonSchema } from './failures';

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
  // background → offscreen
  'offscreen:convert': z.object({
    jobId: z.string(),
    inputKey: z.string(),
    fileName: z.string(),
    bitrate: z.number(),
    title: z.string(),
  }),
  'offscreen:cancel': z.object({ jobId: z.string() }),
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

interface Replies {
  'offscreen:running': string[];
  'offscreen:object-url': string;
}
type ReplyOf<T extends MessageType> = T extends keyof Replies ? Replies[T] : T extends `${'jobs' | 'history'}:${string}` ? CommandReply : void;

type ProtocolMap = { [T in MessageType]: (data: MessageData<T>) => ReplyOf<T> };

const messenger = defineExtensionMessaging<ProtocolMap>();

export function sendMessage<T extends MessageType>(type: T, data: MessageData<T>): Promise<ReplyOf<T>> {
  return messenger.sendMessage(type, data as never) as Promise<ReplyOf<T>>;
}

/** Listens for `type`, parsing the payload with its schema first: malformed messages are rejected. */
export function onMessage<T extends MessageType>(
  type: T,
  handle: (data: MessageData<T>, sender: chrome.runtime.MessageSender) => ReplyOf<T> | Promise<ReplyOf<T>>,
): () => void {
  return messenger.onMessage(type, ((message: { data: unknown; sender: chrome.runtime.MessageSender }) => {
    const data = messageSchemas[type].parse(message.data) as MessageData<T>;
    return handle(data, message.sender);
  }) as never);
}
