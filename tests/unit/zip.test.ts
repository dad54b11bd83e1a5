import 'fake-indexeddb/auto';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { putBlob } from '../../utils/blob-store';
import { uniqueNames, zipStoredOutputs } from '../../utils/site/zip';

describe('uniqueNames', () => {
  it.each([
    [
      ['a.mp3', 'b.mp3'],
      ['a.mp3', 'b.mp3'],
    ],
    [
      ['clip.mp3', 'clip.mp3', 'clip.mp3'],
      ['clip.mp3', 'clip (1).mp3', 'clip (2).mp3'],
    ],
    [
      ['Clip.mp3', 'clip.mp3'],
      ['Clip.mp3', 'clip (1).mp3'],
    ],
    [
      ['clip (1).mp3', 'clip.mp3', 'clip.mp3'],
      ['clip (1).mp3', 'clip.mp3', 'clip (2).mp3'],
    ],
    [
      ['noext', 'noext'],
      ['noext', 'noext (1)'],
    ],
  ])('%j → %j', (names, expected) => {
    expect(uniqueNames(names)).toEqual(expected);
  });
});

describe('zipStoredOutputs', () => {
  it('makes one ZIP of the stored MP3s, each entry byte for byte, in order, named as given', async () => {
    const bytes = (seed: number, length: number) => Uint8Array.from({ length }, (_, i) => (i * seed + 7) & 0xff);
    const mp3s = [bytes(3, 200_017), bytes(5, 1000), bytes(11, 1)];
    await Promise.all(mp3s.map((mp3, index) => putBlob('outputs', `job-${index}`, new Blob([mp3]))));
    const zip = await zipStoredOutputs([
      { outputKey: 'job-0', fileName: 'concert.mp3' },
      { outputKey: 'job-1', fileName: '会议.mp3' },
      { outputKey: 'job-2', fileName: 'concert.mp3' },
    ]);
    expect(zip.type).toBe('application/zip');
    const opened = await JSZip.loadAsync(await zip.arrayBuffer());
    expect(Object.keys(opened.files)).toEqual(['concert.mp3', '会议.mp3', 'concert (1).mp3']);
    for (const [index, name] of ['concert.mp3', '会议.mp3', 'concert (1).mp3'].entries())
      expect(await opened.file(name)!.async('uint8array')).toEqual(mp3s[index]);
  });

  it('fails, naming the key, when an MP3 is no longer stored', async () => {
    await expect(zipStoredOutputs([{ outputKey: 'gone', fileName: 'a.mp3' }])).rejects.toThrow(/gone/);
  });
});
