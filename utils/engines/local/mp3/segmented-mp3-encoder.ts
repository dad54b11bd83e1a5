import { CustomAudioEncoder, EncodedPacket, type AudioCodec, type AudioSample } from 'mediabunny';
import { SAMPLES_PER_FRAME } from './frames';
import { SegmentedMp3Encoding, type EncodeSegment } from './segmented-encoding';

const MPEG1_SAMPLE_RATES = [32_000, 44_100, 48_000];

/**
 * A mediabunny MP3 encoder that encodes segments of the stream on several LAME encoders at once
 * (`encodeSegment`, with `parallelism` segments in flight) and joins them without seams.
 */
export function segmentedMp3Encoder(encodeSegment: () => EncodeSegment, parallelism: () => number): typeof CustomAudioEncoder {
  return class SegmentedMp3Encoder extends CustomAudioEncoder {
    private encoding: SegmentedMp3Encoding | undefined;
    private frameIndex = 0;
    private firstTimestamp: number | undefined;

    static override supports(codec: AudioCodec, config: AudioEncoderConfig): boolean {
      return codec === 'mp3' && (config.numberOfChannels === 1 || config.numberOfChannels === 2) && MPEG1_SAMPLE_RATES.includes(config.sampleRate);
    }

    init(): void {
      const format = {
        sampleRate: this.config.sampleRate,
        channels: this.config.numberOfChannels,
        bitrateKbps: Math.round((this.config.bitrate ?? 192_000) / 1000),
      };
      this.encoding = new SegmentedMp3Encoding(format, encodeSegment(), (frame) => this.emit(frame), parallelism() + 1);
    }

    async encode(sample: AudioSample): Promise<void> {
      this.firstTimestamp ??= sample.timestamp;
      const planes = Array.from({ length: sample.numberOfChannels }, (_, planeIndex) => {
        const plane = new Float32Array(sample.numberOfFrames);
        sample.copyTo(plane, { planeIndex, format: 'f32-planar' });
        return plane;
      });
      await this.encoding!.write(planes);
    }

    async flush(): Promise<void> {
      await this.encoding!.finish();
    }

    close(): void {
      this.encoding = undefined;
    }

    private emit(frame: Uint8Array): void {
      const frameSeconds = SAMPLES_PER_FRAME / this.config.sampleRate;
      const packet = new EncodedPacket(frame, 'key', (this.firstTimestamp ?? 0) + this.frameIndex * frameSeconds, frameSeconds);
      const meta =
        this.frameIndex === 0
          ? { decoderConfig: { codec: 'mp3', numberOfChannels: this.config.numberOfChannels, sampleRate: this.config.sampleRate } }
          : undefined;
      this.frameIndex++;
      this.onPacket(packet, meta);
    }
  };
}
