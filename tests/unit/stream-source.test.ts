import { describe, expect, it } from 'vitest';
import { hlsAsksForDrm } from '../../utils/site/stream-fetch';
import { namesForStream, streamFormatOf } from '../../utils/page/source-name';
import { manifestFormat } from '../../utils/page/stream-notes';

describe('hlsAsksForDrm', () => {
  it.each([
    ['no key', '#EXTM3U\n#EXTINF:1,\na.ts', false],
    ['METHOD=NONE', '#EXTM3U\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:1,\na.ts', false],
    ['plain AES-128', '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="key.bin"\na.ts', false],
    ['AES-128, identity key format', '#EXT-X-KEY:METHOD=AES-128,URI="k",KEYFORMAT="identity"', false],
    ['SAMPLE-AES', '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="k"', true],
    ['SAMPLE-AES-CTR (CENC)', '#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI="data:..."', true],
    ['a FairPlay key', '#EXT-X-KEY:METHOD=AES-128,URI="skd://asset"', true],
    ['a Widevine key format', '#EXT-X-KEY:METHOD=AES-128,URI="k",KEYFORMAT="urn:uuid:edef8ba9"', true],
    ['a session key in the master playlist', '#EXTM3U\r\n#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="skd://x"', true],
  ])('%s', (_, playlist, drm) => {
    expect(hlsAsksForDrm(playlist)).toBe(drm);
  });
});

describe('streamed video names and formats', () => {
  it.each([
    ['https://cdn.example/v/index.m3u8', 'hls'],
    ['https://cdn.example/v/INDEX.M3U8?token=abc', 'hls'],
    ['https://cdn.example/v/clip.mp4', undefined],
    ['https://cdn.example/m3u8/clip', undefined],
    ['https://cdn.example/live/manifest.mpd?t=1', 'dash'],
  ])('%s is %s', (url, format) => {
    expect(streamFormatOf(url)).toBe(format);
  });

  it('names a stream after the page title, with characters files cannot have replaced', () => {
    expect(namesForStream('Live: a/b')).toEqual({
      sourceName: 'Live: a/b',
      outputName: expect.stringMatching(/^Live. a.b\.mp3$/),
    });
    expect(namesForStream('  ').outputName).toBe('video.mp3');
  });
});

describe('manifestFormat', () => {
  it.each([
    ['#EXTM3U\n#EXT-X-VERSION:3', 'hls'],
    ['\ufeff#EXTM3U', 'hls'],
    ['  \n#EXTM3U', 'hls'],
    ['<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">', 'dash'],
    ['<!-- made by packager -->\n<MPD type="static">', 'dash'],
    ['<MPD>', 'dash'],
    ['<html><body>MPD</body></html>', undefined],
    ['{"MPD": 1}', undefined],
    ['', undefined],
  ])('%j is %s', (text, format) => {
    expect(manifestFormat(text)).toBe(format);
  });
});
