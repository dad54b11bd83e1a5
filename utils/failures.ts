import { z } from 'zod';

export const FAILURE_REASONS = [
  'empty',
  'not-a-video',
  'damaged',
  'no-audio',
  'unsupported-audio',
  'input-missing',
  'fetch-refused',
  'fetch-failed',
  'save-failed',
  'too-many-attempts',
  'trim-outside',
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

export const SUPPORTED_FORMATS = 'MP4, MOV, M4V, WebM, MKV, AVI or MPEG-TS';

const messages: Record<FailureReason, (file: string) => string> = {
  empty: (file) => `“${file}” is empty (0 bytes). Choose the complete video file and try again.`,
  'not-a-video': (file) =>
    `“${file}” isn't a video file this extension can read. Choose a video such as ${SUPPORTED_FORMATS}.`,
  damaged: (file) =>
    `“${file}” seems damaged or incomplete, so its audio can't be read. Download or copy the video again, then retry.`,
  'no-audio': (file) => `“${file}” has no audio track, so there is no sound to save as MP3. Choose a video with sound.`,
  'unsupported-audio': (file) =>
    `The audio in “${file}” uses a format this extension can't decode. Convert the video to MP4 with AAC audio first, or try another file.`,
  'input-missing': (file) =>
    `The copy of “${file}” kept for this job is gone (browser data was cleared). Choose the video again.`,
  'fetch-refused': (file) =>
    `The website would not let the extension download “${file}”. Download the video with the site's own download option, then drop the file on the extension's popup.`,
  'fetch-failed': (file) =>
    `“${file}” could not be downloaded: the connection failed. Check that you are online, then press Retry.`,
  'save-failed': (file) =>
    `The MP3 of “${file}” could not be saved to your downloads folder. Check that the folder exists and has free space, then press Retry.`,
  'too-many-attempts': (file) =>
    `Converting “${file}” was interrupted several times (the browser closed or stopped the extension). Press Retry to start again.`,
  'trim-outside': (file) =>
    `The trim you chose for “${file}” is past the end of its sound. Choose a start before the end of the video, then convert it again.`,
  internal: (file) => `Something went wrong while converting “${file}”. Press Retry; if it happens again, try another file.`,
};

export function describeFailure(reason: FailureReason, fileName: string): string {
  return messages[reason](fileName);
}

export function failureReasonOf(error: unknown): FailureReason {
  return error instanceof ConversionError ? error.reason : 'internal';
}
