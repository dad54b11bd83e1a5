import { getSettings, resolveEngine, type Settings } from '../../settings';
import { deleteBlob } from '../../blob-store';
import { baseName, mp3NameFromPattern } from '../../file-names';
import type { CommandReply, MessageData } from '../../messages';
import type { Trim } from '../../trim';
import { activeFades, type Fades } from '../../fades';
import { i18n } from '#i18n';
import { inputKeyOf, isActive, outputFilesOf, type Job, type JobSource } from '../job';
import { mutateJobs, patchJob, readJob, removeJob, transition } from '../job-store';
import { conversionSite } from '../conversion-site';
import { cancelCloudJob } from '../cloud/run';
import { editKeptForRetry } from '../cloud/progress';
import { runCloud } from './cloud-hand-off';
import { pump } from './pump';
import { ok, refuse } from './replies';

/** How the MP3 is made, as the settings say when a job is queued or retried. NemoVideo makes MP3s only. */
function outputChoices(
  settings: Settings,
  engine: Job['engine'],
  exactCut?: boolean,
): Pick<Job, 'bitrate' | 'keepMp3Audio' | 'normalizeLoudness' | 'tags' | 'format' | 'soundTrack' | 'splitChapters'> {
  const { bitrate, keepMp3Audio, normalizeLoudness, tags, soundTrack, splitChapters } = settings;
  const format = engine === 'cloud' || exactCut ? 'mp3' : settings.format;
  return { bitrate, keepMp3Audio, normalizeLoudness, tags, format, soundTrack, splitChapters };
}

/** Queues one job per input; returns their ids in the same order. */
export async function add(
  inputs: { sourceName: string; outputName?: string; size: number; source: JobSource }[],
  { instructions, trim, fades, exactCut }: { instructions?: string; trim?: Trim; fades?: Fades; exactCut?: true } = {},
): Promise<string[]> {
  const settings = await getSettings();
  const { bitrate, fileNamePattern } = settings;
  const faded = activeFades(fades);
  const trimmed = trim && (trim.startSeconds !== undefined || trim.endSeconds !== undefined) ? trim : undefined;
  // Cuts to the sample and fades are made on this device, whatever the engine setting.
  const engine = faded || trimmed ? 'local' : settings.engine;
  const now = Date.now();
  const jobs: Job[] = inputs.map((input, index) => ({
    id: crypto.randomUUID(),
    sourceName: input.sourceName,
    outputName: mp3NameFromPattern(fileNamePattern, {
      title: baseName(input.outputName ?? input.sourceName),
      bitrate,
      at: new Date(now),
    }),
    sourceSize: input.size,
    engine: resolveEngine(engine),
    ...outputChoices(settings, resolveEngine(engine), exactCut),
    ...(exactCut ? { exactCut } : {}),
    source: input.source,
    ...(instructions && resolveEngine(engine) === 'cloud' ? { instructions } : {}),
    ...(trimmed ? { trim: trimmed } : {}),
    ...(faded ? { fades: faded } : {}),
    state: 'queued',
    progress: 0,
    attempts: 0,
    createdAt: now + index,
    updatedAt: now,
  }));
  await mutateJobs((all) => jobs.forEach((job) => (all[job.id] = job)));
  await pump();
  return jobs.map((job) => job.id);
}

/** Files the popup stored: one job each. */
export async function start({
  files,
  instructions,
  trim,
  fades,
  exactCut,
}: MessageData<'jobs:start'>): Promise<CommandReply> {
  const inputs = files.map((file) => ({
    sourceName: file.fileName,
    size: file.size,
    source: { kind: 'stored-file' as const, inputKey: file.inputKey },
  }));
  await add(inputs, {
    ...(instructions ? { instructions } : {}),
    ...(trim ? { trim } : {}),
    ...(fades ? { fades } : {}),
    ...(exactCut ? { exactCut } : {}),
  });
  return ok;
}

export async function cancel(jobId: string): Promise<CommandReply> {
  const job = await transition(jobId, 'cancelled', { progress: 0 });
  if (!job) return refuse(i18n.t('jobs.alreadyFinished'));
  cancelCloudJob(jobId);
  await conversionSite.cancel(jobId);
  await pump();
  return ok;
}

/** **Stop** on a live recording: it ends there, and what was recorded is converted and saved. */
export async function stopRecording(jobId: string): Promise<CommandReply> {
  const job = await readJob(jobId);
  if (!job?.recording || job.state !== 'reading') return refuse(i18n.t('jobs.notRecording'));
  await conversionSite.send('site:stop-recording', { jobId });
  return ok;
}

export async function retry(jobId: string, engineChoice?: 'local' | 'cloud'): Promise<CommandReply> {
  const settings = await getSettings();
  const engine = engineChoice ?? resolveEngine(settings.engine);
  const before = await readJob(jobId);
  const job = await transition(jobId, 'queued', {
    engine,
    offer: undefined,
    cloud: engine === 'cloud' && before?.engine === 'cloud' ? editKeptForRetry(before.cloud) : undefined,
    ...outputChoices(settings, engine, before?.exactCut),
    progress: 0,
    attempts: 0,
    error: undefined,
    result: undefined,
    recording: undefined,
  });
  if (!job) return refuse(i18n.t('jobs.cannotRetry'));
  await pump();
  return ok;
}

export async function remove(jobId: string): Promise<CommandReply> {
  const job = await readJob(jobId);
  if (!job) return ok;
  if (isActive(job) || job.state === 'queued') return refuse(i18n.t('jobs.cancelFirst'));
  await removeJob(jobId);
  await deleteBlob('inputs', inputKeyOf(job));
  for (const file of outputFilesOf(job)) await deleteBlob('outputs', file.outputKey);
  return ok;
}

/** **Export MP3** on a cloud job the user reviewed: its edited draft is exported as it stands. */
export async function exportReviewed(jobId: string): Promise<CommandReply> {
  const job = await readJob(jobId);
  if (!job?.cloud?.awaitingExport || job.state !== 'converting') return refuse(i18n.t('jobs.notAwaitingExport'));
  if (job.cloud.replying) return refuse(i18n.t('jobs.waitForAnswer'));
  await patchJob(jobId, ['converting'], { cloud: { ...job.cloud, awaitingExport: false } });
  void runCloud(jobId);
  return ok;
}
