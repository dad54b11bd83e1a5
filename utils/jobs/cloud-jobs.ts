import { NemoVideoClient } from '../engines/cloud/client';
import type { UploadTarget } from '../engines/cloud/upload';
import { CloudError, describeCloudError, registrationLink } from '../engines/cloud/errors';
import { isDraftReady, summarizeState } from '../engines/cloud/draft';
import { translateGuiWording } from '../engines/cloud/gui-wording';
import { formatDuration } from '../format';
import { credentialStore } from '../engines/cloud/credential-store';
import { creditsItem } from '../engines/cloud/credits';
import { getSettings } from '../settings';
import { currentLimits } from '../limits-override';
import { putBlob } from '../blob-store';
import { mp3DurationSeconds, sniffAudioMp3 } from '../engines/local/sniff';
import { inputKeyOf, type CloudProgress, type Job } from './job';
import { mutateJobs, patchJob, readJob, transition } from './job-store';
import { conversionSite } from './conversion-site';
import { ConversionError, describeFailure } from '../failures';
import { i18n } from '#i18n';
import { cancelledError } from '../timing/cancel';
import { keepAlive } from '../timing/keep-alive';
import { sleep } from '../timing/timeout';

async function createClient(jobId?: string): Promise<NemoVideoClient> {
  const [{ cloudBaseUrl }, limits] = await Promise.all([getSettings(), currentLimits()]);
  return new NemoVideoClient({
    limits,
    onRateLimited: (waitMs) => {
      if (!jobId) return;
      const notice = i18n.t('conversation.slowDown', { seconds: Math.ceil(waitMs / 1000) });
      void patchJob(jobId, ['reading', 'converting'], { notice });
      setTimeout(() => void patchJob(jobId, ['reading', 'converting'], { notice: undefined }), waitMs);
    },
    baseUrl: cloudBaseUrl,
    version: browser.runtime.getManifest().version,
    platform: import.meta.env.FIREFOX ? 'firefox-extension' : 'chrome-extension',
    credentials: credentialStore,
  });
}

