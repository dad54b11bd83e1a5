import type { NemoVideoClient } from '../../engines/cloud/client';
import { summarizeState } from '../../engines/cloud/draft';
import { translateGuiWording } from '../../engines/cloud/gui-wording';
import { formatDuration } from '../../format';
import { i18n } from '#i18n';
import type { Job } from '../job';
import { mutateJobs, patchJob, readJob } from '../job-store';
import type { ConversationFlags, Project } from './progress';
import { refreshCredits } from './refresh-credits';

type Line = { from: 'you' | 'nemovideo'; text: string };

/**
 * With instructions the user reviews the edit, so "click Export" means pressing Export MP3, not an
 * automatic export. Whatever language the answer is in, this names the button as the popup shows it.
 */
function reviewWording() {
  const text = i18n.t('conversation.reviewExport');
  return { export: { english: text, chinese: text } };
}

/** Appends to, or replaces the last line of, a job's conversation as NemoVideo's answer streams in. */
export function updateConversation(jobId: string, line: Line, replaceLast = false, flags: ConversationFlags = {}) {
  return mutateJobs((jobs) => {
    const job = jobs[jobId];
    if (!job) return;
    const conversation = [...(job.conversation ?? [])];
    if (replaceLast) conversation.pop();
    conversation.push(line);
    jobs[jobId] = { ...job, conversation, cloud: job.cloud && { ...job.cloud, ...flags }, updatedAt: Date.now() };
  });
}

/**
 * Sends one message on the job's project and shows NemoVideo's answer as it streams in (text only,
 * GUI wording turned into what the extension does). No text at all: the draft is read and summed up.
 */
export async function chatTurn(
  client: NemoVideoClient,
  job: Job,
  { sessionId, userId = 'me' }: Project,
  message: string,
  shown: string,
  signal?: AbortSignal,
): Promise<void> {
  await updateConversation(job.id, { from: 'you', text: shown }, false, { replying: true, lastReplyAt: Date.now() });
  let answer = '';
  try {
    await client.chat(
      sessionId,
      userId,
      message,
      (event) => {
        if (event.type !== 'text' || !event.text.trim()) return;
        const started = answer === '';
        answer = answer ? `${answer}\n${event.text}` : event.text;
        const text = translateGuiWording(answer, job.instructions ? reviewWording() : {}).text;
        void updateConversation(job.id, { from: 'nemovideo', text }, !started, { lastReplyAt: Date.now() });
      },
      signal,
    );
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
    if (latest?.cloud) await patchJob(job.id, ['converting'], { cloud: { ...latest.cloud, replying: false } });
    void refreshCredits(client);
  }
}

/** Sends a message unless one is already being answered, deciding and marking in one write. */
export function claimReply(jobId: string): Promise<boolean> {
  return mutateJobs((jobs) => {
    const job = jobs[jobId];
    if (!job?.cloud || job.cloud.replying) return false;
    jobs[jobId] = { ...job, cloud: { ...job.cloud, replying: true, lastReplyAt: Date.now() } };
    return true;
  });
}
