import type { ConversionResult, Engine } from '../engines/engine';
import { failureReasonOf } from '../failures';
import { deleteBlob, deleteScratch, getBlob, putBlob, sealParts, unsealedPartCount } from '../blob-store';
import { planOutputs, type OutputPlan } from '../outputs/output-plan';
import { withExtension } from '../output-format';
import { ConversionError } from '../failures';
import { sendMessage, type MessageData, type ReplyOf } from '../messages';
import { inputKeyOf, type JobSource } from '../jobs/job';
import { DEFAULT_LIMITS } from '../limits';
import { StallWatch } from '../timing/stall-watch';
import { sendMultipart } from '../engines/cloud/upload';
import { oneAtATime } from '../one-at-a-time';
import { throttleProgress } from '../timing/progress-throttle';
import { readStreamSound } from './stream-input';
import { readPoster } from './poster';
import type { Recording } from './stream-recording';
import { handedFile, releaseHandedFile, takeHandedInputs, wasNotKept } from './handed-inputs';

/** Each report is a runtime message and a storage write: a few a second, and a heartbeat for the job's watchdog. */
const REPORT_PACE = { minIntervalMs: 200, heartbeatMs: 200 };
const REPORT_ATTEMPTS = 5;

export type ReportType = 'job:progress' | 'job:converted' | 'job:failed' | 'job:tracks' | 'job:input-not-kept';
/** Tells the job queue how a job goes: by message from the offscreen document, by a call in Firefox's background page. */
export type Report = <T extends ReportType>(type: T, data: MessageData<T>) => Promise<void>;

/** Sends a report to the background, retrying while a stopped service worker starts again. */
export async function reportToBackground<T extends ReportType>(type: T, data: MessageData<T>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sendMessage(type, data);
      return;
    } catch {
      if (type === 'job:progress' || attempt >= REPORT_ATTEMPTS) return;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** Streams a web video to a Blob, telling `onReceived` of every chunk (`total` is 0 when the server doesn't say). */
async function download(
  url: string,
  onReceived: (received: number, total: number) => void,
  signal: AbortSignal,
): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'include' });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ConversionError('fetch-failed', String(error));
  }
  if (!response.ok || !response.body) throw new ConversionError('fetch-refused', `HTTP ${response.status}`);
  const total = Number(response.headers.get('Content-Length')) || 0;
  const parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let received = 0;
  let pendingBytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      if (signal.aborted) throw error;
      throw new ConversionError('fetch-failed', String(error));
    });
    if (done) break;
    pending.push(value);
    received += value.byteLength;
    pendingBytes += value.byteLength;
    // Moves what arrived out of the JS heap every few MB; Chrome keeps big Blobs on disk.
    if (pendingBytes > 8 * 1024 * 1024) {
      parts.push(new Blob(pending as BlobPart[]));
      pending = [];
      pendingBytes = 0;
    }
    onReceived(received, total);
  }
  parts.push(new Blob(pending as BlobPart[]));
  return new Blob(parts, { type: response.headers.get('Content-Type') ?? '' });
}

/** Sends a stored input to the cloud, reporting upload progress as the job's reading. */
async function uploadInput(
  { jobId, inputKey, fileName, stallMs, ...target }: MessageData<'site:upload'>,
  report: Report,
  signal?: AbortSignal,
): Promise<ReplyOf<'site:upload'>> {
  const input = handedFile(inputKey) ?? (await getBlob('inputs', inputKey));
  if (!input) throw new ConversionError('input-missing');
  const onProgress = (share: number) => {
    void report('job:progress', { jobId, phase: 'reading', progress: clamp01(share) });
  };
  return sendMultipart(target, { blob: input, name: fileName }, { stallMs, onProgress, signal });
}

/** A job's input, and whether it is a live recording that was cut off before it ended. */
interface InputRead {
  blob: Blob;
  stoppedEarly: boolean;
}

/**
 * A live recording's parts left by a run that was cut off (a closed document, a browser that quit): kept and
 * made the input when the job had been recording, else (a cancelled run's) deleted so it records afresh.
 */
async function cutOffRecording(key: string, wasRecording: boolean): Promise<Blob | undefined> {
  if ((await unsealedPartCount('inputs', key)) === 0) return undefined;
  if (wasRecording) return sealParts('inputs', key);
  await deleteBlob('inputs', key);
  return undefined;
}