function uiLanguage(): string {
  return browser.i18n.getUILanguage().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function chatMessage(bitrate: number, instructions: string | undefined): string {
  const request = `Extract the audio from this video as an MP3 file at ${bitrate} kbps.`;
  return instructions ? `${instructions}\n\n${request}` : `${request} Keep the whole audio, unchanged.`;
}

/**
 * With instructions the user reviews the edit, so "click Export" means pressing Export MP3, not an
 * automatic export. Whatever language the answer is in, this names the button as the popup shows it.
 */
function reviewWording() {
  const text = i18n.t('conversation.reviewExport');
  return { export: { english: text, chinese: text } };
}

/** Appends to, or replaces the last line of, a job's conversation as NemoVideo's answer streams in. */
function updateConversation(jobId: string, line: { from: 'you' | 'nemovideo'; text: string }, replaceLast = false, cloud: Partial<CloudProgress> = {}) {
  return mutateJobs((jobs) => {
    const job = jobs[jobId];
    if (!job) return;
    const conversation = [...(job.conversation ?? [])];
    if (replaceLast) conversation.pop();
    conversation.push(line);
    jobs[jobId] = { ...job, conversation, cloud: { ...job.cloud, ...cloud }, updatedAt: Date.now() };
  });
}

/**
 * Sends one message on the job's session and shows NemoVideo's answer as it streams in (text only,
 * GUI wording turned into what the extension does). No text at all: the draft is read and summed up.
 */
async function chatTurn(client: NemoVideoClient, job: Job, sessionId: string, userId: string, message: string, shown: string, signal?: AbortSignal): Promise<void> {
  await updateConversation(job.id, { from: 'you', text: shown }, false, { replying: true, lastReplyAt: Date.now() });
  let answer = '';
  try {
    await client.chat(sessionId, userId, message, (event) => {
      if (event.type !== 'text' || !event.text.trim()) return;
      const started = answer === '';
      answer = answer ? `${answer}\n${event.text}` : event.text;
      void updateConversation(job.id, { from: 'nemovideo', text: translateGuiWording(answer, job.instructions ? reviewWording() : {}).text }, !started, {
        lastReplyAt: Date.now(),
      });
    }, signal);
    if (!answer) {
      const summary = summarizeState(await client.state(sessionId, signal));
      const count = summary.audioSegmentCount;
      const text = summary.ready
        ? i18n.t('conversation.doneSegments', count, { count, duration: formatDuration(summary.durationSeconds) })
        : i18n.t('conversation.doneNoAudio');
      await updateConversation(job.id, { from: 'nemovideo', text });
    }
  } finally {
    const latest = await readJob(job.id);
    if (latest) await patchJob(job.id, ['converting'], { cloud: { ...latest.cloud, replying: false } });
    void refreshCredits(client);
  }
}

/** A follow-up message on a job waiting for **Export MP3** ("make it shorter"); never while an answer streams. */
export async function sendFollowUp(jobId: string, message: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const job = await readJob(jobId);
  const cloud = job?.cloud;
  if (!job || job.state !== 'converting' || !cloud?.awaitingExport || !cloud.sessionId) return { ok: false, error: i18n.t('conversation.notWaiting') };
  if (!(await claimReply(jobId))) return { ok: false, error: i18n.t('conversation.stillAnswering') };
  const client = await createClient(jobId);
  void chatTurn(client, job, cloud.sessionId, cloud.userId ?? 'me', message, message).catch(async (error: unknown) => {
    const { message: text } = await describeCloudFailure(error, job.sourceName);
    await updateConversation(jobId, { from: 'nemovideo', text });
  });
  return { ok: true };
}

/**
 * What a cloud job's **Retry** keeps: once NemoVideo has made the edit (and charged for it), only the
 * export is done again, on the same project. A job that failed before that starts over.
 */
export function editKeptForRetry(cloud: CloudProgress | undefined): CloudProgress | undefined {
  if (!cloud?.chatDone || !cloud.sessionId) return undefined;
  const { sessionId, userId, awaitingExport } = cloud;
  return { sessionId, userId, uploaded: true, chatSent: true, chatDone: true, awaitingExport };
}

/** The jobs this worker is running in the cloud right now, so a second start doesn't run one twice. */
const running = new Map<string, AbortController>();

/** Stops a cloud job this worker is running (Cancel, Remove): no more calls, no more credits spent. */
export function cancelCloudJob(jobId: string): void {
  running.get(jobId)?.abort(cancelledError());
}

export interface CloudOutcome {
  /** The MP3, stored under the job's id in `outputs`. */
  mp3?: { size: number; durationSeconds: number };
  /** A video came back: stored under this key in `inputs`, to be converted on this device. */
  video?: { inputKey: string };
}

/**
 * Runs one job through NemoVideo: session → upload → chat → export → poll → download. Each step's
 * result is saved on the job first, so a worker stopped mid-job picks up at the step it was on.
 */
export async function runCloudJob(jobId: string): Promise<CloudOutcome | undefined> {
  if (running.has(jobId)) return undefined;
  const controller = new AbortController();
  const { signal } = controller;
  running.set(jobId, controller);
  // A long cloud job mostly waits on the network: without an API call now and then Chrome would stop the worker.
  const awake = keepAlive();
  try {
    const client = await createClient(jobId);
    const current = () => readJob(jobId);
    /** Records a finished step; a job that was cancelled or removed meanwhile stops here. */
    const save = async (progress: Partial<CloudProgress>) => {
      signal.throwIfAborted();
      const job = await current();
      const saved = job && (await patchJob(jobId, ['reading', 'converting'], { cloud: { ...job.cloud, ...progress } }));
      if (!saved) throw cancelledError();
      return saved.cloud ?? {};
    };
    let job = await current();
    if (!job) return undefined;
    let cloud: CloudProgress = job.cloud ?? {};

    const newSession = async () => {
      const session = await client.createSession(uiLanguage(), signal);
      cloud = await save({ sessionId: session.sessionId, userId: session.userId, uploaded: false, chatSent: false, chatDone: false, renderId: undefined });
    };
    if (!cloud.sessionId) await newSession();

    if (!cloud.uploaded) {
      // A web video is downloaded first, as for the local engine: the cloud gets the same bytes.
      if (job.source.kind === 'url') {
        const fetched = await conversionSite.send('site:fetch-input', { jobId, source: job.source });
        if (!fetched.ok) throw new ConversionError(fetched.reason);
      }
      const input = { jobId, inputKey: inputKeyOf(job), fileName: job.sourceName };
      const stallMs = client.limits.cloudRequestMs;
      const send = (target: UploadTarget) => conversionSite.send('site:upload', { ...input, ...target, stallMs });
      try {
        await client.upload(cloud.sessionId!, send, signal);
      } catch (error) {
        if (!(error instanceof CloudError && error.kind === 'session-lost')) throw error;
        await newSession();
        await client.upload(cloud.sessionId!, send, signal);
      }
      cloud = await save({ uploaded: true });
    }

    if (!(await transition(jobId, 'converting', { progress: 0 })) && (await current())?.state !== 'converting') throw cancelledError();
    if (!cloud.chatDone) {
      if (cloud.chatSent) {
        // The worker stopped while NemoVideo was answering: sending again could charge twice, so
        // wait for the edit to show in the project's state instead.
        await waitForDraft(client, cloud.sessionId!, signal);
        await updateConversation(jobId, { from: 'nemovideo', text: i18n.t('conversation.resumed') });
      } else {
        cloud = await save({ chatSent: true });
        const shown = job.instructions ?? i18n.t('conversation.request', { bitrate: job.bitrate });
        await chatTurn(client, job, cloud.sessionId!, cloud.userId ?? 'me', chatMessage(job.bitrate, job.instructions), shown, signal);
      }
      cloud = await save({ chatDone: true, awaitingExport: !!job.instructions });
    }
    // With instructions, the user reads the answer and may send more before pressing Export MP3.
    if (cloud.awaitingExport) return undefined;

    if (!cloud.renderId && cloud.pendingRenderId) {
      // The worker stopped while submitting: poll that render if it arrived; submit only if it never did.
      try {
        await client.exportStatus(cloud.pendingRenderId, signal);
        cloud = await save({ renderId: cloud.pendingRenderId });
      } catch (error) {
        if (!(error instanceof CloudError && error.status === 404)) throw error;
      }
    }
    if (!cloud.renderId) {
      const { draft } = await client.state(cloud.sessionId!, signal);
      if (!draft || !isDraftReady(draft)) throw new CloudError('export-failed');
      const output = { format: 'mp3', audioBitrate: job.bitrate as 128 | 192 | 256 | 320 } as const;
      const render = await client.startExport(cloud.sessionId!, draft, output, signal, async (renderId) => {
        cloud = await save({ pendingRenderId: renderId });
      });
      cloud = await save({ renderId: render.id });
    }
    let render;
    try {
      render = await client.pollExport(cloud.renderId!, { onProgress: (progress) => void patchJob(jobId, ['converting'], { progress }), signal });
    } catch (error) {
      // A render nobody waits for any more is stopped, so it doesn't keep the backend busy.
      const givenUp = error instanceof CloudError && error.kind === 'export-timeout';
      if (signal.aborted || givenUp) void client.cancelExport(cloud.renderId!).catch(() => undefined);
      throw error;
    }
    const file = await client.download(cloud.renderId!, render.outputUrl, signal);
    void refreshCredits(client);
    await save({});
    if (await sniffAudioMp3(file)) {
      await putBlob('outputs', jobId, file);
      return { mp3: { size: file.size, durationSeconds: await mp3DurationSeconds(file) } };
    }
    const inputKey = `${jobId}-from-cloud`;
    await putBlob('inputs', inputKey, file);
    return { video: { inputKey } };
  } finally {
    awake.stop();
    running.delete(jobId);
  }
}

/** How long a resumed job waits for an edit NemoVideo was making when the worker stopped (a chat runs up to 15 min). */
const RESUMED_EDIT_WAIT_MS = 15 * 60 * 1000;

async function waitForDraft(client: NemoVideoClient, sessionId: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + RESUMED_EDIT_WAIT_MS;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (isDraftReady((await client.state(sessionId, signal)).draft)) return;
    await sleep(Math.min(2000 * 1.5 ** attempt, 15_000), signal);
  }
  throw new CloudError('export-timeout');
}

