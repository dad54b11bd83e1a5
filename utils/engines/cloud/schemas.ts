import { z } from 'zod';

// What NemoVideo sends us: liberal wherever public sources disagree.

/** A number, also when sent as a numeric string (`"100"`). */
const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
/** An id, also when sent as a number (session ids are 19-digit numbers). */
const id = z.union([z.string().min(1), z.number().transform(String)]);
const optionalText = z.string().optional().catch(undefined);

const record = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof record>;

/** `{code, message, data}`: most calls. */
export const codeEnvelopeSchema = z.looseObject({
  code: numeric,
  message: optionalText,
  msg: optionalText,
  data: z.unknown().optional(),
});
/** `{success, data, error}`: the render calls. */
export const successEnvelopeSchema = z.looseObject({
  success: z.boolean(),
  code: numeric.optional().catch(undefined),
  error: z.unknown().optional(),
  message: optionalText,
});

export const anonymousTokenSchema = z.object({
  token: z.string().min(1),
  user_id: id.optional(),
  /** ISO time, or epoch seconds/milliseconds. */
  expires_at: z
    .union([z.iso.datetime({ offset: true }), numeric])
    .optional()
    .catch(undefined),
  credits: numeric.optional().catch(undefined),
});

export const sessionSchema = z
  .object({ session_id: id, task_id: id.optional(), user_id: id.optional(), bind_id: id.optional() })
  .transform((session) => ({
    sessionId: session.session_id,
    taskId: session.task_id,
    userId: session.user_id,
    bindId: session.bind_id,
  }));
export type CloudSession = z.output<typeof sessionSchema>;

const uploadedFileSchema = z
  .looseObject({
    filename: optionalText,
    file_type: optionalText,
    cdn_url: optionalText,
    url: optionalText,
    duration: numeric.optional().catch(undefined),
    width: numeric.optional().catch(undefined),
    height: numeric.optional().catch(undefined),
    fps: numeric.optional().catch(undefined),
    hash: optionalText,
  })
  .transform((file) => ({
    fileName: file.filename,
    fileType: file.file_type,
    url: file.cdn_url ?? file.url,
    durationSeconds: file.duration,
    width: file.width,
    height: file.height,
    fps: file.fps,
    hash: file.hash,
  }));

/** `data.files[]` per the reference; another public client reads `data.uploaded_files[]`. */
export const uploadSchema = z
  .object({
    files: z.array(uploadedFileSchema).optional(),
    uploaded_files: z.array(uploadedFileSchema).optional(),
    session_state_applied: z.boolean().optional().catch(undefined),
  })
  .transform((upload) => ({
    files: upload.files ?? upload.uploaded_files ?? [],
    sessionStateApplied: upload.session_state_applied ?? false,
  }))
  .refine((upload) => upload.files.length > 0, 'no file in the upload reply');
export type UploadResult = z.output<typeof uploadSchema>;

/** The draft is kept as sent, to be handed back to the export call unchanged. */
export const stateSchema = z
  .object({
    state: z.looseObject({
      draft: record.optional().catch(undefined),
      video_infos: z.array(z.unknown()).optional().catch(undefined),
      bind_id: id.optional().catch(undefined),
    }),
    bind_id: id.optional().catch(undefined),
  })
  .transform(({ state, bind_id }) => ({
    draft: state.draft,
    videoInfos: state.video_infos ?? [],
    bindId: bind_id ?? state.bind_id,
  }));
export type CloudState = z.output<typeof stateSchema>;

/** Read-only view of the draft's short keys: `t` tracks, `tt` type, `sg` segments, `d` ms. */
const segmentViewSchema = z.looseObject({ d: numeric.optional().catch(undefined) });
const trackViewSchema = z.looseObject({
  tt: numeric.optional().catch(undefined),
  sg: z.array(segmentViewSchema).catch([]).default([]),
});
export const draftViewSchema = z.looseObject({
  t: z
    .array(trackViewSchema.catch({ sg: [] }))
    .catch([])
    .default([]),
  d: numeric.optional().catch(undefined),
});
export const TRACK_TYPES = { video: 0, audio: 1, text: 7 } as const;

