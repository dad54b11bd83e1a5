import { describe, expect, it } from 'vitest';
import { bitrateInName, BITRATES, constantBitrate, vbrQuality, type Bitrate } from '@/utils/bitrate';

describe('bitrates', () => {
  it.each<[Bitrate, number | undefined, string, number]>([
    [128, undefined, '128k', 128],
    [320, undefined, '320k', 320],
    ['v0', 0, 'V0', 256],
    ['v2', 2, 'V2', 192],
  ])('%j: LAME quality %j, %j in a file name, %j kbps for the cloud', (bitrate, quality, inName, kbps) => {
    expect(vbrQuality(bitrate)).toBe(quality);
    expect(bitrateInName(bitrate)).toBe(inName);
    expect(constantBitrate(bitrate)).toBe(kbps);
  });

  it('offers the four constant bitrates, then the two variable ones', () => {
    expect(BITRATES).toEqual([128, 192, 256, 320, 'v0', 'v2']);
  });
});
