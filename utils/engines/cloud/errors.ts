import { i18n } from '#i18n';
import { engineLabel } from '../../settings';

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
  'no-reply',
  'server',
  'bad-response',
] as const;
export type CloudErrorKind = (typeof CLOUD_ERROR_KINDS)[number];

/**
 * Where an anonymous user registers to keep their work and get more credits. Not confirmed by
 * the protocol page: one public NemoVideo client uses this address, so callers may pass their own.
 */
export const DEFAULT_REGISTRATION_URL = 'https://nemovideo.ai/register';

interface CloudErrorDetails {
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
    super(
      `NemoVideo: ${kind}${details.code === undefined ? '' : ` (code ${details.code})`}${details.status === undefined ? '' : ` (HTTP ${details.status})`}`,
    );
    this.name = 'CloudError';
    Object.assign(this, details);
  }
}

const AUTH_CODES = new Set([1001, 1010, 1011]);

/** The kind of a failed reply, from the backend code in its body and its HTTP status. */
export function cloudErrorKind(
  code: number | undefined,
  status: number | undefined,
  isTokenCall = false,
): CloudErrorKind {
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

/**
 * Trouble that may be gone a moment later: no connection, no reply in time, or the server failing
 * (HTTP 5xx). Only a call that is safe to send twice is sent again after it.
 */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof CloudError)) return false;
  return (
    error.kind === 'network' || error.kind === 'no-reply' || (error.kind === 'server' && (error.status ?? 0) >= 500)
  );
}

export function registrationLink(bindId: string, registrationUrl = DEFAULT_REGISTRATION_URL): string {
  const url = new URL(registrationUrl);
  url.searchParams.set('bind', bindId);
  return url.toString();
}

/** Messages that suggest the engine on this device, by its name in Settings. */
const suggestingLocal = {
  auth: 'cloudError.auth',
  'no-credits': 'cloudError.noCredits',
  'too-large': 'cloudError.tooLarge',
  'plan-blocked': 'cloudError.planBlocked',
  'export-failed': 'cloudError.exportFailed',
  'export-timeout': 'cloudError.exportTimeout',
  'no-reply': 'cloudError.noReply',
  server: 'cloudError.server',
  'bad-response': 'cloudError.badResponse',
} as const;
type SuggestingLocal = keyof typeof suggestingLocal;

const otherMessages = {
  'session-lost': 'cloudError.sessionLost',
  'unsupported-file': 'cloudError.unsupportedFile',
  'rate-limited': 'cloudError.rateLimited',
  'missing-client-id': 'cloudError.missingClientId',
  busy: 'cloudError.busy',
  network: 'cloudError.network',
} as const satisfies Record<Exclude<CloudErrorKind, SuggestingLocal>, string>;

/** What to tell the user, in plain words: never the server's own text, never a token. */
export function describeCloudError(error: CloudError, options: { registrationUrl?: string } = {}): string {
  const local = engineLabel('local');
  const { kind, bindId } = error;
  if (kind === 'no-credits' && bindId !== undefined) {
    return i18n.t('cloudError.noFreeCredits', {
      link: registrationLink(bindId, options.registrationUrl ?? DEFAULT_REGISTRATION_URL),
      local,
    });
  }
  return kind in suggestingLocal
    ? i18n.t(suggestingLocal[kind as SuggestingLocal], { local })
    : i18n.t(otherMessages[kind as keyof typeof otherMessages]);
}
