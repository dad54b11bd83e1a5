import { z } from 'zod';

/** The MP3 bitrates to choose from: kbps at a constant bitrate, or a LAME VBR quality level. */
export const BITRATES = [128, 192, 256, 320, 'v0', 'v2'] as const;
export type Bitrate = (typeof BITRATES)[number];

export const bitrateSchema = z.union(BITRATES.map((rate) => z.literal(rate)));

/** LAME's VBR quality (`-V`) for a variable bitrate, or undefined for a constant one. */
export function vbrQuality(bitrate: Bitrate): 0 | 2 | undefined {
  return bitrate === 'v0' ? 0 : bitrate === 'v2' ? 2 : undefined;
}

/** What `{bitrate}` gives in a file name: `192k`, or `V0`. */
export function bitrateInName(bitrate: Bitrate): string {
  return typeof bitrate === 'number' ? `${bitrate}k` : bitrate.toUpperCase();
}

/** The constant bitrate nearest a VBR level's average (V0 about 245 kbps, V2 about 190), for what only knows kbps. */
export function constantBitrate(bitrate: Bitrate): Extract<Bitrate, number> {
  return bitrate === 'v0' ? 256 : bitrate === 'v2' ? 192 : bitrate;
}
