import {
  EncodedAudioPacketSource,
  MkvOutputFormat,
  Output,
  StreamTarget,
  type InputAudioTrack,
  type StreamTargetChunk,
} from 'mediabunny';
import { ConversionError } from '../failures';

/**
 * An append-only Matroska file, started, that takes `track`'s packets as they are: where a stream's
 * sound is copied or recorded before it is converted. The first packet added must carry `decoderConfig`.
 */
export async function startSoundFile(track: InputAudioTrack, writable: WritableStream<StreamTargetChunk>) {
  const codec = track.codec;
  const decoderConfig = await track.getDecoderConfig();
  if (!codec || !decoderConfig) throw new ConversionError('unsupported-audio');
  const output = new Output({ format: new MkvOutputFormat({ appendOnly: true }), target: new StreamTarget(writable) });
  const source = new EncodedAudioPacketSource(codec);
  // No language: Matroska takes only ISO 639-2 codes, and a stream's `en` or `en-US` would be refused.
  output.addAudioTrack(source);
  await output.start();
  return { output, source, decoderConfig };
}
