import { describe, expect, it } from 'vitest';
import { liveDashPlaylist } from '../../utils/site/dash-live';

const MPD_URL = 'https://cdn.example/live/manifest.mpd';

/** A live MPD listing the pieces numbered `first` to `last` of 2 s each (a window that moves on). */
const liveMpd = (first: number, last: number, ended = false) =>
  `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z" ${ended ? 'mediaPresentationDuration="PT20S"' : 'minimumUpdatePeriod="PT2S"'}>
  <Period id="1" start="PT0S"><AdaptationSet contentType="audio" mimeType="audio/mp4" lang="en">
    <Representation id="a" codecs="mp4a.40.2" bandwidth="128000">
      <SegmentTemplate timescale="1000" initialization="a/init.mp4" media="a/$Number$.m4s" startNumber="${first}">
        <SegmentTimeline><S t="${(first - 1) * 2000}" d="2000" r="${last - first}"/></SegmentTimeline>
      </SegmentTemplate>
    </Representation></AdaptationSet></Period></MPD>`;

const pieces = (playlist: string) => playlist.split('\n').filter((line) => line.startsWith('https:'));
const sequence = (playlist: string) => /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1];

describe('liveDashPlaylist', () => {
  it('reads the MPD again at each refresh, each piece keeping its media sequence number, until it ends', async () => {
    const refreshes = [liveMpd(2, 4), liveMpd(3, 5, true)];
    const playlist = liveDashPlaylist(liveMpd(1, 3), () => Promise.resolve(refreshes.shift()!), MPD_URL);

    const first = await playlist();
    expect(sequence(first)).toBe('0');
    expect(pieces(first)).toEqual([1, 2, 3].map((number) => `https://cdn.example/live/a/${number}.m4s`));
    expect(first).not.toContain('#EXT-X-ENDLIST');
    expect(first).not.toContain('PLAYLIST-TYPE');

    const second = await playlist();
    expect(sequence(second)).toBe('1');
    expect(pieces(second)).toEqual([2, 3, 4].map((number) => `https://cdn.example/live/a/${number}.m4s`));
    expect(second).not.toContain('#EXT-X-ENDLIST');

    const last = await playlist();
    expect(sequence(last)).toBe('2');
    expect(pieces(last).at(-1)).toBe('https://cdn.example/live/a/5.m4s');
    expect(last).toContain('#EXT-X-ENDLIST');
  });
});
