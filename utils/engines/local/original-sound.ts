import {
  Conversion,
  FlacOutputFormat,
  Mp3OutputFormat,
  Mp4OutputFormat,
  OggOutputFormat,
  Output,
  StreamTarget,
  type Input,
  type InputAudioTrack,
  type MetadataTags,
  type OutputFormat,
  type StreamTargetChunk,
} from 'mediabunny';
import type { ConversionRequest, ConversionResult, ProgressListener } from '../engine';
import { MIME_TYPES, type FileExtension } from '../../output-format';
import { spillTo } from '../../blob-store';
import { runConversion } from './run-conversion';
import { ConversionError } from '../../failures';
import { PlacedWrites } from './placed-writes';
import { withVorbisFramingBit } from './vorbis-framing';

/** Each kept sound's container, written by mediabunny with the tags in the container's own way. */
function outputFormat(extension: FileExtension): OutputFormat {
  switch (extension) {
    // The index at the end: the packets go to disk as they come, and nothing waits for the whole file in memory.
    case 'm4a':
      return new Mp4OutputFormat({ fastStart: false });
    case 'opus':
    case 'ogg':
      return new OggOutputFormat();
    case 'flac':
      return new FlacOutputFormat();
    case 'mp3':
      return new Mp3OutputFormat();
  }
}

/**
 * The track's packets copied byte for byte into `extension`'s container, with `tags`. A trim is taken
 * to the packets that hold its start and its end: nothing is decoded, so nothing can be cut inside one.
 * Returns undefined when mediabunny can't copy this track into that container.
 */
export async function copyOriginalSound(
  input: Input,
  track: InputAudioTrack,
  extension: FileExtension,
  tags: Promise<MetadataTags>,
  request: ConversionRequest,
  onProgress: ProgressListener,
  signal: AbortSignal,
): Promise<ConversionResult | undefined> {
  const file = new PlacedWrites(request.scratchKey ? spillTo(request.scratchKey) : undefined);
  const target = new StreamTarget(
    new WritableStream<StreamTargetChunk>({
      write: (chunk) => {
        file.write(chunk.data, chunk.position);
        return file.ready.then(() => undefined);
      },
    }),
  );
  const trim = request.trim;
  const trackSeconds = await track.computeDuration();
  const start = trim?.startSeconds ?? 0;
  const end = Math.min(trim?.endSeconds ?? Infinity, trackSeconds);
  if (end <= start) throw new ConversionError('trim-outside');
  const conversion = await Conversion.init({
    input,
    output: new Output({ format: outputFormat(extension), target }),
    showWarnings: false,
    video: { discard: true },
    audio: (candidate) => (candidate.id === track.id ? {} : { discard: true }),
    // Whole packets only; the timeline may move to start at zero where a container can't start earlier.
    copy: { mode: 'forced', shiftTolerance: Infinity, boundaryPolicy: 'expand' },
    ...(trim ? { trim: { start, end } } : {}),
    tags: () => tags,
  });
  if (!conversion.isValid) return undefined;
  conversion.onProgress = onProgress;
  await runConversion(conversion, signal);
  const made = await file.toBlob(MIME_TYPES[extension]);
  const spill = request.scratchKey ? spillTo(`${request.scratchKey}/framed`) : undefined;
  return {
    mp3: extension === 'ogg' ? await withVorbisFramingBit(made, spill) : made,
    durationSeconds: end - start,
    extension,
  };
}
