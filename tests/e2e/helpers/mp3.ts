import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeMono, findEndOfSoundSeconds, findOnsetSeconds, probeAudioSeconds } from '../../../scripts/make-fixtures';

const run = promisify(execFile);

export interface Mp3Analysis {
  codec: string;
  sampleRate: number;
  channels: number;
  bitrateKbps: number;
  /** Decoded sample count / rate; ffmpeg trims the encoder delay and padding a LAME/Info tag declares. */
  durationSeconds: number;
  /** First decoded (mono-mixed) sample with |value| > 0.1, NaN if there is none. */
  onsetSeconds: number;
  /** Just after the last decoded sample with |value| > 0.1. */
  endOfSoundSeconds: number;
  titleTag: string | null;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
}

interface ProbeResult {
  streams?: ProbeStream[];
  format?: { bit_rate?: string; tags?: Record<string, string> };
}

async function probe(path: string): Promise<ProbeResult> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', path]);
  return JSON.parse(stdout) as ProbeResult;
}

function audioStream(result: ProbeResult, path: string): ProbeStream {
  const stream = result.streams?.find((s) => s.codec_type === 'audio');
  if (!stream) throw new Error(`${path}: no audio stream`);
  return stream;
}

function tag(tags: Record<string, string> | undefined, key: string): string | null {
  const entry = Object.entries(tags ?? {}).find(([k]) => k.toLowerCase() === key);
  return entry ? entry[1] : null;
}

function toNumber(value: string | number | undefined, what: string, path: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n)) throw new Error(`${path}: ffprobe reported no ${what}`);
  return n;
}

export async function analyzeMp3(path: string): Promise<Mp3Analysis> {
  const [info, decoded] = await Promise.all([probe(path), decodeMono(path)]);
  const stream = audioStream(info, path);
  return {
    codec: stream.codec_name ?? 'unknown',
    sampleRate: toNumber(stream.sample_rate, 'sample rate', path),
    channels: toNumber(stream.channels, 'channel count', path),
    bitrateKbps: toNumber(stream.bit_rate ?? info.format?.bit_rate, 'bit rate', path) / 1000,
    durationSeconds: decoded.samples.length / decoded.sampleRate,
    onsetSeconds: findOnsetSeconds(decoded.samples, decoded.sampleRate),
    endOfSoundSeconds: findEndOfSoundSeconds(decoded.samples, decoded.sampleRate),
    titleTag: tag(info.format?.tags, 'title'),
  };
}

export function sourceAudioSeconds(path: string): Promise<number> {
  return probeAudioSeconds(path);
}
