import { describe, expect, it } from 'vitest';
import { senderAllowed, type MessageType } from '../../utils/messages';

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

const allowed: Record<MessageType, SenderName[]> = {
  'jobs:start': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'jobs:cancel': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'jobs:retry': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'jobs:remove': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'history:download-again': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'history:show-in-folder': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'page:extract-url': ['contentScript'],
  'page:grant': ['contentScript'],
  'bridge:start': ['bridge'],
  'page:extract-video': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'offscreen:convert': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'offscreen:cancel': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'offscreen:adopt': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'offscreen:running': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'offscreen:object-url': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'offscreen:revoke-url': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'job:progress': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'job:converted': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
  'job:failed': ['popup', 'optionsTab', 'offscreen', 'background', 'bridge'],
};

describe('senderAllowed', () => {
  const cases = Object.entries(allowed).flatMap(([type, who]) =>
    (Object.keys(senders) as SenderName[]).map((sender) => ({ type: type as MessageType, sender, expected: who.includes(sender) })),
  );
  it.each(cases)('$type from $sender → $expected', ({ type, sender, expected }) => {
    expect(senderAllowed(type, senders[sender], extension)).toBe(expected);
  });
});
