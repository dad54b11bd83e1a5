import { describe, expect, it } from 'vitest';
import { dashSoundOf, hlsPlaylistOf } from '../../utils/site/dash-playlist';
import { ConversionError } from '../../utils/failures';

const MPD_URL = 'https://cdn.example/show/manifest.mpd';

const audioSet = (lang: string, extra: string, representations: string) =>
  `<AdaptationSet contentType="audio" mimeType="audio/mp4" lang="${lang}" ${extra}>${representations}</AdaptationSet>`;
const audio = (id: string, bandwidth: number) =>
  `<Representation id="${id}" codecs="mp4a.40.2" bandwidth="${bandwidth}" audioSamplingRate="48000">
     <SegmentTemplate timescale="1000" duration="2000" initialization="${id}/init.mp4" media="${id}/$Number$.m4s" startNumber="1"/>
   </Representation>`;
const timelineAudio = `<Representation id="live" codecs="mp4a.40.2" bandwidth="128000">
  <SegmentTemplate timescale="1000" initialization="live/init.mp4" media="live/$Time$.m4s"><SegmentTimeline><S t="0" d="2000" r="2"/></SegmentTimeline></SegmentTemplate></Representation>`;
const video = `<AdaptationSet contentType="video" mimeType="video/mp4"><Representation id="v" codecs="avc1.64001f" bandwidth="3000000" width="1280" height="720">
  <SegmentTemplate timescale="1000" duration="2000" initialization="v/init.mp4" media="v/$Number$.m4s" startNumber="1"/></Representation></AdaptationSet>`;
const mpd = (periods: string, attributes = 'type="static" mediaPresentationDuration="PT4S"') =>
  `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" ${attributes} minBufferTime="PT2S">${periods}</MPD>`;

const playlistOf = (text: string, language?: string) => {
  const sound = dashSoundOf(text, MPD_URL, language);
  if (sound.kind !== 'pieces') throw new Error('expected pieces');
  return hlsPlaylistOf(sound.periods);
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

  it('picks the sound of each period, whatever its representations are called, and joins them', () => {
    const period = (index: number, start: number) =>
      `<Period id="p${index}" start="PT${start}S" duration="PT4S"><BaseURL>p${index}/</BaseURL>${video}${audioSet('en', '', audio(`p${index}-a64`, 64000) + audio(`p${index}-a128`, 128000))}</Period>`;
    const text = mpd(period(1, 0) + period(2, 4) + period(3, 8), 'type="static" mediaPresentationDuration="PT12S"');
    const lines = playlistOf(text).split('\n');
    expect(lines.filter((line) => line.startsWith('https:'))).toEqual(
      [1, 2, 3].flatMap((index) =>
        [1, 2].map((piece) => `https://cdn.example/show/p${index}/p${index}-a128/${piece}.m4s`),
      ),
    );
    expect(lines.filter((line) => line === '#EXT-X-DISCONTINUITY')).toHaveLength(2);
    // Each period's init segment comes before its first piece, after the discontinuity.
    const second = lines.indexOf('#EXT-X-DISCONTINUITY');
    expect(lines.slice(second + 1, second + 3)).toEqual([
      '#EXT-X-MAP:URI="https://cdn.example/show/p2/p2-a128/init.mp4"',
      '#EXTINF:2.000000,',
    ]);
  });

  it('reads a dynamic MPD as a live stream, ended once it gives its length', () => {
    const live = mpd(
      `<Period start="PT0S">${audioSet('en', '', timelineAudio)}</Period>`,
      'type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z" minimumUpdatePeriod="PT2S"',
    );
    expect(dashSoundOf(live, MPD_URL)).toMatchObject({ kind: 'pieces', live: true, ended: false });
    const ended = live.replace('minimumUpdatePeriod="PT2S"', 'mediaPresentationDuration="PT4S"');
    expect(dashSoundOf(ended, MPD_URL)).toMatchObject({ kind: 'pieces', live: true, ended: true });
  });

  it.each([
    [
      'copy protection',
      mpd(
        `<Period><AdaptationSet><ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"/></AdaptationSet></Period>`,
      ),
      'drm',
    ],
    ['no audio', mpd(`<Period>${video}</Period>`), 'no-audio'],
  ])('refuses %s', (_, text, reason) => {
    expect(() => dashSoundOf(text, MPD_URL)).toThrow(expect.objectContaining({ reason }) as ConversionError);
  });
});
