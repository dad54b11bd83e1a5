import { describe, expect, it } from 'vitest';
import {
  anonymousTokenSchema,
  chatRequestSchema,
  creditsSchema,
  exportRequestSchema,
  renderStatusSchema,
  sessionSchema,
  stateSchema,
  uploadSchema,
  type RenderStatus,
} from '@/utils/engines/cloud/schemas';
import { isDraftReady, summarizeState, type StateSummary } from '@/utils/engines/cloud/draft';

describe('creditsSchema', () => {
  it.each<[string, unknown, { available: number; frozen: number; total: number }]>([
    ['total', { available: 90, frozen: 10, total: 100 }, { available: 90, frozen: 10, total: 100 }],
    [
      'total_granted and total_consumed',
      { available: 80, frozen: 10, total_granted: 100, total_consumed: 10 },
      { available: 80, frozen: 10, total: 90 },
    ],
    ['numbers as strings', { available: '90', frozen: '10', total: '100' }, { available: 90, frozen: 10, total: 100 }],
    ['no frozen, no total', { available: 5 }, { available: 5, frozen: 0, total: 5 }],
  ])('reads %s', (_label, data, expected) => {
    expect(creditsSchema.parse(data)).toEqual(expected);
  });

  it.each([[{}], [{ available: 'lots' }], [{ available: null }]])('refuses %j', (data) => {
    expect(creditsSchema.safeParse(data).success).toBe(false);
  });
});

describe('renderStatusSchema', () => {
  it.each<[string, unknown, RenderStatus]>([
    [
      'status in data, outputUrl',
      { success: true, data: { id: 'render_1', status: 'completed', progress: 100, outputUrl: 'https://cdn/x.mp3' } },
      { id: 'render_1', status: 'completed', progress: 1, outputUrl: 'https://cdn/x.mp3' },
    ],
    [
      'status at the top level, output.url',
      { success: true, status: 'completed', output: { url: 'https://cdn/x.mp4' } },
      { id: undefined, status: 'completed', progress: 1, outputUrl: 'https://cdn/x.mp4' },
    ],
    [
      'pending at 5%',
      { success: true, data: { id: 'render_1', status: 'pending', progress: 5 } },
      { id: 'render_1', status: 'pending', progress: 0.05, outputUrl: undefined },
    ],
    [
      'progress as a string',
      { data: { status: 'processing', progress: '40' } },
      { id: undefined, status: 'processing', progress: 0.4, outputUrl: undefined },
    ],
    [
      'status in capitals',
      { data: { status: 'FAILED' } },
      { id: undefined, status: 'failed', progress: 0, outputUrl: undefined },
    ],
    [
      'cancelled',
      { data: { status: 'cancelled' } },
      { id: undefined, status: 'failed', progress: 0, outputUrl: undefined },
    ],
    [
      'an unknown status keeps polling',
      { data: { status: 'encoding' } },
      { id: undefined, status: 'processing', progress: 0, outputUrl: undefined },
    ],
    [
      'render_id',
      { render_id: 'render_2', status: 'queued' },
      { id: 'render_2', status: 'pending', progress: 0, outputUrl: undefined },
    ],
  ])('reads %s', (_label, body, expected) => {
    expect(renderStatusSchema.parse(body)).toEqual(expected);
  });

  it('refuses a reply without a status', () => {
    expect(renderStatusSchema.safeParse({ success: true, data: { id: 'render_1' } }).success).toBe(false);
  });
});

