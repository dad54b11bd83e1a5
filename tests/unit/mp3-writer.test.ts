import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Mp3Writer } from '../../utils/engines/local/mp3/mp3-writer';
import { readInfoFrame } from '../../utils/engines/local/mp3/info-frame';

const workDir = mkdtempSync(join(tmpdir(), 'mp3-writer-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
let files = 0;

function run(command: string, args: string[]): Buffer {
  const result = spawnSync(command, args, { maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

/** A bare MP3 stream made by ffmpeg's LAME: frames only, no ID3 tag, no Xing frame. */
function bareFrames(sampleRate: number, channels: number, quality: string[]): Uint8Array {
  const path = join(workDir, `${files++}.mp3`);
  run('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `sine=f=440:r=${sampleRate}:d=3`,
    '-ac',
    `${channels}`,
    '-c:a',
    'libmp3lame',
    ...quality,
    '-write_xing',
    '0',
    '-id3v2_version',
    '0',
    '-y',
    path,
  ]);
  return new Uint8Array(readFileSync(path));
}

function saved(bytes: Uint8Array): string {
  const path = join(workDir, `${files++}.mp3`);
  writeFileSync(path, bytes);
  return path;
}

const decodedSamples = (path: string) =>
  run('ffmpeg', ['-v', 'error', '-i', path, '-f', 's16le', '-ac', '1', '-']).length / 2;

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** Frames of a bare stream, one array each, as a demuxer hands them out (ffprobe says where they are). */
function splitFrames(stream: Uint8Array): Uint8Array[] {
  const probe = run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'packet=pos,size',
    '-of',
    'json',
    saved(stream),
  ]).toString();
  const { packets } = JSON.parse(probe) as { packets: { pos: string; size: string }[] };
  return packets.map(({ pos, size }) => stream.slice(Number(pos), Number(pos) + Number(size)));
}

describe('the MP3 writer', () => {
  it.each([
    { label: 'MPEG-1 CBR, stereo', sampleRate: 44_100, channels: 2, quality: ['-b:a', '128k'], tagId: 'Info' },
    {
      label: 'MPEG-1 CBR at 32 kbps (an Info frame needs a higher bitrate)',
      sampleRate: 48_000,
      channels: 2,
      quality: ['-b:a', '32k'],
      tagId: 'Info',
    },
    { label: 'MPEG-2 CBR, mono', sampleRate: 22_050, channels: 1, quality: ['-b:a', '64k'], tagId: 'Info' },
    { label: 'MPEG-2.5 CBR', sampleRate: 8_000, channels: 1, quality: ['-b:a', '16k'], tagId: 'Info' },
    { label: 'MPEG-1 VBR', sampleRate: 48_000, channels: 2, quality: ['-q:a', '4'], tagId: 'Xing' },
  ])(
    'puts an Info frame with counts and a seek table before the frames: $label',
    async ({ sampleRate, channels, quality, tagId }) => {
      const stream = bareFrames(sampleRate, channels, quality);
      const writer = new Mp3Writer();
      const frames = splitFrames(stream);
      for (const frame of frames) writer.write(frame);
      expect(writer.frameCount).toBe(frames.length);

      const file = await bytesOf(await writer.toBlob({}));
      const info = readInfoFrame(file)!;
      expect(info.sampleRate).toBe(sampleRate);
      expect(info.channels).toBe(channels);
      expect(info.tagId).toBe(tagId);
      expect(info.frameCount).toBe(frames.length);
      expect(info.byteCount).toBe(file.length);
      expect(file.subarray(info.frameSize!)).toEqual(stream);
      const seekTable = [...info.seekTable!];
      expect(seekTable[0]).toBe(Math.floor((256 * info.frameSize!) / file.length));
      expect(seekTable).toEqual([...seekTable].sort((a, b) => a - b));
      expect(seekTable[99]).toBeGreaterThan(240);
      // Players see the same sound, as long as the frames' own.
      expect(decodedSamples(saved(file))).toBe(decodedSamples(saved(stream)));
      const seconds = Number(
        run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', saved(file)]).toString(),
      );
      expect(seconds).toBeCloseTo((frames.length * info.samplesPerFrame) / sampleRate, 2);
    },
  );

  it('takes runs of frames in one call, as the encoder hands them out', async () => {
    const stream = bareFrames(48_000, 2, ['-b:a', '192k']);
    const whole = new Mp3Writer();
    whole.write(stream);
    const oneByOne = new Mp3Writer();
    for (const frame of splitFrames(stream)) oneByOne.write(frame);
    expect(whole.frameCount).toBe(oneByOne.frameCount);
    expect(await bytesOf(await whole.toBlob({}))).toEqual(await bytesOf(await oneByOne.toBlob({})));
  });

  it('copies what it is given, so the caller may reuse its buffer', async () => {
    const stream = bareFrames(44_100, 1, ['-b:a', '128k']);
    const writer = new Mp3Writer();
    const buffer = stream.slice();
    writer.write(buffer);
    buffer.fill(0);
    const file = await bytesOf(await writer.toBlob({}));
    expect(file.subarray(readInfoFrame(file)!.frameSize!)).toEqual(stream);
  });

  it.each([
    ['bytes that are no MP3 frame', new Uint8Array([1, 2, 3, 4, 5])],
    ['a frame cut short', bareFrames(44_100, 2, ['-b:a', '128k']).subarray(0, 200)],
  ])('refuses %s, naming the byte', (_label, bytes) => {
    expect(() => new Mp3Writer().write(bytes)).toThrow(/no whole MP3 frame at byte 0/);
  });

  it('says so when no frame was written', async () => {
    await expect(new Mp3Writer().toBlob({})).rejects.toThrow(/no MP3 frames/);
  });

  it('writes the title, artist, album and cover as an ID3 tag that players read', async () => {
    const cover = run('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=red:s=32x24',
      '-frames:v',
      '1',
      '-f',
      'mjpeg',
      '-',
    ]);
    const writer = new Mp3Writer();
    writer.write(bareFrames(44_100, 2, ['-b:a', '128k']));
    const tags = {
      title: 'Ünïcödé — 日本語',
      artist: 'The Artist',
      album: 'The Album',
      images: [{ data: new Uint8Array(cover), mimeType: 'image/jpeg', kind: 'coverFront' as const }],
    };
    const file = await bytesOf(await writer.toBlob(tags));
    const probe = JSON.parse(
      run('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'format_tags:stream=codec_name,width,height:stream_disposition=attached_pic',
        '-of',
        'json',
        saved(file),
      ]).toString(),
    ) as {
      format: { tags: Record<string, string> };
      streams: { codec_name: string; width?: number; height?: number; disposition: { attached_pic: number } }[];
    };
    expect(probe.format.tags).toMatchObject({ title: tags.title, artist: 'The Artist', album: 'The Album' });
    expect(probe.streams).toContainEqual(
      expect.objectContaining({ codec_name: 'mjpeg', width: 32, height: 24, disposition: { attached_pic: 1 } }),
    );
    // The Info frame follows the tag.
    const tagSize =
      ((file[6]! & 0x7f) << 21) | ((file[7]! & 0x7f) << 14) | ((file[8]! & 0x7f) << 7) | (file[9]! & 0x7f);
    expect(readInfoFrame(file.subarray(10 + tagSize))?.tagId).toBe('Info');
  });

  it('leaves out a cover whose image type it cannot name, and keeps the other tags', async () => {
    const writer = new Mp3Writer();
    writer.write(bareFrames(44_100, 2, ['-b:a', '128k']));
    const file = await bytesOf(
      await writer.toBlob({
        title: 'Kept',
        images: [{ data: new Uint8Array(64), mimeType: 'image/x-unknown', kind: 'coverFront' }],
      }),
    );
    const probe = run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format_tags=title:stream=codec_type',
      '-of',
      'csv=p=0',
      saved(file),
    ]).toString();
    expect(probe).toContain('Kept');
    expect(probe).not.toContain('video');
  });

  it('writes no ID3 tag when there are no tags, and a LAME tag only when asked', async () => {
    const writer = new Mp3Writer();
    writer.write(bareFrames(44_100, 2, ['-b:a', '128k']));
    const plain = await bytesOf(await writer.toBlob({}));
    expect([plain[0], plain[1]! & 0xe0]).toEqual([0xff, 0xe0]);
    expect(readInfoFrame(plain)?.lameTag).toBeNull();
    const tagged = await bytesOf(
      await writer.toBlob({}, { gapless: { encoderDelay: 576, padding: 1000 }, bitrateKbps: 128 }),
    );
    const lameTag = readInfoFrame(tagged)?.lameTag;
    expect(lameTag).toMatchObject({ encoderDelay: 576, padding: 1000, bitrateKbps: 128, crcValid: true });
  });
});
