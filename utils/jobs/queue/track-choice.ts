import type { CommandReply, MessageData } from '../../messages';
import { i18n } from '#i18n';
import { readJob, transition } from '../job-store';
import { pump } from './pump';
import { ok, refuse } from './replies';

// The **Ask** sound-track setting: a video with several tracks waits in the popup until one is chosen.

/** The conversion site found several sound tracks and no choice: the job waits for the user, taking no slot. */
export async function onTracks({ jobId, tracks }: MessageData<'job:tracks'>): Promise<void> {
  await transition(jobId, 'choosing', { trackChoices: tracks, progress: 0, waiting: undefined });
  await pump();
}

/** **Convert** with a track chosen: the job goes back to the queue and converts that track. */
export async function chooseTrack({ jobId, trackIndex }: MessageData<'jobs:choose-track'>): Promise<CommandReply> {
  const job = await readJob(jobId);
  if (job?.state !== 'choosing') return refuse(i18n.t('tracks.notChoosing'));
  if (!job.trackChoices?.some((track) => track.index === trackIndex)) return refuse(i18n.t('tracks.noSuchTrack'));
  const queued = await transition(jobId, 'queued', { chosenTrack: trackIndex, trackChoices: undefined, attempts: 0 });
  if (!queued) return refuse(i18n.t('tracks.notChoosing'));
  await pump();
  return ok;
}
