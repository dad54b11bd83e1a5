import { describe, expect, it } from 'vitest';
import { acceptsVideo, VIDEO_LINK_PATTERNS } from '../../utils/page/accepts-video';
import { namesForUrl } from '../../utils/page/source-name';

describe('acceptsVideo', () => {
  it.each([
    [null, true],
    ['', true],
    ['video/*', true],
    ['video/mp4', true],
    ['image/*,video/*', true],
    ['.MKV', true],
    ['.mp4, .mov', true],
    ['*/*', true],
    ['image/*', false],
    ['.pdf,.docx', false],
    ['audio/*', false],
  ])('accept=%j → %s', (accept, expected) => {
    expect(acceptsVideo(accept)).toBe(expected);
  });
});

describe('VIDEO_LINK_PATTERNS', () => {
  // A `*://*/…` pattern as Chrome reads it: http or https, any host, `*` in the path (with its query) anything.
  const offered = (url: string) =>
    VIDEO_LINK_PATTERNS.some((pattern) => {
      const path = pattern
        .replace('*://*/', '')
        .split('*')
        .map((part) => part.replace(/[.?+^$(){}[\]|\\]/g, '\\$&'))
        .join('.*');
      return new RegExp(`^https?://[^/]+/${path}$`).test(url);
    });

  it.each([
    ['https://example.org/a/clip.mp4', true],
    ['http://example.org/clip.webm?x=1', true],
    ['https://example.org/films/trip.mkv', true],
    ['https://example.org/page.html', false],
    ['https://example.org/clip.mp4.html', false],
    ['https://example.org/src/app.ts', false],
  ])('the link menu item is offered for %s: %s', (url, expected) => {
    expect(offered(url)).toBe(expected);
  });
});

describe('namesForUrl', () => {
  it.each([
    ['https://cdn.example.org/v/holiday.mp4', 'Any page', 'holiday.mp4', 'holiday.mp3'],
    ['https://cdn.example.org/v/My%20Trip.webm?token=1', 'Any page', 'My Trip.webm', 'My Trip.mp3'],
    ['https://example.org/watch/12345', 'Cats: the movie', 'Cats: the movie', 'Cats_ the movie.mp3'],
    ['https://example.org/', '', 'video', 'video.mp3'],
    ['https://example.org/stream', undefined, 'stream', 'stream.mp3'],
  ])('%s on “%s” → %s, %s', (url, title, sourceName, outputName) => {
    expect(namesForUrl(url, title)).toEqual({ sourceName, outputName });
  });
});
