import { bitrateSchema } from './bitrate';
import { z } from 'zod';
import { defineExtensionMessaging } from '@webext-core/messaging';
import { failureReasonSchema, type FailureReason } from './failures';
import type { UploadReply } from './engines/cloud/upload';
import { jobSourceSchema } from './jobs/job';
import { tagChoicesSchema } from './tag-choices';
import { trimSchema } from './trim';
import { fadesSchema } from './fades';
import { fileExtensionSchema, outputFormatSchema } from './output-format';
import { soundTrackModeSchema, soundTrackSchema } from './outputs/sound-tracks';

/** A blob URL the extension itself made (Chromium or Firefox). */
const extensionBlobUrl = z
  .string()
  .max(200)
  .regex(/^blob:(chrome|moz)-extension:\/\//);
/** Job, entry, input and output ids are UUIDs the extension made; nothing longer is one. */
const id = z.string().min(1).max(100);
/** Longer than any file name a file system keeps. */
const fileName = z.string().min(1).max(1000);
/** A web video's address; signed CDN addresses run to a few kB, never this. */
const webUrl = z.url({ protocol: /^https?$/ }).max(16_384);
/** A payload with only the named fields: anything else in it is a malformed message, not something to drop. */
const payload = z.strictObject;

/** Every runtime message, its payload schema (checked on arrival) and its reply. */
export const messageSchemas = {
  // popup / options → background
  'jobs:start': payload({
    instructions: z.string().trim().max(2000).optional(),
    files: z.array(payload({ inputKey: id, fileName, size: z.number().min(0) })).min(1),
    trim: trimSchema.optional(),
    fades: fadesSchema.optional(),
    /** The editor's cut: always an MP3, cut to the sample, whatever the Format setting. */
    exactCut: z.literal(true).optional(),
  }),
  'jobs:cancel': payload({ jobId: id }),
  'engine:warm-up': z.undefined(),
  /** A page is about to hand a chosen file to the conversion site (`utils/hand-over/`): it is to be up. */
  'engine:open-site': z.undefined(),
  'jobs:retry': payload({ jobId: id, engine: z.enum(['local', 'cloud']).optional() }),
  'cloud:refresh-credits': z.undefined(),
  'cloud:send': payload({ jobId: id, message: z.string().trim().min(1).max(2000) }),
  'cloud:export': payload({ jobId: id }),
  'jobs:remove': payload({ jobId: id }),
  /** The popup's **Video link**: a video file's or an HLS/DASH manifest's address. */
  'jobs:add-link': payload({ url: webUrl }),
  'history:download-again': payload({ entryId: id }),
  'history:show-in-folder': payload({ entryId: id }),
  /** The popup opened: the toolbar badge's tick and failure mark have been seen. */
  'badge:seen': z.undefined(),
  'history:download-zip': z.undefined(),
  /** **Stop** on a live recording in the popup. */
  'jobs:stop-recording': payload({ jobId: id }),
  // content script (in a page) → background
  'page:extract-url': payload({
    url: webUrl,
    pageTitle: z.string().max(500),
    /** The page's language (`<html lang>`), to choose a stream's sound track. */
    language: z.string().max(35).optional(),
    /** The page played it as a stream, whatever its address says. */
    stream: z.enum(['hls', 'dash']).optional(),
    /** The video's `poster` image: the MP3's cover. */
    poster: webUrl.optional(),
  }),
  'page:grant': z.undefined(),
  /** **Stop** on the in-page button of a live recording. */
  'page:stop-recording': payload({ jobId: id }),
  // bridge page (extension frame inside a page) → background
  'bridge:start': payload({
    grant: z.string().min(16),
    files: z
      .array(payload({ blobUrl: extensionBlobUrl, fileName, size: z.number().min(0) }))
      .min(1)
      .max(100),
  }),
  // background → content script
  'page:extract-video': payload({ srcUrl: z.string() }),
  // background → conversion site (offscreen document, or Firefox's background page)
  'site:convert': payload({
    jobId: id,
    source: jobSourceSchema,
    fileName: z.string(),
    bitrate: bitrateSchema,
    keepMp3Audio: z.boolean().default(false),
    format: outputFormatSchema.optional(),
    normalizeLoudness: z.boolean().default(false),
    title: z.string(),
    tags: tagChoicesSchema.optional(),
    trim: trimSchema.optional(),
    fades: fadesSchema.optional(),
    /** Given up after this long without progress (the offscreen document can't read storage itself). */
    stallLimitMs: z.number().positive().optional(),
    /** What the job makes: which sound tracks, whether one MP3 per chapter, and the name the others follow. */
    outputName: fileName.optional(),
    soundTrack: soundTrackModeSchema.optional(),
    splitChapters: z.boolean().optional(),
    chosenTrack: z.number().int().min(0).max(255).optional(),
    uiLanguage: z.string().max(35).optional(),
    /** An earlier run recorded this live stream: what it stored is kept and saved. */
    recorded: z.boolean().optional(),
  }),
  'site:cancel': payload({ jobId: id }),
  'site:fetch-input': payload({ jobId: id, source: jobSourceSchema }),
  'site:adopt': payload({ blobUrl: extensionBlobUrl, inputKey: id }),
  'site:running': z.undefined(),
  'site:upload': payload({
    jobId: id,
    inputKey: id,
    fileName: z.string(),
    url: webUrl,
    headers: z.record(z.string(), z.string()),
    field: z.string(),
    /** Given up when nothing moves (no upload progress, no reply) for this long. */
    stallMs: z.number().positive(),
  }),
  'site:object-url': payload({ outputKey: id }),
  /** A blob URL of one ZIP of these stored MP3s. */
  'site:zip-url': payload({
    entries: z
      .array(payload({ outputKey: id, fileName: z.string().min(1).max(300) }))
      .min(1)
      .max(200),
  }),
  'site:revoke-url': payload({ url: z.string() }),
  /** **Stop** on a live recording. */
  'site:stop-recording': payload({ jobId: id }),
  // conversion site → background
  'job:progress': payload({
    jobId: id,
    phase: z.enum(['reading', 'waiting', 'converting']),
    progress: z.number().min(0).max(1),
    /** A live stream being recorded: how many seconds so far. */
    recordedSeconds: z.number().min(0).optional(),
  }),
  'job:converted': payload({
    jobId: id,
    outputKey: id,
    size: z.number(),
    durationSeconds: z.number(),
    /** The file's extension when it is the original sound in its own container, not an MP3. */
    extension: fileExtensionSchema.optional(),
    /** The original sound's codec, which had no container here: the file is an MP3. */
    originalNotKept: z.string().max(40).optional(),
    /** A live recording cut off before Stop or the stream's end: the MP3 has what was recorded. */
    stoppedEarly: z.boolean().optional(),
    /** A job that made several MP3s: each of them, in order. */
    files: z
      .array(payload({ outputKey: id, fileName, size: z.number(), durationSeconds: z.number() }))
      .max(1000)
      .optional(),
    /** Blob URLs the site made of the MP3s it has in hand, by output key, for the downloads API. */
    objectUrls: z.record(id, extensionBlobUrl).optional(),
  }),
  'job:failed': payload({ jobId: id, reason: failureReasonSchema }),
  /** The video has several sound tracks and the user is to choose one. */
  'job:tracks': payload({ jobId: id, tracks: z.array(soundTrackSchema).min(2).max(256) }),
  /** The copy of a file handed over under this key could not be stored: its job is withdrawn. */
  'job:input-not-kept': payload({ inputKey: id }),
  // popup → background
  'jobs:choose-track': payload({ jobId: id, trackIndex: z.number().int().min(0).max(255) }),
};

type Schemas = typeof messageSchemas;
export type MessageType = keyof Schemas;
export type MessageData<T extends MessageType> = z.infer<Schemas[T]>;

/** A reply that a page can show: `error` is already in plain words. */
export type CommandReply = { ok: true } | { ok: false; error: string };
export type StartReply = { ok: true; jobIds: string[] } | { ok: false; error: string };

interface Replies {
  'site:running': string[];
  'site:object-url': string;
  'site:zip-url': string;
  'site:upload': UploadReply;
  'site:fetch-input': { ok: true } | { ok: false; reason: FailureReason };
  'site:adopt': { ok: true } | { ok: false; reason: FailureReason };
  'page:extract-url': StartReply;
  'page:grant': string;
  'page:stop-recording': CommandReply;
  'bridge:start': StartReply;
  'cloud:send': CommandReply;
  'cloud:export': CommandReply;
}
export type ReplyOf<T extends MessageType> = T extends keyof Replies
  ? Replies[T]
  : T extends `${'jobs' | 'history'}:${string}`
    ? CommandReply
    : void;

type Sender = Pick<chrome.runtime.MessageSender, 'id' | 'url' | 'tab'>;
interface Extension {
  id: string;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/` */
  baseUrl: string;
}

/**
 * Who may send what: content scripts only ask for page jobs; the bridge frame only hands over files.
 * The bridge is the one extension page any web page can load and post to, so it gets nothing else.
 */
export function senderAllowed(type: MessageType, sender: Sender, extension: Extension): boolean {
  const own = sender.id === extension.id;
  const extensionPage = own && !!sender.url?.startsWith(extension.baseUrl);
  const bridge = extensionPage && !!sender.url?.startsWith(`${extension.baseUrl}bridge.html`);
  if (type === 'page:extract-url' || type === 'page:grant' || type === 'page:stop-recording')
    return own && !!sender.tab && !extensionPage;
  if (type === 'bridge:start') return bridge;
  return extensionPage && !bridge;
}

type ProtocolMap = { [T in MessageType]: (data: MessageData<T>) => ReplyOf<T> };

const messenger = defineExtensionMessaging<ProtocolMap>();

export function sendMessage<T extends MessageType>(
  type: T,
  data: MessageData<T>,
  tab?: { tabId: number; frameId?: number },
): Promise<ReplyOf<T>> {
  return (
    tab ? messenger.sendMessage(type, data as never, tab) : messenger.sendMessage(type, data as never)
  ) as Promise<ReplyOf<T>>;
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
