import { layer3Kbps } from './mp3/frame-header';
import { readInfoFrame } from './mp3/info-frame';

const HEAD_BYTES = 64 * 1024;

/** Where the audio starts: after an ID3v2 tag, if there is one. */
function audioStart(head: Uint8Array): number {
  if (head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return 0;
  const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  return 10 + size + (head[5]! & 0x10 ? 10 : 0);
}

async function readHead(file: Blob): Promise<{ head: Uint8Array; start: number }> {
  const first = new Uint8Array(await file.slice(0, 10).arrayBuffer());
  const start = audioStart(first);
  return { head: new Uint8Array(await file.slice(start, start + HEAD_BYTES).arrayBuffer()), start };
}

/** Whether a file is an MP3 (by its bytes, not its name or type): what the cloud may send instead of a video. */
export async function sniffAudioMp3(file: Blob): Promise<boolean> {
  const { head } = await readHead(file);
  return head[0] === 0xff && ((head[1] ?? 0) & 0xe6) === 0xe2;
}

/**
 * An MP3's playing time without decoding it: from its Xing/Info frame count and LAME gapless
 * fields when present, else from its constant bitrate.
 */
export async function mp3DurationSeconds(file: Blob): Promise<number> {
  const { head, start } = await readHead(file);
  const info = readInfoFrame(head);
  if (info?.frameCount) {
    const trimmed = info.lameTag ? info.lameTag.encoderDelay + info.lameTag.padding : 0;
    return (info.frameCount * info.samplesPerFrame - trimmed) / info.sampleRate;
  }
  // No Xing/Info frame (or no frame count in it): estimate from the first frame's bitrate.
  const version = ((head[1] ?? 0) >> 3) & 3;
  const bitrateIndex = (head[2] ?? 0) >> 4;
  const kbps = layer3Kbps(version, bitrateIndex);
  return kbps > 0 ? ((file.size - start) * 8) / (kbps * 1000) : 0;
}
