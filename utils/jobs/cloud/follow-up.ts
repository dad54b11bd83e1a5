import type { CommandReply } from '../../messages';
import { i18n } from '#i18n';
import { readJob } from '../job-store';
import { createClient } from './connect';
import { chatTurn, claimReply, updateConversation } from './conversation';
import { describeCloudFailure } from './failure';

/** A follow-up message on a job waiting for **Export MP3** ("make it shorter"); never while an answer streams. */
export async function sendFollowUp(jobId: string, message: string): Promise<CommandReply> {
  const job = await readJob(jobId);
  const cloud = job?.cloud;
  if (!job || job.state !== 'converting' || !cloud?.awaitingExport || !cloud.sessionId) {
    return { ok: false, error: i18n.t('conversation.notWaiting') };
  }
  if (!(await claimReply(jobId))) return { ok: false, error: i18n.t('conversation.stillAnswering') };
  const client = await createClient(jobId);
  void chatTurn(client, job, cloud, message, message).catch(async (error: unknown) => {
    const { message: text } = await describeCloudFailure(error, job.sourceName);
    await updateConversation(jobId, { from: 'nemovideo', text });
  });
  return { ok: true };
}
