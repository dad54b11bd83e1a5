import { useEffect, useId, useState } from 'react';
import { i18n } from '#i18n';
import type { Job } from '@/utils/jobs/job';
import { sendMessage } from '@/utils/messages';
import { useCommand } from './useCommand';
import { Alert } from './Alert';
import { useCloudCost } from './CloudCredits';

/** After this long with no new words from NemoVideo, the popup says it is still working. */
const STILL_WORKING_AFTER_MS = 15_000;

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** A cloud job's conversation with NemoVideo, with a follow-up message and **Export MP3** while it waits. */
export function CloudConversation({ job }: { job: Job }) {
  const { error, run } = useCommand();
  const [draft, setDraft] = useState('');
  const fieldId = useId();
  const costId = useId();
  const replying = !!job.cloud?.replying;
  const now = useNow(replying);
  const stillWorking = replying && now - (job.cloud?.lastReplyAt ?? now) > STILL_WORKING_AFTER_MS;
  const jobId = job.id;
  const cost = useCloudCost();

  return (
    <div className="conversation">
      <ol className="conversation__lines" aria-label={i18n.t('conversation.label')} aria-live="polite">
        {(job.conversation ?? []).map((line, index) => (
          <li key={index} className={`conversation__line conversation__line--${line.from}`}>
            <span className="visually-hidden">
              {i18n.t(line.from === 'you' ? 'conversation.fromYou' : 'conversation.fromNemoVideo')}
            </span>
            {line.text}
          </li>
        ))}
      </ol>
      {replying && (
        <p role="status" className="muted">
          {i18n.t(stillWorking ? 'conversation.stillWorking' : 'conversation.answering')}
        </p>
      )}
      {job.cloud?.awaitingExport && (
        <form
          className="conversation__form"
          onSubmit={(event) => {
            event.preventDefault();
            const message = draft.trim();
            if (!message || replying) return;
            void run(async () => {
              const reply = await sendMessage('cloud:send', { jobId, message });
              if (reply.ok) setDraft('');
              return reply;
            });
          }}
        >
          <label htmlFor={fieldId}>{i18n.t('conversation.field')}</label>
          <textarea
            id={fieldId}
            rows={2}
            value={draft}
            placeholder={i18n.t('conversation.placeholder')}
            aria-describedby={costId}
            onChange={(event) => setDraft(event.currentTarget.value)}
          />
          <p id={costId} className="muted">
            {i18n.t('conversation.note', { cost })}
          </p>
          <div className="job__actions">
            <button type="submit" className="button" disabled={replying || !draft.trim()}>
              {i18n.t('conversation.send')}
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={replying}
              onClick={() => void run(() => sendMessage('cloud:export', { jobId }))}
            >
              {i18n.t('conversation.exportMp3')}
            </button>
          </div>
        </form>
      )}
      <Alert message={error} />
    </div>
  );
}
