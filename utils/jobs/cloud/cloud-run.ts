import type { NemoVideoClient } from '../../engines/cloud/client';
import type { Job } from '../job';
import type { CloudProgress, ConversationFlags } from './progress';

/** What each step of one cloud job works with. */
export interface CloudRun {
  /** The job as it was when the run started. */
  job: Job;
  client: NemoVideoClient;
  /** Aborts on Cancel or Remove: no more calls, no more credits spent. */
  signal: AbortSignal;
  /**
   * Records a finished step, keeping the conversation's flags as they are now unless `flags` says
   * otherwise; a job that was cancelled or removed meanwhile stops here.
   */
  save: <P extends CloudProgress>(progress: P, flags?: ConversationFlags) => Promise<P>;
}

export interface CloudOutcome {
  /** The MP3, stored under the job's id in `outputs`. */
  mp3?: { size: number; durationSeconds: number };
  /** A video came back: stored under this key in `inputs`, to be converted on this device. */
  video?: { inputKey: string };
}
