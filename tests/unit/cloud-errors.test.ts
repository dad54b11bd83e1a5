import { describe, expect, it } from 'vitest';
import {
  CLOUD_ERROR_KINDS,
  CloudError,
  DEFAULT_REGISTRATION_URL,
  cloudErrorKind,
  describeCloudError,
  registrationLink,
  type CloudErrorKind,
} from '@/utils/engines/cloud/errors';

describe('cloudErrorKind', () => {
  it.each<[string, CloudErrorKind, number | undefined, number | undefined, boolean]>([
    ['1001 token expired', 'auth', 1001, 200, false],
    ['1010', 'auth', 1010, 200, false],
    ['1011', 'auth', 1011, 200, false],
    ['HTTP 401 without a code', 'auth', undefined, 401, false],
    ['1001 with HTTP 401', 'auth', 1001, 401, false],
    ['1002 session not found', 'session-lost', 1002, 200, false],
    ['2001 no credits', 'no-credits', 2001, 200, false],
    ['2001 with HTTP 402', 'no-credits', 2001, 402, false],
    ['4001 unsupported file', 'unsupported-file', 4001, 400, false],
    ['4002 file too large', 'too-large', 4002, 400, false],
    ['HTTP 413', 'too-large', undefined, 413, false],
    ['HTTP 402 free plan', 'plan-blocked', undefined, 402, false],
    ['HTTP 429', 'rate-limited', undefined, 429, false],
    ['HTTP 400 on the token call', 'missing-client-id', 400, 400, true],
    ['HTTP 400 elsewhere', 'server', undefined, 400, false],
    ['HTTP 500', 'server', undefined, 500, false],
    ['an unknown code', 'server', 9999, 200, false],
  ])('%s → %s', (_label, kind, code, status, isTokenCall) => {
    expect(cloudErrorKind(code, status, isTokenCall)).toBe(kind);
  });
});

describe('CloudError', () => {
  it('keeps the code, status and details', () => {
    const error = new CloudError('rate-limited', { code: 429, status: 429, retryAfterMs: 1000, detail: 'slow down' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'CloudError',
      kind: 'rate-limited',
      code: 429,
      status: 429,
      retryAfterMs: 1000,
      detail: 'slow down',
    });
    expect(error.message).not.toContain('slow down');
  });
});

describe('describeCloudError', () => {
  const SERVER_TEXT = 'Traceback: token nmv_usr_secret rejected by upstream';

  describe.each(CLOUD_ERROR_KINDS)('%s', (kind) => {
    const message = describeCloudError(
      new CloudError(kind, { code: 1234, status: 500, detail: SERVER_TEXT, bindId: 'anon_1' }),
    );

    it('is plain words with no server text, token or code', () => {
      expect(message).not.toContain(SERVER_TEXT);
      expect(message).not.toMatch(/nmv_|\btoken\b|1234|\bHTTP \d|\berror\b|undefined/i);
      expect(message).toMatch(/^[A-Z].*\.$/s);
    });
  });

  it('has a distinct message for every kind', () => {
    const messages = CLOUD_ERROR_KINDS.map((kind) => describeCloudError(new CloudError(kind)));
    expect(new Set(messages).size).toBe(CLOUD_ERROR_KINDS.length);
  });

  it.each<[string, CloudError, RegExp[]]>([
    [
      'no credits, anonymous: the registration link with the bind id',
      new CloudError('no-credits', { code: 2001, bindId: 'anon_42' }),
      [/https:\/\/nemovideo\.ai\/register\?bind=anon_42/, /On this device/],
    ],
    [
      'no credits, no bind id: top up',
      new CloudError('no-credits', { code: 2001 }),
      [/Top up credits in your account/],
    ],
    [
      'unsupported file: the formats',
      new CloudError('unsupported-file'),
      [/MP4, MOV, AVI, WebM or MKV/, /MP3, WAV, M4A or AAC/],
    ],
    [
      'too large: the limit, trimming and the local engine',
      new CloudError('too-large'),
      [/500 MB/, /[Tt]rim or compress/, /“On this device”/],
    ],
    [
      'plan blocked',
      new CloudError('plan-blocked', { status: 402 }),
      [/^Register or upgrade your plan to unlock export\./],
    ],
    ['network', new CloudError('network'), [/Can't reach NemoVideo/, /internet connection/]],
    ['session lost', new CloudError('session-lost'), [/Press Retry/]],
  ])('%s', (_label, error, patterns) => {
    const message = describeCloudError(error);
    for (const pattern of patterns) expect(message).toMatch(pattern);
  });

  it('uses a configured registration address', () => {
    const message = describeCloudError(new CloudError('no-credits', { bindId: 'a b&c' }), {
      registrationUrl: 'https://example.com/join?ref=ext',
    });
    expect(message).toContain('https://example.com/join?ref=ext&bind=a+b%26c');
  });
});

describe('registrationLink', () => {
  it('adds the bind id to the default address', () => {
    expect(registrationLink('anon_1')).toBe(`${DEFAULT_REGISTRATION_URL}?bind=anon_1`);
  });
});
