import { CustomAudioEncoder, type AudioCodec, type AudioSample } from 'mediabunny';
import { sampleChunk } from '../audio-planes';
import { mp3FramePackets } from './mp3-file';
import { SegmentedMp3Encoding, type SegmentEncoders } from './segmented-encoding';

const MPEG1_SAMPLE_RATES = [32_000, 44_100, 48_000];

/**
 * A mediabunny MP3 encoder that encodes segments of the stream on several LAME encoders at once
 * (`encoders`, asked for at each encoding) and joins them without seams.
 */
export function segmentedMp3Encoder(encoders: () => SegmentEncoders): typeof CustomAudioEncoder {
  return class SegmentedMp3Encoder extends CustomAudioEncoder {
    private encoding: SegmentedMp3Encoding | undefined;
    /** Made at the first sample, whose timestamp the packets are timed from. */
    private toPacket: ReturnType<typeof mp3FramePackets> | undefined;

    static override supports(codec: AudioCodec, config: AudioEncoderConfig): boolean {
      return codec === 'mp3' && (config.numberOfChannels === 1 || config.numberOfChannels === 2) && MPEG1_SAMPLE_RATES.includes(config.sampleRate);
    }

    init(): void {
      const format = {
        sampleRate: this.config.sampleRate,
        channels: this.config.numberOfChannels,
        bitrateKbps: Math.round((this.config.bitrate ?? 192_000) / 1000),
      };
      this.encoding = new SegmentedMp3Encoding(format, encoders(), (frame) => this.emit(frame));
    }

    async encode(sample: AudioSample): Promise<void> {
      this.toPacket ??= mp3FramePackets(this.config.sampleRate, this.config.numberOfChannels, sample.timestamp);
      await this.encoding!.write(sampleChunk(sample, 0, sample.numberOfFrames));
    }

    async flush(): Promise<void> {
      await this.encoding!.finish();
    }

    close(): void {
      this.encoding = undefined;
    }

    private emit(frame: Uint8Array): void {
      const { packet, meta } = this.toPacket!(frame);
      this.onPacket(packet, meta);
    }
  };
}
