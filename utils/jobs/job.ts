import { bitrateSchema } from '../bitrate';
import { z } from 'zod';
import { tagChoicesSchema } from '../tag-choices';
import { trimSchema } from '../trim';
import { fadesSchema } from '../fades';
import { outputFormatSchema } from '../output-format';
import { cloudProgressSchema } from './cloud/progress';
import { soundTrackModeSchema, soundTrackSchema } from '../outputs/sound-tracks';

export const JOB_STATES = [
  'queued',
  'reading',
  'converting',
  'saving',
  'done',
  'failed',
  'cancelled',
  'interrupted',
  /** A video with several sound tracks waits for the user to choose one (the **Ask** setting). */
  'choosing',
] as const;
export type JobState = (typeof JOB_STATES)[number];

const ACTIVE_STATES: readonly JobState[] = ['reading', 'converting', 'saving'];
/** The job's engine is at work on it: reading the input or converting it. */
export const RUNNING_STATES: readonly JobState[] = ['reading', 'converting'];

const transitions: Record<JobState, readonly JobState[]> = {
  queued: ['reading', 'failed', 'cancelled', 'interrupted'],
  reading: ['converting', 'queued', 'failed', 'cancelled', 'interrupted', 'choosing'],
  converting: ['saving', 'queued', 'failed', 'cancelled', 'interrupted', 'choosing'],
  saving: ['done', 'failed', 'cancelled', 'interrupted'],
  done: [],
  failed: ['queued'],
  cancelled: ['queued'],
  interrupted: ['queued'],
  choosing: ['queued', 'cancelled'],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return transitions[from].includes(to);
}

export const jobSourceSchema = z.discriminatedUnion('kind', [
  /** Bytes the popup or a page handed over, kept in IndexedDB under `inputKey`. */
  z.object({ kind: z.literal('stored-file'), inputKey: z.string() }),
  /** A video on the web; the extension downloads it (kept under the job's id) before converting. */
  z.object({
    kind: z.literal('url'),
    url: z.url({ protocol: /^https?$/ }),
    /** The page the video is on: its fetch is sent with it as Referer, as the page's player sends it. */
    referrer: z.url({ protocol: /^https?$/ }).optional(),
    /** The video's `poster` image on its page: the MP3's cover. */
    poster: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /**
   * A streamed video (an HLS or DASH manifest): only its sound is fetched, piece by piece, into a file kept
   * under the job's id, which is then converted like a web video.
   */
  z.object({
    kind: z.literal('stream'),
    url: z.url({ protocol: /^https?$/ }),
    format: z.enum(['hls', 'dash']),
    referrer: z.url({ protocol: /^https?$/ }).optional(),
    /** The page's language, to choose among sound tracks none of which is the default. */
    language: z.string().max(35).optional(),
    /** The video's `poster` image on its page: the MP3's cover (nothing of the video is fetched for one). */
    poster: z.url({ protocol: /^https?$/ }).optional(),
  }),
]);
export type JobSource = z.infer<typeof jobSourceSchema>;

const outputFileSchema = z.object({
  outputKey: z.string(),
  fileName: z.string(),
  size: z.number(),
  durationSeconds: z.number(),
  downloadId: z.number().optional(),
  /** Its download completed. */
  downloaded: z.boolean().optional(),
});
export type OutputFile = z.infer<typeof outputFileSchema>;

const jobResultSchema = z.object({
  outputKey: z.string(),
  size: z.number(),
  durationSeconds: z.number(),
  downloadId: z.number().optional(),
  /** The original sound's codec that had no container here, so the file is an MP3 (the Format was `original`). */
  originalNotKept: z.string().optional(),
  /**
   * A job that made several MP3s (one per sound track or chapter): each with its own name and download, in
   * order. The fields above then are the first one's key and the totals.
   */
  files: z.array(outputFileSchema).optional(),
  /** A live recording cut off (a closed browser) before Stop or the stream's end: the MP3 has what it got. */
  stoppedEarly: z.boolean().optional(),
});

export const jobSchema = z.object({
  id: z.string(),
  sourceName: z.string(),
  outputName: z.string(),
  sourceSize: z.number(),
  engine: z.enum(['local', 'cloud']),
  bitrate: bitrateSchema,
  /** Copy MP3 sound as it is (the setting when the job was queued). */
  keepMp3Audio: z.boolean().optional(),
  /** MP3, or the original sound as it is (the setting when the job was queued); MP3 when absent. */
  format: outputFormatSchema.optional(),
  /** From the editor: always an MP3, cut to the sample, whatever the Format setting. */
  exactCut: z.literal(true).optional(),
  /** Bring the MP3 to −14 LUFS (the setting when the job was queued). */
  normalizeLoudness: z.boolean().optional(),
  /** Which ID3 tags the MP3 gets (the setting when the job was queued); all when absent. */
  tags: tagChoicesSchema.optional(),
  /** The part of the sound to keep, as the user typed it in the popup. */
  trim: trimSchema.optional(),
  /** Fades at the ends of the kept sound, as set in the editor. */
  fades: fadesSchema.optional(),
  source: jobSourceSchema,
  state: z.enum(JOB_STATES),
  progress: z.number().min(0).max(1),
  attempts: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  error: z.string().optional(),
  /** A passing note for the user while the job waits (a rate limit, say). */
  notice: z.string().optional(),
  /** Its input is ready, and it waits for the conversion before it to finish: one converts at a time. */
  waiting: z.boolean().optional(),
  /** What the failure alert offers instead: the other engine. */
  offer: z.enum(['local', 'cloud']).optional(),
  cloud: cloudProgressSchema.optional(),
  /** What the user asked NemoVideo to do, in their own words (cloud engine only). */
  instructions: z.string().max(2000).optional(),
  /** The conversation with NemoVideo about this job, as shown in the popup. */
  conversation: z.array(z.object({ from: z.enum(['you', 'nemovideo']), text: z.string() })).optional(),
  result: jobResultSchema.optional(),
  /** Which sound tracks become MP3s (the setting when the job was queued); the default one when absent. */
  soundTrack: soundTrackModeSchema.optional(),
  /** One MP3 per chapter (the setting when the job was queued). */
  splitChapters: z.boolean().optional(),
  /** The sound track the user chose, by its index among the video's. */
  chosenTrack: z.number().int().min(0).optional(),
  /** While `choosing`: the video's sound tracks, to choose from. */
  trackChoices: z.array(soundTrackSchema).optional(),
  /** A live stream being recorded (until **Stop** or its end): the seconds recorded so far. */
  recording: z.object({ seconds: z.number().min(0) }).optional(),
});

export type Job = z.infer<typeof jobSchema>;

/** Where the job's input bytes are (or will be, once a URL is fetched) in IndexedDB. */
export function inputKeyOf(job: Pick<Job, 'id' | 'source'>): string {
  return job.source.kind === 'stored-file' ? job.source.inputKey : job.id;
}

/** The MP3s the job made, each with its name: one, or one per sound track or chapter. */
export function outputFilesOf(job: Pick<Job, 'result' | 'outputName'>): OutputFile[] {
  if (!job.result) return [];
  const { files, ...only } = job.result;
  return files ?? [{ ...only, fileName: job.outputName }];
}

export function isActive(job: Job): boolean {
  return ACTIVE_STATES.includes(job.state);
}

export function isRunning(job: Job): boolean {
  return RUNNING_STATES.includes(job.state);
}
