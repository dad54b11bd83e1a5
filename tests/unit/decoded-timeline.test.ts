import { describe, expect, it } from 'vitest';
import { DecodedTimeline } from '../../utils/engines/local/mp4/decoded-timeline';

const RATE = 48_000;
const FRAMES = 1024;
const PACKET_MICROSECONDS = (FRAMES / RATE) * 1e6;
/** A chunk of `packets` AAC packets from packet `first` on, its time as the decoder is given it. */
const chunkMicroseconds = (first: number) => Math.round((first - 1) * PACKET_MICROSECONDS);

describe('DecodedTimeline places decoded AAC frames on the track’s timeline', () => {
  it.each([
    {
      decoder: 'Chromium: each output of a chunk with its own time',
      stamps: [0, 1, 2, 3, 4, 5, 6, 7].map((packet) => Math.round((packet - 1) * PACKET_MICROSECONDS)),
    },
    {
      decoder: 'Firefox: every output of a chunk with the chunk’s time',
      stamps: [0, 0, 0, 0, 4, 4, 4, 4].map(chunkMicroseconds),
    },
    {
      decoder: 'Chromium with a negative first time, which it reports as 0',
      stamps: [0, 1, 2, 3, 4, 5, 6, 7].map((packet) => Math.round(packet * PACKET_MICROSECONDS)),
    },
  ])('$decoder: one packet after another from the priming on', ({ stamps }) => {
    const timeline = new DecodedTimeline(RATE, -FRAMES / RATE);
    const placed = stamps.map((timestamp) => Math.round(timeline.place({ timestamp, numberOfFrames: FRAMES }) * RATE));
    expect(placed).toEqual([-1, 0, 1, 2, 3, 4, 5, 6].map((packet) => packet * FRAMES));
  });

  it('re-syncs where the decoder’s times jump by a packet or more (a gap in the file)', () => {
    const timeline = new DecodedTimeline(RATE, 0);
    const stamps = [0, 1, 5, 6].map((packet) => Math.round(packet * PACKET_MICROSECONDS));
    const placed = stamps.map((timestamp) => Math.round(timeline.place({ timestamp, numberOfFrames: FRAMES }) * RATE));
    expect(placed).toEqual([0, 1, 5, 6].map((packet) => packet * FRAMES));
  });
});
