import { describe, expect, it } from 'vitest';
import { acceptsVideo, looksLikeVideoUrl } from '../../utils/page/accepts-video';
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

describe('looksLikeVideoUrl', () => {
  it.each([
    ['https://example.org/a/clip.mp4', true],
    ['https://example.org/a/clip.WEBM?x=1', true],
    ['https://example.org/watch?v=clip.mp4', false],
    ['https://example.org/page.html', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(looksLikeVideoUrl(url)).toBe(expected);
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
