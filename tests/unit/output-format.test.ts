import { describe, expect, it } from 'vitest';
import {
  codecLabel,
  containerForCodec,
  FILE_EXTENSIONS,
  MIME_TYPES,
  withExtension,
  type FileExtension,
} from '@/utils/output-format';
import { PlacedWrites } from '@/utils/engines/local/placed-writes';

describe('containerForCodec', () => {
  it.each<[string | null, FileExtension | undefined]>([
    ['aac', 'm4a'],
    ['opus', 'opus'],
    ['vorbis', 'ogg'],
    ['mp3', 'mp3'],
    ['flac', 'flac'],
    ['ac3', undefined],
    ['eac3', undefined],
    ['dts', undefined],
    ['pcm-s16', undefined],
    ['pcm-f32', undefined],
    ['alac', undefined],
    ['AAC', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (codec, extension) => {
    expect(containerForCodec(codec)).toBe(extension);
  });
});

describe('codecLabel', () => {
  it.each<[string | undefined, string]>([
    ['ac3', 'AC-3'],
    ['eac3', 'E-AC-3'],
    ['dts', 'DTS'],
    ['dca', 'DTS'],
    ['pcm-s16', 'PCM'],
    ['pcm_s24le', 'PCM'],
    ['aac', 'AAC'],
    ['truehd', 'TRUEHD'],
    [undefined, '?'],
  ])('%s is shown as %s', (codec, label) => {
    expect(codecLabel(codec)).toBe(label);
  });
});

describe('withExtension', () => {
  it.each<[string, FileExtension, string]>([
    ['clip.mp3', 'm4a', 'clip.m4a'],
    ['clip - 2026-12-03.mp3', 'opus', 'clip - 2026-12-03.opus'],
    ['holiday.final.mp3', 'flac', 'holiday.final.flac'],
    ['clip.mp3', 'mp3', 'clip.mp3'],
    ['noextension', 'ogg', 'noextension.ogg'],
    ['.mp3', 'ogg', '.mp3.ogg'],
  ])('%s with .%s is %s', (name, extension, expected) => {
    expect(withExtension(name, extension)).toBe(expected);
  });

  it('has a MIME type for every extension', () => {
    for (const extension of FILE_EXTENSIONS) expect(MIME_TYPES[extension]).toMatch(/^audio\//);
  });
});

describe('PlacedWrites', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  const contents = async (writes: PlacedWrites) => [
    ...new Uint8Array(await (await writes.toBlob('audio/mp4')).arrayBuffer()),
  ];

  it.each<[string, [number[], number][], number[]]>([
    [
      'in order',
      [
        [[1, 2], 0],
        [[3], 2],
      ],
      [1, 2, 3],
    ],
    [
      'a size filled in afterwards',
      [
        [[0, 0, 9, 9], 0],
        [[7, 8], 4],
        [[5, 6], 0],
      ],
      [5, 6, 9, 9, 7, 8],
    ],
    [
      'a rewrite that runs past the end',
      [
        [[1, 2, 3], 0],
        [[4, 5, 6], 2],
      ],
      [1, 2, 4, 5, 6],
    ],
    [
      'a gap, filled with zeros',
      [
        [[1], 0],
        [[2], 3],
      ],
      [1, 0, 0, 2],
    ],
    [
      'a later rewrite of the same bytes wins',
      [
        [[1, 2, 3], 0],
        [[8], 1],
        [[9], 1],
      ],
      [1, 9, 3],
    ],
  ])('%s', async (_label, writes, expected) => {
    const placed = new PlacedWrites();
    for (const [data, position] of writes) placed.write(bytes(...data), position);
    expect(await contents(placed)).toEqual(expected);
  });

  it('keeps a copy of a rewrite, so the caller may reuse its buffer', async () => {
    const placed = new PlacedWrites();
    placed.write(bytes(1, 2), 0);
    const reused = bytes(7);
    placed.write(reused, 0);
    reused[0] = 0;
    expect(await contents(placed)).toEqual([7, 2]);
    expect((await placed.toBlob('audio/flac')).type).toBe('audio/flac');
  });
});
