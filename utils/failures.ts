import { i18n } from '#i18n';
import { z } from 'zod';
import { DiskFullError } from './blob-store';

export const FAILURE_REASONS = [
  'empty',
  'not-a-video',
  'damaged',
  'no-audio',
  'unsupported-audio',
  'input-missing',
  'fetch-refused',
  'fetch-failed',
  'download-stalled',
  'save-failed',
  'too-many-attempts',
  'trim-outside',
  'stalled',
  'disk-full',
  'drm',
  'stream-unreadable',
  'stream-piece-failed',
  'stream-live',
  'internal',
] as const;
export const failureReasonSchema = z.enum(FAILURE_REASONS);
export type FailureReason = z.infer<typeof failureReasonSchema>;

/** A failure we can explain to the user; `reason` picks the words. */
export class ConversionError extends Error {
  constructor(
    readonly reason: FailureReason,
    detail?: string,
  ) {
    super(detail ?? reason);
    this.name = 'ConversionError';
  }
}

const messageKeys = {
  empty: 'failure.empty',
  'not-a-video': 'failure.notAVideo',
  damaged: 'failure.damaged',
  'no-audio': 'failure.noAudio',
  'unsupported-audio': 'failure.unsupportedAudio',
  'input-missing': 'failure.inputMissing',
  'fetch-refused': 'failure.fetchRefused',
  'fetch-failed': 'failure.fetchFailed',
  'download-stalled': 'failure.downloadStalled',
  'save-failed': 'failure.saveFailed',
  'too-many-attempts': 'failure.tooManyAttempts',
  'trim-outside': 'failure.trimOutside',
  stalled: 'failure.stalled',
  'disk-full': 'failure.diskFull',
  drm: 'failure.drm',
  'stream-unreadable': 'failure.streamUnreadable',
  'stream-piece-failed': 'failure.streamPieceFailed',
  'stream-live': 'failure.streamLive',
  internal: 'failure.internal',
} as const satisfies Record<FailureReason, string>;

export function describeFailure(reason: FailureReason, fileName: string): string {
  return i18n.t(messageKeys[reason], { file: fileName });
}

export function failureReasonOf(error: unknown): FailureReason {
  if (error instanceof ConversionError) return error.reason;
  return error instanceof DiskFullError ? 'disk-full' : 'internal';
}
