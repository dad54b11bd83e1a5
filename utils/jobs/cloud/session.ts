import type { AtStep } from './progress';
import type { CloudRun } from './cloud-run';

function uiLanguage(): string {
  return browser.i18n.getUILanguage().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Step 1: a new NemoVideo project for the job (also when NemoVideo lost the one it had). */
export async function startSession({ client, signal, save }: CloudRun): Promise<AtStep<'session'>> {
  const session = await client.createSession(uiLanguage(), signal);
  return save({ step: 'session', sessionId: session.sessionId, userId: session.userId });
}
