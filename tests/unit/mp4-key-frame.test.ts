import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input } from 'mediabunny';
import { readKeyFrame } from '../../utils/engines/local/mp4/key-frame';

const dir = mkdtempSync(join(tmpdir(), 'key-frame-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const video = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=6'];
const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=6'];
/** A key frame every second, and B-frames, so frames are shown in another order than they are stored. */
const h264 = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-bf',
  '2',
  '-g',
  '25',
  '-keyint_min',
  '25',
  '-sc_threshold',
  '0',
];

function make(name: string, args: string[]): Blob {
  const file = join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, file]);
  return new Blob([readFileSync(file)]);
}

async function withVideoTrack<T>(
  blob: Blob,
  use: (track: NonNullable<Awaited<ReturnType<Input['getPrimaryVideoTrack']>>>) => Promise<T>,
): Promise<T> {
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  try {
    return await use((await input.getPrimaryVideoTrack())!);
  } finally {
    input.dispose();
  }
}

describe('readKeyFrame finds the key frame mediabunny would', () => {
  const files: [string, string, string[]][] = [
    ['H.264 with B-frames, index at the end', 'end.mp4', [...video, ...tone, ...h264, '-c:a', 'aac']],
    ['H.264, index first', 'first.mp4', [...video, ...tone, ...h264, '-c:a', 'aac', '-movflags', '+faststart']],
    ['H.264 in QuickTime, sound first', 'sound-first.mov', [...tone, ...video, ...h264, '-c:a', 'aac']],
    [
      'H.265',
      'hevc.mp4',
      [
        ...video,
        '-c:v',
        'libx265',
        '-preset',
        'ultrafast',
        '-x265-params',
        'keyint=25:min-keyint=25:log-level=error',
        '-tag:v',
        'hvc1',
      ],
    ],
    ['every frame a key frame (Motion JPEG)', 'mjpeg.mov', [...video, '-c:v', 'mjpeg']],
    [
      'video starting late (an empty edit first)',
      'late.mp4',
      [...tone, '-itsoffset', '0.5', ...video, '-map', '0:a', '-map', '1:v', ...h264, '-c:a', 'aac'],
    ],
  ];

  it.each(files)('%s', async (_, name, args) => {
    const blob = make(name, args);
    await withVideoTrack(blob, async (track) => {
      const sink = new EncodedPacketSink(track);
      for (const seconds of [0.6, 1, 1.5, 2.98, 3.3, 5.5, 100]) {
        const expected = await sink.getKeyPacket(seconds);
        const ours = await readKeyFrame(blob, track.id, () => seconds);
        const at = `${seconds} s`;
        expect(expected, at).not.toBeNull();
        expect(ours, at).not.toBeNull();
        expect(ours!.timestamp, at).toBeCloseTo(expected!.timestamp, 9);
        expect(Buffer.from(ours!.data).equals(expected!.data), at).toBe(true);
      }
    });
  });

  it('gives the track’s length to choose from, to within the B-frames’ shift', async () => {
    const blob = make('length.mp4', [...video, ...h264]);
    await withVideoTrack(blob, async (track) => {
      let length = 0;
      await readKeyFrame(blob, track.id, (seconds) => (length = seconds));
      // Decode times end two frames (the B-frames' reordering) before the last frame is shown.
      expect(Math.abs(length - (await track.computeDuration()))).toBeLessThanOrEqual(2 / 25 + 1e-9);
      expect(length).toBeGreaterThan(5);
    });
  });

  it('gives the first key frame for a time before it', async () => {
    const blob = make('late-first.mp4', [
      ...tone,
      '-itsoffset',
      '0.5',
      ...video,
      '-map',
      '0:a',
      '-map',
      '1:v',
      ...h264,
      '-c:a',
      'aac',
    ]);
    await withVideoTrack(blob, async (track) => {
      const first = (await new EncodedPacketSink(track).getFirstPacket())!;
      const ours = (await readKeyFrame(blob, track.id, () => 0.2))!;
      expect(first.type).toBe('key');
      expect(ours.timestamp).toBeCloseTo(first.timestamp, 9);
      expect(Buffer.from(ours.data).equals(first.data)).toBe(true);
    });
  });
});

describe('readKeyFrame leaves everything else to mediabunny', () => {
  it.each([
    ['a fragmented MP4', 'fragmented.mp4', [...video, ...h264, '-movflags', 'frag_keyframe+empty_moov']],
    ['a Matroska file', 'video.mkv', [...video, ...h264]],
  ])('%s', async (_, name, args) => {
    const blob = make(name, args);
    await withVideoTrack(blob, async (track) => expect(await readKeyFrame(blob, track.id, () => 1)).toBeNull());
  });

  it('a track number the file does not have', async () => {
    expect(await readKeyFrame(make('plain.mp4', [...video, ...h264]), 99, () => 1)).toBeNull();
  });

  it('a sample count bigger than its table, without walking it', async () => {
    const bytes = new Uint8Array(await make('damaged-count.mp4', [...video, ...h264]).arrayBuffer());
    const stsz = Buffer.from(bytes).lastIndexOf('stsz');
    // The sample count follows the box type, version and flags, and the common size.
    new DataView(bytes.buffer).setUint32(stsz + 4 + 4 + 4, 0x7fff_ffff);
    expect(await readKeyFrame(new Blob([bytes]), 1, () => 1)).toBeNull();
  });

  it('a key frame list longer than its box, without reading it', async () => {
    const bytes = new Uint8Array(await make('damaged.mp4', [...video, ...h264]).arrayBuffer());
    const stss = Buffer.from(bytes).lastIndexOf('stss');
    // The entry count follows the box type, version and flags.
    new DataView(bytes.buffer).setUint32(stss + 4 + 4, 0x7fff_ffff);
    expect(await readKeyFrame(new Blob([bytes]), 1, () => 1)).toBeNull();
  });
});
