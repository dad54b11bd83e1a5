import { describe, expect, it } from 'vitest';
import { messageSchemas, senderAllowed, type MessageType } from '../../utils/messages';

const extension = { id: 'ext', baseUrl: 'chrome-extension://ext/' };
const senders = {
  popup: { id: 'ext', url: 'chrome-extension://ext/popup.html' },
  optionsTab: { id: 'ext', url: 'chrome-extension://ext/options.html', tab: { id: 1 } as chrome.tabs.Tab },
  offscreen: { id: 'ext', url: 'chrome-extension://ext/offscreen.html' },
  background: { id: 'ext', url: 'chrome-extension://ext/background.js' },
  bridge: { id: 'ext', url: 'chrome-extension://ext/bridge.html', tab: { id: 2 } as chrome.tabs.Tab },
  contentScript: { id: 'ext', url: 'https://example.org/watch', tab: { id: 2 } as chrome.tabs.Tab },
  otherExtension: { id: 'evil', url: 'chrome-extension://evil/popup.html' },
};
type SenderName = keyof typeof senders;

/** The extension's own contexts, but not the bridge, which any web page can load; the popup and offscreen pages may also run in a tab. */
const extensionSide: SenderName[] = ['popup', 'optionsTab', 'offscreen', 'background'];
const allowed: Record<MessageType, SenderName[]> = {
  'jobs:start': extensionSide,
  'jobs:cancel': extensionSide,
  'jobs:retry': extensionSide,
  'jobs:remove': extensionSide,
  'jobs:add-link': extensionSide,
  'engine:warm-up': extensionSide,
  'engine:open-site': extensionSide,
  'history:download-again': extensionSide,
  'history:show-in-folder': extensionSide,
  'badge:seen': extensionSide,
  'history:download-zip': extensionSide,
  'page:extract-url': ['contentScript'],
  'page:grant': ['contentScript'],
  'bridge:start': ['bridge'],
  'page:extract-video': extensionSide,
  'site:convert': extensionSide,
  'site:cancel': extensionSide,
  'site:adopt': extensionSide,
  'site:upload': extensionSide,
  'site:fetch-input': extensionSide,
  'cloud:refresh-credits': extensionSide,
  'cloud:send': extensionSide,
  'cloud:export': extensionSide,
  'site:running': extensionSide,
  'site:object-url': extensionSide,
  'site:zip-url': extensionSide,
  'site:revoke-url': extensionSide,
  'job:progress': extensionSide,
  'job:converted': extensionSide,
  'job:failed': extensionSide,
  'job:tracks': extensionSide,
  'job:input-not-kept': extensionSide,
  'jobs:choose-track': extensionSide,
  'jobs:stop-recording': extensionSide,
  'page:stop-recording': ['contentScript'],
  'site:stop-recording': extensionSide,
};

describe('senderAllowed', () => {
  const cases = Object.entries(allowed).flatMap(([type, who]) =>
    (Object.keys(senders) as SenderName[]).map((sender) => ({
      type: type as MessageType,
      sender,
      expected: who.includes(sender),
    })),
  );
  it.each(cases)('$type from $sender → $expected', ({ type, sender, expected }) => {
    expect(senderAllowed(type, senders[sender], extension)).toBe(expected);
  });
});

describe('handed-over blob URLs', () => {
  it.each([
    { url: 'blob:chrome-extension://ext/0b6c', valid: true },
    { url: 'blob:moz-extension://4f1e-uuid/0b6c', valid: true },
    { url: 'blob:https://example.org/0b6c', valid: false },
    { url: 'https://example.org/clip.mp4', valid: false },
  ])('$url → $valid', ({ url, valid }) => {
    expect(messageSchemas['site:adopt'].safeParse({ blobUrl: url, inputKey: 'k' }).success).toBe(valid);
    const handover = { grant: 'g'.repeat(16), files: [{ blobUrl: url, fileName: 'clip.mp4', size: 1 }] };
    expect(messageSchemas['bridge:start'].safeParse(handover).success).toBe(valid);
  });
});

describe('every message is checked on arrival', () => {
  const junk: unknown[] = [42, 'text', [], { unexpected: { nested: true } }, Number.NaN];
  const types = Object.keys(messageSchemas) as MessageType[];
  it.each(types)('%s rejects payloads of the wrong shape', (type) => {
    for (const payload of junk)
      expect(messageSchemas[type].safeParse(payload).success, JSON.stringify(payload)).toBe(false);
  });
});

describe('payloads with more, or more of it, than a message has', () => {
  const id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
  const huge = 'x'.repeat(100_000);
  it.each([
    { type: 'jobs:cancel', good: { jobId: id }, bad: { jobId: id, evil: true }, why: 'an extra field' },
    {
      type: 'jobs:cancel',
      good: { jobId: id },
      bad: { jobId: huge },
      why: 'an id far longer than any the extension makes',
    },
    { type: 'jobs:cancel', good: { jobId: id }, bad: { jobId: '' }, why: 'an empty id' },
    {
      type: 'jobs:start',
      good: { files: [{ inputKey: id, fileName: 'clip.mp4', size: 1 }] },
      bad: { files: [{ inputKey: id, fileName: 'clip.mp4', size: 1, path: '/etc/passwd' }] },
      why: 'an extra field in a file',
    },
    {
      type: 'jobs:start',
      good: { files: [{ inputKey: id, fileName: 'clip.mp4', size: 1 }] },
      bad: { files: [{ inputKey: id, fileName: huge, size: 1 }] },
      why: 'a huge file name',
    },
    {
      type: 'page:extract-url',
      good: { url: 'https://example.org/a.mp4', pageTitle: 't' },
      bad: { url: `https://example.org/${huge}`, pageTitle: 't' },
      why: 'a huge address',
    },
    {
      type: 'job:progress',
      good: { jobId: id, phase: 'reading', progress: 0.5 },
      bad: { jobId: id, phase: 'reading', progress: 0.5, state: 'done' },
      why: 'an extra field',
    },
  ] as { type: MessageType; good: unknown; bad: unknown; why: string }[])(
    '$type refuses $why',
    ({ type, good, bad }) => {
      expect(messageSchemas[type].safeParse(good).success).toBe(true);
      expect(messageSchemas[type].safeParse(bad).success).toBe(false);
    },
  );
});