/**
 * The job's input: stored bytes, or a web video downloaded now and kept for a resumed job.
 * `onActivity` hears of every chunk that arrives, reported or not. A live stream is recorded only with
 * `recording` (a local job that can be stopped); `wasRecording` says an earlier run of it recorded.
 */
export async function readInput(
  jobId: string,
  source: JobSource,
  signal: AbortSignal,
  report: Report,
  onActivity = () => {},
  recording?: Recording & { wasRecording: boolean },
): Promise<InputRead> {
  const key = inputKeyOf({ id: jobId, source });
  const stored = handedFile(key) ?? (await getBlob('inputs', key));
  if (stored) return { blob: stored, stoppedEarly: false };
  if (source.kind === 'stored-file') throw new ConversionError('input-missing');
  if (source.kind === 'stream') {
    const cutOff = await cutOffRecording(key, recording?.wasRecording ?? false);
    if (cutOff) return { blob: cutOff, stoppedEarly: true };
  }
  const reportShare = throttleProgress(
    (progress) => void report('job:progress', { jobId, phase: 'reading', progress }),
    {
      minStep: 0,
      ...REPORT_PACE,
    },
  );
  const onShare = (share: number) => {
    onActivity();
    reportShare(clamp01(share));
  };
  if (source.kind === 'stream') {
    const read = await readStreamSound(source, onShare, signal, recording);
    if (!read.stored) await putBlob('inputs', key, read.blob);
    return read;
  }
  const blob = await downloadVideo(source.url, onShare, onActivity, signal);
  await putBlob('inputs', key, blob);
  return { blob, stoppedEarly: false };
}

function downloadVideo(
  url: string,
  onShare: (share: number) => void,
  onActivity: () => void,
  signal: AbortSignal,
): Promise<Blob> {
  return download(
    url,
    (received, total) => {
      if (total > 0) onShare(received / total);
      else onActivity();
    },
    signal,
  );
}

/** Runs conversions here and reports each one's progress and outcome to the job queue. */
export class ConversionHost {
  /** Each job's latest run. A failed or cancelled one is aborted at once, though it may still be finishing. */
  private readonly running = new Map<string, AbortController>();
  private runs = 0;
  private readonly uploading = new Map<string, AbortController>();
  /** **Stop** for each job recording a live stream. */
  private readonly recordings = new Map<string, AbortController>();
  /**
   * The engine converts one input at a time. Each conversion already has an MP3 encoder per core, so a
   * second one beside it adds no speed: it doubles the memory and makes the first MP3 wait for both.
   * Downloads of web videos still run beside it.
   */
  private readonly engineTurns = oneAtATime();
  /** Conversions that have the engine or wait for it. */
  private engineUsers = 0;

  constructor(
    private readonly engine: Engine,
    private readonly report: Report,
  ) {
    takeHandedInputs((inputKey) => void report('job:input-not-kept', { inputKey }));
  }

  runningJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Sends a job's input to the cloud; a Cancel of the job stops the upload too. */
  async upload(request: MessageData<'site:upload'>): Promise<ReplyOf<'site:upload'>> {
    const controller = new AbortController();
    this.uploading.set(request.jobId, controller);
    try {
      return await uploadInput(request, this.report, controller.signal);
    } finally {
      this.uploading.delete(request.jobId);
    }
  }

  /**
   * Starts the job, unless it is running already. A run that failed or was cancelled is aborted before
   * the queue hears of it, so a Retry never waits for it to finish cleaning up: its parts are its own.
   */
  start(request: MessageData<'site:convert'>): void {
    const { jobId, source } = request;
    if (this.running.get(jobId)?.signal.aborted === false) return;
    // Its copy failed after the page had queued it: the queue withdraws it.
    if (source.kind === 'stored-file' && wasNotKept(source.inputKey)) {
      void this.report('job:input-not-kept', { inputKey: source.inputKey });
      return;
    }
    const controller = new AbortController();
    this.running.set(jobId, controller);
    void this.run(request, controller, `${jobId}/${this.runs++}`).finally(() => {
      if (this.running.get(jobId) === controller) this.running.delete(jobId);
    });
  }

  cancel(jobId: string): void {
    this.running.get(jobId)?.abort();
    this.uploading.get(jobId)?.abort();
  }

