import { describe, expect, it } from 'vitest';
import { dashSoundOf } from '../../utils/site/dash-playlist';
import { ConversionError } from '../../utils/failures';

const MPD_URL = 'https://cdn.example/show/manifest.mpd';

const audioSet = (lang: string, extra: string, representations: string) =>
  `<AdaptationSet contentType="audio" mimeType="audio/mp4" lang="${lang}" ${extra}>${representations}</AdaptationSet>`;
const audio = (id: string, bandwidth: number) =>
  `<Representation id="${id}" codecs="mp4a.40.2" bandwidth="${bandwidth}" audioSamplingRate="48000">
     <SegmentTemplate timescale="1000" duration="2000" initialization="${id}/init.mp4" media="${id}/$Number$.m4s" startNumber="1"/>
   </Representation>`;
const video = `<AdaptationSet contentType="video" mimeType="video/mp4"><Representation id="v" codecs="avc1.64001f" bandwidth="3000000" width="1280" height="720">
  <SegmentTemplate timescale="1000" duration="2000" initialization="v/init.mp4" media="v/$Number$.m4s" startNumber="1"/></Representation></AdaptationSet>`;
const mpd = (periods: string, attributes = 'type="static" mediaPresentationDuration="PT4S"') =>
  `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" ${attributes} minBufferTime="PT2S">${periods}</MPD>`;

const playlistOf = (text: string, language?: string) => {
  const sound = dashSoundOf(text, MPD_URL, language);
  if (sound.kind !== 'pieces') throw new Error('expected pieces');
  return sound.playlist;
};

describe('dashSoundOf', () => {
  it('picks the page language among audio sets none of which is the default, at its best bitrate', () => {
    const text = mpd(
      `<Period>${video}${audioSet('de', '', audio('de-64', 64000) + audio('de-128', 128000))}${audioSet('en', '', audio('en-64', 64000) + audio('en-128', 128000))}</Period>`,
    );
    const playlist = playlistOf(text, 'en-GB');
    expect(playlist).toContain('https://cdn.example/show/en-128/1.m4s');
    expect(playlist).not.toMatch(/en-64|de-|\/v\//);
  });

  it('prefers the audio set marked as main', () => {
    const text = mpd(
      `<Period>${audioSet('de', '', audio('de', 128000))}${audioSet('en', '', `<Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>${audio('en', 128000)}`)}</Period>`,
    );
    expect(playlistOf(text, 'de')).toContain('/en/1.m4s');
  });

  it('writes the pieces as an HLS playlist with the init segment, ending the list', () => {
    const playlist = playlistOf(mpd(`<Period>${audioSet('en', '', audio('a', 128000))}</Period>`));
    expect(playlist.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-MAP:URI="https://cdn.example/show/a/init.mp4"',
      '#EXTINF:2.000000,',
      'https://cdn.example/show/a/1.m4s',
      '#EXTINF:2.000000,',
      'https://cdn.example/show/a/2.m4s',
      '#EXT-X-ENDLIST',
      '',
    ]);
  });

  it('joins several periods with a discontinuity', () => {
    const text = mpd(
      `<Period id="1" start="PT0S" duration="PT4S">${audioSet('en', '', audio('a', 128000))}</Period><Period id="2" start="PT4S" duration="PT2S">${audioSet('en', '', audio('a', 128000))}</Period>`,
      'type="static" mediaPresentationDuration="PT6S"',
    );
    const playlist = playlistOf(text);
    expect(playlist.match(/#EXTINF/g)).toHaveLength(3);
    expect(playlist).toContain('#EXT-X-DISCONTINUITY');
  });

  it.each([
    [
      'copy protection',
      mpd(
        `<Period><AdaptationSet><ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"/></AdaptationSet></Period>`,
      ),
      'drm',
    ],
    [
      'a live stream',
      mpd(
        `<Period>${audioSet('en', '', audio('a', 1))}</Period>`,
        'type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z"',
      ),
      'stream-live',
    ],
    ['no audio', mpd(`<Period>${video}</Period>`), 'no-audio'],
  ])('refuses %s', (_, text, reason) => {
    expect(() => dashSoundOf(text, MPD_URL)).toThrow(expect.objectContaining({ reason }) as ConversionError);
  });
});