/** `total` per the reference; another public client reads `total_granted` and `total_consumed`. */
export const creditsSchema = z
  .object({
    available: numeric,
    frozen: numeric.optional().catch(undefined),
    total: numeric.optional().catch(undefined),
    total_granted: numeric.optional().catch(undefined),
    total_consumed: numeric.optional().catch(undefined),
  })
  .transform((credits) => {
    const frozen = credits.frozen ?? 0;
    const remaining =
      credits.total_granted !== undefined && credits.total_consumed !== undefined
        ? credits.total_granted - credits.total_consumed
        : undefined;
    return { available: credits.available, frozen, total: credits.total ?? remaining ?? credits.available + frozen };
  });
export type Credits = z.output<typeof creditsSchema>;

const STATUS_ALIASES: Record<string, RenderStatus['status']> = {
  pending: 'pending',
  queued: 'pending',
  waiting: 'pending',
  processing: 'processing',
  rendering: 'processing',
  running: 'processing',
  in_progress: 'processing',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
  succeeded: 'completed',
  success: 'completed',
  failed: 'failed',
  error: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
};

/**
 * A render job. `status` sits in `data` (reference) or at the top level (another public source);
 * the file is at `outputUrl` or `output.url`; progress is a percentage.
 */
export const renderStatusSchema = z
  .preprocess(
    (body) => {
      if (typeof body !== 'object' || body === null) return body;
      const { data, ...top } = body as JsonObject;
      return typeof data === 'object' && data !== null ? { ...top, ...data } : top;
    },
    z.object({
      id: id.optional(),
      render_id: id.optional(),
      status: z.string().transform((status) => STATUS_ALIASES[status.toLowerCase()] ?? 'processing'),
      progress: numeric.optional().catch(undefined),
      outputUrl: optionalText,
      output_url: optionalText,
      output: z.object({ url: optionalText }).optional().catch(undefined),
      url: optionalText,
    }),
  )
  .transform((job) => ({
    id: job.id ?? job.render_id,
    status: job.status,
    progress: job.status === 'completed' ? 1 : Math.min(1, Math.max(0, (job.progress ?? 0) / 100)),
    outputUrl: job.outputUrl ?? job.output_url ?? job.output?.url ?? job.url,
  }));
export interface RenderStatus {
  id: string | undefined;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  /** 0 to 1. */
  progress: number;
  outputUrl: string | undefined;
}

// What we send: strict, so a typo fails here and not at the backend.

export const sessionRequestSchema = z.strictObject({ task_name: z.literal('project'), language: z.string().min(2) });

export const urlUploadRequestSchema = z.strictObject({
  urls: z.array(z.url({ protocol: /^https?$/ })).min(1),
  source_type: z.literal('url'),
});

export const chatRequestSchema = z.strictObject({
  app_name: z.literal('nemo_agent'),
  user_id: z.string().min(1),
  session_id: z.string().min(1),
  new_message: z.strictObject({ parts: z.tuple([z.strictObject({ text: z.string().min(1) })]) }),
});

const EXPORT_FORMATS = ['mp3', 'mp4'] as const;
const exportOutputSchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  quality: z.literal('high'),
  /** kbps; not in the public reference, which documents mp4 only. */
  audioBitrate: z.union([z.literal(128), z.literal(192), z.literal(256), z.literal(320)]).optional(),
});
export type ExportOutput = Omit<z.input<typeof exportOutputSchema>, 'quality'>;

export const exportRequestSchema = z.strictObject({
  id: z.string().regex(/^render_[\w-]+$/),
  sessionId: z.string().min(1),
  draft: record,
  output: exportOutputSchema,
});