  /** Ends a live recording where it is; what was recorded is converted and saved. */
  stopRecording(jobId: string): void {
    this.recordings.get(jobId)?.abort();
  }

  /** How a live stream is recorded for this job: stopped by **Stop**, its length reported as it grows. */
  private recordingFor(jobId: string, wasRecording: boolean, stall: StallWatch) {
    const stop = new AbortController();
    this.recordings.set(jobId, stop);
    let reportedSecond = -1;
    const recording = {
      key: jobId,
      stop: stop.signal,
      wasRecording,
      onRecorded: (seconds: number) => {
        stall.touch('download-stalled');
        if (Math.floor(seconds) === reportedSecond) return;
        reportedSecond = Math.floor(seconds);
        void this.report('job:progress', { jobId, phase: 'reading', progress: 0, recordedSeconds: seconds });
      },
    };
    const done = () => {
      if (this.recordings.get(jobId) === stop) this.recordings.delete(jobId);
    };
    return { recording, done };
  }

  /**
   * A job that makes no progress for the stall limit (a download that stopped arriving, a decoder
   * that never answers) is given up and reported, whether or not the work under it ever settles.
   */
  private async run(request: MessageData<'site:convert'>, controller: AbortController, scratchKey: string) {
    const { jobId, fileName, stallLimitMs = DEFAULT_LIMITS.localStallMs } = request;
    const stall = new StallWatch(stallLimitMs, request.source.kind === 'stored-file' ? 'stalled' : 'download-stalled');
    try {
      await Promise.race([this.convertAndStore(request, scratchKey, controller.signal, stall), stall.stopped]);
    } catch (error) {
      if (controller.signal.aborted && !stall.fired) return;
      if (!(error instanceof ConversionError)) console.error(`Converting ${fileName} failed`, error);
      controller.abort(error);
      await this.report('job:failed', { jobId, reason: failureReasonOf(error) });
    } finally {
      stall.clear();
      // The stored MP3 has its own copy of the parts written out while it was made.
      await deleteScratch(scratchKey).catch(() => undefined);
    }
  }

  private async convertAndStore(
    request: MessageData<'site:convert'>,
    scratchKey: string,
    signal: AbortSignal,
    stall: StallWatch,
  ) {
    const {
      jobId,
      source,
      bitrate,
      stallLimitMs: _,
      outputName,
      soundTrack,
      splitChapters,
      chosenTrack,
      uiLanguage,
      recorded = false,
      ...choices
    } = request;
    const report = this.report;
    // Not waited for: the input is read while the queue writes it down.
    void report('job:progress', { jobId, phase: 'reading', progress: 0 });
    // Fetched beside the input, never failing the job: a poster that doesn't load means no cover.
    const poster =
      source.kind !== 'stored-file' && source.poster && choices.tags?.cover !== false
        ? readPoster(source.poster, signal)
        : Promise.resolve(undefined);
    const { recording, done } = this.recordingFor(jobId, recorded, stall);
    const { blob: input, stoppedEarly } = await readInput(
      jobId,
      source,
      signal,
      report,
      () => stall.touch('download-stalled'),
      recording,
    ).finally(done);
    const plan = await this.planFor(request, input, signal);
    if (signal.aborted) return;
    if (plan.kind === 'choose') {
      await report('job:tracks', { jobId, tracks: plan.tracks });
      return;
    }
    const { outputs } = plan;
    const cover = await poster;
    // The first progress a person can see goes out at once; after that, a few times a second.
    const reportProgress = throttleProgress(
      (progress) => void report('job:progress', { jobId, phase: 'converting', progress }),
      REPORT_PACE,
    );
    const several = outputs.length > 1;
    // The turn lasts until the MP3s are stored and reported, so the popup never shows two jobs converting.
    await this.inEngineTurn(jobId, stall, signal, async () => {
      const stored: { outputKey: string; fileName: string; size: number; durationSeconds: number }[] = [];
      // The downloads API reads each MP3 from the blob in hand, not from IndexedDB again.
      const objectUrls: Record<string, string> = {};
      let kept: Pick<ConversionResult, 'extension' | 'originalNotKept'> = {};
      try {
        for (const [index, output] of outputs.entries()) {
          const onProgress = (progress: number) => {
            stall.touch('stalled');
            reportProgress(clamp01((index + progress) / outputs.length));
          };
          const partScratch = `${scratchKey}/${index}`;
          const result = await this.engine.convert(
            {
              input,
              bitrate,
              ...choices,
              scratchKey: partScratch,
              ...(cover && { cover }),
              ...(output.trackIndex !== undefined && { trackIndex: output.trackIndex }),
              ...(output.trim && { trim: output.trim }),
              ...(output.chapter && {
                title: output.chapter.title,
                chapterFile: {
                  album: choices.title,
                  trackNumber: output.chapter.number,
                  tracksTotal: output.chapter.total,
                },
              }),
            },
            onProgress,
            signal,
          );
          if (signal.aborted) return;
          const outputKey = several ? `${jobId}-${index + 1}` : jobId;
          await putBlob('outputs', outputKey, result.mp3);
          objectUrls[outputKey] = URL.createObjectURL(result.mp3);
          kept = { extension: result.extension, originalNotKept: result.originalNotKept };
          stored.push({
            outputKey,
            // The name was made for an MP3; the original sound in its own container takes that container's extension.
            fileName: result.extension ? withExtension(output.fileName, result.extension) : output.fileName,
            size: result.mp3.size,
            durationSeconds: result.durationSeconds,
          });
          await deleteScratch(partScratch).catch(() => undefined);
          if (signal.aborted) return;
        }
        const [first] = stored;
        if (!first) return;
        await report('job:converted', {
          jobId,
          outputKey: first.outputKey,
          size: stored.reduce((sum, file) => sum + file.size, 0),
          durationSeconds: stored.reduce((sum, file) => sum + file.durationSeconds, 0),
          ...(kept.extension ? { extension: kept.extension } : {}),
          ...(kept.originalNotKept ? { originalNotKept: kept.originalNotKept } : {}),
          ...(stoppedEarly && { stoppedEarly }),
          ...(several && { files: stored }),
          objectUrls,
        });
        if (source.kind === 'stored-file') releaseHandedFile(source.inputKey);
      } catch (error) {
        for (const url of Object.values(objectUrls)) URL.revokeObjectURL(url);
        // A job that fails halfway keeps none of its MP3s: a Retry makes them all again.
        if (several)
          await Promise.all(stored.map((file) => deleteBlob('outputs', file.outputKey).catch(() => undefined)));
        throw error;
      }
    });
  }

