import type { NemoVideoClient } from '../../engines/cloud/client';
import { isDraftReady } from '../../engines/cloud/draft';
import { CloudError } from '../../engines/cloud/errors';
import { sleep } from '../../timing/timeout';
import { constantBitrate } from '../../bitrate';
import { i18n } from '#i18n';
import { projectOf, type AtStep } from './progress';
import type { CloudRun } from './cloud-run';
import { chatTurn, updateConversation } from './conversation';

/** How long a resumed job waits for an edit NemoVideo was making when the worker stopped (a chat runs up to 15 min). */
const RESUMED_EDIT_WAIT_MS = 15 * 60 * 1000;

function chatMessage(bitrate: number, instructions: string | undefined): string {
  const request = `Extract the audio from this video as an MP3 file at ${bitrate} kbps.`;
  return instructions ? `${instructions}\n\n${request}` : `${request} Keep the whole audio, unchanged.`;
}

/**
 * Step 3: NemoVideo is asked, in the chat, for the MP3 (and whatever the user's instructions say).
 * With instructions, the edited draft then waits for the user's **Export MP3**.
 */
export async function edit(run: CloudRun, progress: AtStep<'uploaded' | 'editing'>): Promise<AtStep<'edited'>> {
  const { job, client, signal } = run;
  if (progress.step === 'editing') {
    // The worker stopped while NemoVideo was answering: sending again could charge twice, so
    // wait for the edit to show in the project's state instead.
    await waitForDraft(client, progress.sessionId, signal);
    await updateConversation(job.id, { from: 'nemovideo', text: i18n.t('conversation.resumed') });
  } else {
    const editing = await run.save({ step: 'editing', ...projectOf(progress) });
    const bitrate = constantBitrate(job.bitrate);
    const shown = job.instructions ?? i18n.t('conversation.request', { bitrate });
    await chatTurn(client, job, editing, chatMessage(bitrate, job.instructions), shown, signal);
  }
  return run.save({ step: 'edited', ...projectOf(progress) }, { awaitingExport: !!job.instructions });
}

async function waitForDraft(client: NemoVideoClient, sessionId: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + RESUMED_EDIT_WAIT_MS;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (isDraftReady((await client.state(sessionId, signal)).draft)) return;
    await sleep(Math.min(2000 * 1.5 ** attempt, 15_000), signal);
  }
  throw new CloudError('export-timeout');
}
