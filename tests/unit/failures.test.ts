import { describe, expect, it } from 'vitest';
import { ConversionError, FAILURE_REASONS, describeFailure, failureReasonOf } from '@/utils/failures';
import { DiskFullError } from '@/utils/blob-store';

const FILE = 'Holiday 2024 (final).mov';

describe.each(FAILURE_REASONS)('describeFailure(%j)', (reason) => {
  const message = describeFailure(reason, FILE);
  const lastSentence = message.split(/(?<=[.!?])\s+/).at(-1) ?? '';

  it('names the file in quotes', () => {
    expect(message).toContain(`“${FILE}”`);
  });

  it('ends by telling the user what to do', () => {
    expect(lastSentence).toMatch(/^(Choose|Press|Download|Convert|Check|In Settings, set)\b/);
    expect(message).toMatch(/\.$/);
  });

  it('reads like a sentence, not an exception', () => {
    expect(message).not.toMatch(/\berror\b/i);
    expect(message).not.toMatch(/\n|\bat \S+:\d+|\.[jt]s:\d+/);
    expect(message).not.toContain('ConversionError');
  });

  it('quotes whatever file name it is given', () => {
    expect(describeFailure(reason, '会议.mp4')).toContain('“会议.mp4”');
  });
});

describe('describeFailure', () => {
  it('has a distinct message for every reason', () => {
    const messages = FAILURE_REASONS.map((reason) => describeFailure(reason, FILE));
    expect(new Set(messages).size).toBe(FAILURE_REASONS.length);
  });
});

describe('failureReasonOf', () => {
  it.each(FAILURE_REASONS)('reads %j from a ConversionError', (reason) => {
    expect(failureReasonOf(new ConversionError(reason, 'detail'))).toBe(reason);
  });

  it('reads disk-full from a write the disk had no room for', () => {
    expect(failureReasonOf(new DiskFullError(new DOMException('Failed to write blobs (IOError)', 'DataError')))).toBe(
      'disk-full',
    );
  });

  it.each<[string, unknown]>([
    ['a plain Error', new Error('no-audio')],
    ['an Error carrying a reason field', Object.assign(new Error('x'), { reason: 'no-audio' })],
    ['an object that looks like one', { name: 'ConversionError', reason: 'empty' }],
    ['a string', 'empty'],
    ['undefined', undefined],
    ['null', null],
  ])('treats %s as internal', (_label, error) => {
    expect(failureReasonOf(error)).toBe('internal');
  });
});
