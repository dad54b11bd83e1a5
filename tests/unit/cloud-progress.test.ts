import { describe, expect, it } from 'vitest';
import { editKeptForRetry, readCloudProgress, type CloudProgress } from '@/utils/jobs/cloud/progress';
import { jobSchema } from '@/utils/jobs/job';

const project = { sessionId: 'session-1', userId: 'user-1' };

describe('cloud progress stored before the steps had names', () => {
  it.each<[string, Record<string, unknown>, CloudProgress | undefined]>([
    ['nothing done yet', {}, undefined],
    ['a session', { ...project, uploaded: false, chatSent: false, chatDone: false }, { step: 'session', ...project }],
    ['an upload', { ...project, uploaded: true }, { step: 'uploaded', ...project }],
    ['a chat message sent', { ...project, uploaded: true, chatSent: true }, { step: 'editing', ...project }],
    [
      'an edit awaiting Export MP3',
      { ...project, uploaded: true, chatSent: true, chatDone: true, awaitingExport: true, replying: false },
      { step: 'edited', ...project, awaitingExport: true, replying: false },
    ],
    [
      'a render being submitted',
      { ...project, uploaded: true, chatSent: true, chatDone: true, pendingRenderId: 'render_1' },
      { step: 'submitting-render', ...project, renderId: 'render_1' },
    ],
    [
      'a render submitted',
      { ...project, uploaded: true, chatSent: true, chatDone: true, pendingRenderId: 'render_1', renderId: 'render_2' },
      { step: 'rendering', ...project, renderId: 'render_2' },
    ],
  ])('reads %s as the step it reached', (_label, stored, expected) => {
    expect(readCloudProgress(stored)).toEqual(expected);
  });

  it('reads a whole stored job with the old shape, so a job cut off by an update resumes', () => {
    const job = {
      id: 'job-1',
      sourceName: 'clip.mp4',
      outputName: 'clip.mp3',
      sourceSize: 10,
      engine: 'cloud',
      bitrate: 192,
      source: { kind: 'stored-file', inputKey: 'in-1' },
      state: 'converting',
      progress: 0.5,
      attempts: 1,
      createdAt: 1,
      updatedAt: 2,
      cloud: { ...project, uploaded: true, chatSent: true, chatDone: true, renderId: 'render_1', lastReplyAt: 5 },
    };
    expect(jobSchema.parse(job).cloud).toEqual({ step: 'rendering', ...project, renderId: 'render_1', lastReplyAt: 5 });
  });
});

describe('cloud progress', () => {
  it('reads the named steps as they are, and nothing it cannot read', () => {
    const rendering: CloudProgress = { step: 'rendering', ...project, renderId: 'render_1', replying: false };
    expect(readCloudProgress(rendering)).toEqual(rendering);
    expect(readCloudProgress(undefined)).toBeUndefined();
    expect(readCloudProgress({ step: 'rendering', ...project })).toBeUndefined();
    expect(readCloudProgress({ step: 'flying', ...project })).toBeUndefined();
  });

  it('keeps the edit for Retry once NemoVideo made it, and only the edit', () => {
    const edited = { step: 'edited', ...project, awaitingExport: true } as const;
    const rendering = { step: 'rendering', ...project, renderId: 'render_1', replying: false, awaitingExport: true };
    expect(editKeptForRetry(rendering)).toEqual(edited);
    expect(
      editKeptForRetry({ step: 'submitting-render', ...project, renderId: 'render_1', awaitingExport: true }),
    ).toEqual(edited);
    expect(editKeptForRetry({ step: 'editing', ...project })).toBeUndefined();
    expect(editKeptForRetry({ step: 'uploaded', ...project })).toBeUndefined();
    expect(editKeptForRetry(undefined)).toBeUndefined();
  });

  it('keeps the edit of a job stored in the old shape too', () => {
    const stored = { ...project, uploaded: true, chatSent: true, chatDone: true, renderId: 'render_1' };
    expect(editKeptForRetry(stored)).toEqual({ step: 'edited', ...project });
  });
});