  /**
   * The MP3s the job makes. Only a job that may make several (a sound-track choice, chapters) has its source
   * described first; a source that can't be described makes one MP3, as the engine reads it.
   */
  private async planFor(request: MessageData<'site:convert'>, input: Blob, signal: AbortSignal): Promise<OutputPlan> {
    const outputName = request.outputName ?? `${request.title}.mp3`;
    const soundTrack = request.soundTrack ?? 'default';
    const splitChapters = request.splitChapters ?? false;
    const one: OutputPlan = { kind: 'files', outputs: [{ fileName: outputName }] };
    if ((soundTrack === 'default' && !splitChapters) || !this.engine.describe) return one;
    const description = await this.engine.describe(input, signal).catch((error: unknown) => {
      if (!signal.aborted) console.warn(`Reading the sound tracks and chapters of ${request.fileName} failed`, error);
      return undefined;
    });
    if (!description) return one;
    return planOutputs(
      {
        outputName,
        soundTrack,
        splitChapters,
        ...(request.chosenTrack !== undefined && { chosenTrack: request.chosenTrack }),
        trimmedOrFaded: request.trim !== undefined || request.fades !== undefined,
        uiLanguage: request.uiLanguage ?? 'en',
      },
      description,
    );
  }

  /**
   * Runs `work` once the conversions before it are done; waiting is not stalling. A job cancelled
   * meanwhile never starts, and a stopped job gives up its turn even if its engine never settles.
   */
  private async inEngineTurn(
    jobId: string,
    stall: StallWatch,
    signal: AbortSignal,
    work: () => Promise<void>,
  ): Promise<void> {
    if (this.engineUsers > 0) {
      stall.clear();
      void this.report('job:progress', { jobId, phase: 'waiting', progress: 0 });
    }
    this.engineUsers++;
    try {
      return await this.engineTurns(async () => {
        if (signal.aborted) return;
        stall.touch('stalled');
        const stopped = new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        return Promise.race([work(), stopped]);
      });
    } finally {
      this.engineUsers--;
    }
  }
}
