import { z } from 'zod';

/** What the popup shows of the conversation with NemoVideo, whatever step the job is on. */
const conversationShape = {
  /** NemoVideo is answering a message now: no other may be sent (it would be charged twice). */
  replying: z.boolean().optional(),
  /** When the last words of the answer arrived, for the "still working" note. */
  lastReplyAt: z.number().optional(),
  /** The user gave instructions: the edited draft waits for **Export MP3**. */
  awaitingExport: z.boolean().optional(),
};

/** The NemoVideo project (session) a job works in, from its first step on. */
const projectShape = { sessionId: z.string(), userId: z.string().optional() };

const stepSchema = <S extends string, T extends z.ZodRawShape>(step: S, shape: T) =>
  z.object({ step: z.literal(step), ...projectShape, ...conversationShape, ...shape });

/**
 * How far a cloud job got: the last step it finished, with what the next one needs. It is written
 * after each step, so a restarted worker resumes where it was and never repeats a paid step.
 */
const cloudStepsSchema = z.discriminatedUnion('step', [
  /** The project exists; the video is not in it yet. */
  stepSchema('session', {}),
  /** The video is in the project; the edit is asked for next. */
  stepSchema('uploaded', {}),
  /** The chat message was sent: sending it again could charge twice, so a resumed job waits for the edit. */
  stepSchema('editing', {}),
  /** NemoVideo made the edit (and charged for it): only the export is left. */
  stepSchema('edited', {}),
  /** A render is being submitted as `renderId`: after a worker stop it is looked up, not sent again. */
  stepSchema('submitting-render', { renderId: z.string() }),
  /** The render was submitted: from now on it is only ever polled, never submitted again. */
  stepSchema('rendering', { renderId: z.string() }),
]);

export type CloudProgress = z.output<typeof cloudStepsSchema>;
type CloudStep = CloudProgress['step'];
export type AtStep<S extends CloudStep> = Extract<CloudProgress, { step: S }>;
export type ConversationFlags = Pick<CloudProgress, keyof typeof conversationShape>;
export type Project = Pick<CloudProgress, keyof typeof projectShape>;

/** How jobs stored before the steps had names recorded their progress: a flag or an id per step. */
const flagsSchema = z.object({
  ...conversationShape,
  sessionId: z.string().optional(),
  userId: z.string().optional(),
  uploaded: z.boolean().optional(),
  chatSent: z.boolean().optional(),
  chatDone: z.boolean().optional(),
  pendingRenderId: z.string().optional(),
  renderId: z.string().optional(),
});

function fromFlags(stored: z.output<typeof flagsSchema>): CloudProgress | undefined {
  const { sessionId, userId, uploaded, chatSent, chatDone, pendingRenderId, renderId, ...conversation } = stored;
  if (!sessionId) return undefined;
  const base = { sessionId, ...(userId === undefined ? {} : { userId }), ...conversation };
  if (renderId) return { step: 'rendering', ...base, renderId };
  if (chatDone && pendingRenderId) return { step: 'submitting-render', ...base, renderId: pendingRenderId };
  if (chatDone) return { step: 'edited', ...base };
  if (chatSent) return { step: 'editing', ...base };
  if (uploaded) return { step: 'uploaded', ...base };
  return { step: 'session', ...base };
}

/** A job's stored cloud progress, in either shape; jobs that had not reached a session yet have none. */
export const cloudProgressSchema = z.preprocess((stored) => {
  if (typeof stored !== 'object' || stored === null || 'step' in stored) return stored;
  const flags = flagsSchema.safeParse(stored);
  return flags.success ? fromFlags(flags.data) : stored;
}, cloudStepsSchema.optional());

/** A job's cloud progress as stored (`readJob` gives it unparsed); unreadable progress counts as none. */
export function readCloudProgress(stored: unknown): CloudProgress | undefined {
  return cloudProgressSchema.safeParse(stored).data;
}

export function projectOf({ sessionId, userId }: Project): Project {
  return { sessionId, ...(userId === undefined ? {} : { userId }) };
}

export function conversationOf(progress: ConversationFlags | undefined): ConversationFlags {
  const { replying, lastReplyAt, awaitingExport } = progress ?? {};
  return {
    ...(replying === undefined ? {} : { replying }),
    ...(lastReplyAt === undefined ? {} : { lastReplyAt }),
    ...(awaitingExport === undefined ? {} : { awaitingExport }),
  };
}

const EDITED: readonly CloudStep[] = ['edited', 'submitting-render', 'rendering'];

/**
 * What a cloud job's **Retry** keeps: once NemoVideo has made the edit (and charged for it), only the
 * export is done again, on the same project. A job that failed before that starts over.
 */
export function editKeptForRetry(stored: unknown): CloudProgress | undefined {
  const progress = readCloudProgress(stored);
  if (!progress || !EDITED.includes(progress.step)) return undefined;
  const { awaitingExport } = progress;
  return { step: 'edited', ...projectOf(progress), ...(awaitingExport === undefined ? {} : { awaitingExport }) };
}
