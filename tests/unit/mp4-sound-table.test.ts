import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input } from 'mediabunny';
import { readSoundTable, soundPackets, soundTableDuration } from '../../utils/engines/local/mp4/sound-table';

const dir = mkdtempSync(join(tmpdir(), 'sound-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const video = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=4'];
const tone = (rate = 48000) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=4`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast'];

function make(name: string, args: string[]): Blob {
  const file = join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, file]);
  return new Blob([readFileSync(file)]);
}

describe('readSoundTable reads MPEG audio packets exactly as mediabunny does', () => {
  const files: [string, string, string[], number?][] = [
    ['MP4, index at the end', 'end.mp4', [...video, ...tone(), ...h264, '-c:a', 'aac']],
    ['MP4, index first', 'first.mp4', [...video, ...tone(), ...h264, '-c:a', 'aac', '-movflags', '+faststart']],
    ['QuickTime, mono 44.1 kHz', 'mono.mov', [...video, ...tone(44100), ...h264, '-c:a', 'aac', '-ac', '1']],
    ['sound only (M4A)', 'sound.m4a', [...tone(), '-c:a', 'aac']],
    [
      'sound starting late (an empty edit first)',
      'late.mp4',
      [...video, '-itsoffset', '0.5', ...tone(), ...h264, '-c:a', 'aac'],
    ],
    ['MP3 sound in an MP4', 'mp3.mp4', [...video, ...tone(), ...h264, '-c:a', 'libmp3lame']],
    [
      'the second of two sound tracks',
      'two.mp4',
      [...video, ...tone(), ...tone(32000), '-map', '0', '-map', '1', '-map', '2', ...h264, '-c:a', 'aac'],
      1,
    ],
  ];

  it.each(files)('%s', async (_, name, args, soundIndex = 0) => {
    const blob = make(name, args);
    const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
    try {
      const track = (await input.getAudioTracks())[soundIndex]!;
      const table = await readSoundTable(blob, track.id);
      expect(table).not.toBeNull();
      const ours = [...soundPackets(table!)].length;
      const theirs: { timestamp: number; duration: number; data: Uint8Array }[] = [];
      for await (const packet of new EncodedPacketSink(track).packets())
        theirs.push({ timestamp: packet.timestamp, duration: packet.duration, data: packet.data });
      expect(ours).toBe(theirs.length);
      expect(ours).toBeGreaterThan(100);

      const bytes = new Uint8Array(await blob.arrayBuffer());
      for (const packet of soundPackets(table!)) {
        const expected = theirs[packet.index]!;
        const at = `packet ${packet.index}`;
        expect((packet.decodeTime - table!.editOffset) / table!.timescale, at).toBeCloseTo(expected.timestamp, 9);
        expect(packet.duration / table!.timescale, at).toBeCloseTo(expected.duration, 9);
        expect(Buffer.from(bytes.subarray(packet.offset, packet.offset + packet.size)).equals(expected.data), at).toBe(
          true,
        );
      }
      expect(soundTableDuration(table!)).toBeCloseTo(await track.computeDuration(), 9);
    } finally {
      input.dispose();
    }
  });

  it('places an empty edit before the sound on its timeline', async () => {
    const blob = make('late-check.mp4', [...video, '-itsoffset', '0.5', ...tone(), ...h264, '-c:a', 'aac']);
    const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
    try {
      const track = (await input.getPrimaryAudioTrack())!;
      const table = (await readSoundTable(blob, track.id))!;
      const first = soundPackets(table).next().value!;
      expect((first.decodeTime - table.editOffset) / table.timescale).toBeGreaterThan(0.4);
    } finally {
      input.dispose();
    }
  });
});

describe('readSoundTable leaves everything else to mediabunny', () => {
  const aacMp4 = () => make('plain.mp4', [...video, ...tone(), ...h264, '-c:a', 'aac']);

  it.each([
    [
      'a fragmented MP4',
      'fragmented.mp4',
      [...video, ...tone(), ...h264, '-c:a', 'aac', '-movflags', 'frag_keyframe+empty_moov'],
    ],
    ['Opus sound in an MP4', 'opus.mp4', [...video, ...tone(), ...h264, '-c:a', 'libopus']],
    ['PCM sound in a QuickTime movie', 'pcm.mov', [...video, ...tone(), ...h264, '-c:a', 'pcm_s16le']],
    ['a Matroska file', 'aac.mkv', [...video, ...tone(), ...h264, '-c:a', 'aac']],
  ])('%s', async (_, name, args) => {
    const blob = make(name, args);
    const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
    try {
      const track = await input.getPrimaryAudioTrack();
      expect(track).not.toBeNull();
      expect(await readSoundTable(blob, track!.id)).toBeNull();
    } finally {
      input.dispose();
    }
  });

  it('a track number the file does not have', async () => {
    expect(await readSoundTable(aacMp4(), 99)).toBeNull();
  });

  it('something that is no MP4', async () => {
    const file = join(dir, 'noise.bin');
    writeFileSync(
      file,
      new Uint8Array(4096).map((_, i) => (i * 7919) % 251),
    );
    expect(await readSoundTable(new Blob([readFileSync(file)]), 1)).toBeNull();
  });

  it('a packet count bigger than its table, without allocating for it', async () => {
    const bytes = new Uint8Array(await aacMp4().arrayBuffer());
    const view = new DataView(bytes.buffer);
    const stsz = Buffer.from(bytes).lastIndexOf('stsz');
    // The sample count follows the box type, version and flags, and the common size.
    view.setUint32(stsz + 4 + 4 + 4, 0x7fff_ffff);
    expect(await readSoundTable(new Blob([bytes]), 2)).toBeNull();
  });
});