describe('reply schemas', () => {
  it('reads a session whose id is a number', () => {
    expect(sessionSchema.parse({ session_id: 42, task_id: 't', user_id: 'u' })).toEqual({
      sessionId: '42',
      taskId: 't',
      userId: 'u',
      bindId: undefined,
    });
  });

  it('reads a token whose expiry is missing or odd', () => {
    expect(anonymousTokenSchema.parse({ token: 'nmv_usr_a', expires_at: 'soon' })).toEqual({ token: 'nmv_usr_a' });
    expect(anonymousTokenSchema.safeParse({ user_id: 'u' }).success).toBe(false);
  });

  it.each<[string, unknown]>([
    [
      'files with cdn_url',
      { files: [{ filename: 'a.mp4', cdn_url: 'https://cdn/a.mp4', duration: '2.5' }], session_state_applied: true },
    ],
    ['uploaded_files with url', { uploaded_files: [{ filename: 'a.mp4', url: 'https://cdn/a.mp4', duration: 2.5 }] }],
  ])('reads an upload reply with %s', (_label, data) => {
    expect(uploadSchema.parse(data).files[0]).toMatchObject({
      fileName: 'a.mp4',
      url: 'https://cdn/a.mp4',
      durationSeconds: 2.5,
    });
  });

  it('refuses an upload reply with no file', () => {
    expect(uploadSchema.safeParse({ files: [] }).success).toBe(false);
  });

  it('keeps the draft exactly as sent, for the export', () => {
    const draft = { t: [{ tt: 1, sg: [{ d: '2000', x: { deep: true } }] }], extra: 'kept' };
    expect(stateSchema.parse({ state: { draft } }).draft).toEqual(draft);
  });
});

describe('request schemas', () => {
  it('refuses a chat request in camelCase or with extra fields', () => {
    const valid = { app_name: 'nemo_agent', user_id: 'u', session_id: 's', new_message: { parts: [{ text: 'hi' }] } };
    expect(chatRequestSchema.safeParse(valid).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...valid, sessionId: 's' }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ ...valid, new_message: { parts: [{ text: '' }] } }).success).toBe(false);
  });

  it('refuses an export request with a bad id, format or bitrate', () => {
    const valid = {
      id: 'render_1',
      sessionId: 's',
      draft: { t: [] },
      output: { format: 'mp3', quality: 'high', audioBitrate: 192 },
    };
    expect(exportRequestSchema.safeParse(valid).success).toBe(true);
    expect(exportRequestSchema.safeParse({ ...valid, id: 'job_1' }).success).toBe(false);
    expect(exportRequestSchema.safeParse({ ...valid, output: { ...valid.output, format: 'wav' } }).success).toBe(false);
    expect(exportRequestSchema.safeParse({ ...valid, output: { ...valid.output, audioBitrate: 100 } }).success).toBe(
      false,
    );
  });
});

describe('summarizeState', () => {
  const state = (draft: unknown) => stateSchema.parse({ state: { draft } });

  it.each<[string, unknown, StateSummary]>([
    ['no draft', undefined, { ready: false, trackCount: 0, audioSegmentCount: 0, durationSeconds: 0 }],
    [
      'tracks without segments',
      { t: [{ tt: 0, sg: [] }] },
      { ready: false, trackCount: 1, audioSegmentCount: 0, durationSeconds: 0 },
    ],
    [
      'one audio segment',
      { t: [{ tt: 1, sg: [{ d: 12_500 }] }] },
      { ready: true, trackCount: 1, audioSegmentCount: 1, durationSeconds: 12.5 },
    ],
    [
      'video, audio and text tracks',
      {
        t: [
          { tt: 0, sg: [{ d: 10_000 }] },
          { tt: 1, sg: [{ d: 4000 }, { d: '6000' }] },
          { tt: 7, sg: [{ d: 3000 }] },
        ],
      },
      { ready: true, trackCount: 3, audioSegmentCount: 2, durationSeconds: 10 },
    ],
    [
      'the draft duration wins',
      { d: 30_000, t: [{ tt: 1, sg: [{ d: 10_000 }] }] },
      { ready: true, trackCount: 1, audioSegmentCount: 1, durationSeconds: 30 },
    ],
    [
      'odd tracks are read as empty',
      { t: [null, { tt: 1, sg: 'x' }, { tt: 1, sg: [{}] }] },
      { ready: true, trackCount: 3, audioSegmentCount: 1, durationSeconds: 0 },
    ],
  ])('%s', (_label, draft, expected) => {
    expect(summarizeState(state(draft))).toEqual(expected);
    expect(isDraftReady(state(draft).draft)).toBe(expected.ready);
  });
});
