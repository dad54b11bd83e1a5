import { engineLabels } from '../../settings';

export const CLOUD_ERROR_KINDS = [
  'auth',
  'session-lost',
  'no-credits',
  'unsupported-file',
  'too-large',
  'plan-blocked',
  'rate-limited',
  'missing-client-id',
  'busy',
  'export-failed',
  'export-timeout',
  'network',
  'server',
  'bad-response',
] as const;
export type CloudErrorKind = (typeof CLOUD_ERROR_KINDS)[number];

/**
 * Where an anonymous user registers to keep their work and get more credits. Not confirmed by
 * the protocol page: one public NemoVideo client uses this address, so callers may pass their own.
 */
export const DEFAULT_REGISTRATION_URL = 'https://nemovideo.ai/register';

export interface CloudErrorDetails {
  /** The backend's `code` from the reply body. */
  code?: number;
  /** The HTTP status. */
  status?: number;
  /** The server's own words, for logs only: never shown to the user. */
  detail?: string;
  /** How long the server asked us to wait (429). */
  retryAfterMs?: number;
  /** For 'no-credits' of an anonymous user: the id that links a new registration to this user. */
  bindId?: string;
}

export class CloudError extends Error {
  readonly code?: number;
  readonly status?: number;
  readonly detail?: string;
  readonly retryAfterMs?: number;
  readonly bindId?: string;

  constructor(
    readonly kind: CloudErrorKind,
    details: CloudErrorDetails = {},
  ) {
    super(`NemoVideo: ${kind}${details.code === undefined ? '' : ` (code ${details.code})`}${details.status === undefined ? '' : ` (HTTP ${details.status})`}`);
    this.name = 'CloudError';
    Object.assign(this, details);
  }
}

const AUTH_CODES = new Set([1001, 1010, 1011]);

/** The kind of a failed reply, from the backend code in its body and its HTTP status. */
export function cloudErrorKind(code: number | undefined, status: number | undefined, isTokenCall = false): CloudErrorKind {
  if (code !== undefined && AUTH_CODES.has(code)) return 'auth';
  if (code === 1002) return 'session-lost';
  if (code === 2001) return 'no-credits';
  if (code === 4001) return 'unsupported-file';
  if (code === 4002 || status === 413) return 'too-large';
  if (status === 401) return 'auth';
  if (status === 402 || code === 402) return 'plan-blocked';
  if (status === 429 || code === 429) return 'rate-limited';
  // Only the token call carries X-Client-Id, so only there does a bare 400 mean it was missing.
  if ((status === 400 || code === 400) && isTokenCall) return 'missing-client-id';
  return 'server';
}

const CLOUD_FORMATS = 'MP4, MOV, AVI, WebM or MKV videos, or MP3, WAV, M4A or AAC audio';
const LOCAL = `“${engineLabels.local}”`;

export function registrationLink(bindId: string, registrationUrl = DEFAULT_REGISTRATION_URL): string {
  const url = new URL(registrationUrl);
  url.searchParams.set('bind', bindId);
  return url.toString();
}

const messages: Record<CloudErrorKind, (error: CloudError, registrationUrl: string) => string> = {
  auth: () => `NemoVideo didn't accept this browser's sign-in, even after a new one was made. Press Retry in a few minutes, or in Settings set Engine to ${LOCAL}.`,
  'session-lost': () => 'The NemoVideo project for this file has expired. Press Retry to start a new one.',
  'no-credits': (error, registrationUrl) =>
    error.bindId === undefined
      ? `You have used all your NemoVideo credits. Top up credits in your account, or in Settings set Engine to ${LOCAL}, which needs no credits.`
      : `You have used all your free NemoVideo credits. Register at ${registrationLink(error.bindId, registrationUrl)} to keep your work and get more, or in Settings set Engine to ${LOCAL}, which needs no credits.`,
  'unsupported-file': () => `NemoVideo can't take this kind of file. Choose one of these instead: ${CLOUD_FORMATS}.`,
  'too-large': () => `This file is over NemoVideo's 500 MB limit. Trim or compress the video first, or in Settings set Engine to ${LOCAL}, which has no size limit.`,
  'plan-blocked': () => `Register or upgrade your plan to unlock export. Or in Settings set Engine to ${LOCAL}.`,
  'rate-limited': () => 'NemoVideo is getting too many requests from this browser or network. Wait a minute, then press Retry.',
  'missing-client-id': () => "NemoVideo didn't recognise this browser, even after it was identified again. Press Retry in a few minutes.",
  busy: () => 'NemoVideo is still working on the previous request for this file. Wait for it to finish, then try again.',
  'export-failed': () => `NemoVideo couldn't make the MP3. Press Retry, or in Settings set Engine to ${LOCAL}.`,
  'export-timeout': () => `NemoVideo is taking too long to make the MP3. Press Retry later, or in Settings set Engine to ${LOCAL}.`,
  network: () => "Can't reach NemoVideo. Check your internet connection and the Cloud API base URL in Settings, then press Retry.",
  server: () => `NemoVideo couldn't complete the request. Press Retry in a few minutes, or in Settings set Engine to ${LOCAL}.`,
  'bad-response': () => `NemoVideo sent a reply this extension doesn't understand. Check the Cloud API base URL in Settings, or set Engine to ${LOCAL}.`,
};

/** What to tell the user, in plain words: never the server's own text, never a token. */
export function describeCloudError(error: CloudError, options: { registrationUrl?: string } = {}): string {
  return messages[error.kind](error, options.registrationUrl ?? DEFAULT_REGISTRATION_URL);
}