/** Sends a message unless one is already being answered, deciding and marking in one write. */
function claimReply(jobId: string): Promise<boolean> {
  return mutateJobs((jobs) => {
    const job = jobs[jobId];
    if (!job || job.cloud?.replying) return false;
    jobs[jobId] = { ...job, cloud: { ...job.cloud, replying: true, lastReplyAt: Date.now() } };
    return true;
  });
}

/** What the user reads when a cloud job fails: the file, then what happened and what to do. */
export async function describeCloudFailure(error: unknown, fileName: string): Promise<{ message: string; offerLocal: boolean }> {
  if (error instanceof ConversionError) return { message: describeFailure(error.reason, fileName), offerLocal: false };
  const cloudError = error instanceof CloudError ? error : new CloudError(error instanceof TypeError ? 'network' : 'server');
  const offerLocal = ['unsupported-file', 'too-large', 'plan-blocked', 'no-credits', 'export-failed', 'export-timeout'].includes(cloudError.kind);
  return { message: i18n.t('conversation.notConverted', { file: fileName, reason: describeCloudError(cloudError) }), offerLocal };
}

export async function refreshCredits(client?: NemoVideoClient): Promise<void> {
  try {
    const active = client ?? (await createClient());
    const credits = await active.credits();
    const { userId } = await credentialStore.get();
    await creditsItem.setValue({
      available: credits.available,
      frozen: credits.frozen,
      updatedAt: Date.now(),
      ...(userId ? { registrationUrl: registrationLink(userId) } : {}),
    });
  } catch (error) {
    console.warn('Could not read NemoVideo credits', error);
  }
}
