import { i18n } from '#i18n';
import type { HistoryEntry } from '@/utils/jobs/history';
import { sendMessage } from '@/utils/messages';
import { formatBytes, formatDuration } from '@/utils/format';
import { useCommand } from './useCommand';
import { Alert } from './Alert';
import { FileCard } from './FileCard';

function CompletedRow({ entry }: { entry: HistoryEntry }) {
  const { error, run } = useCommand();
  const entryId = entry.id;
  return (
    <FileCard name={entry.fileName}>
      <div className="job__meta">
        <span className="muted">
          {formatBytes(entry.size)} · {formatDuration(entry.durationSeconds)}
          {entry.stoppedEarly && ` · ${i18n.t('completed.stoppedEarly')}`}
        </span>
        {entry.originalNotKept && (
          <span className="muted">{i18n.t('completed.originalNotKept', { codec: entry.originalNotKept })}</span>
        )}
        <div className="job__actions">
          {entry.stored && (
            <button
              type="button"
              className="button button--small"
              onClick={() => void run(() => sendMessage('history:download-again', { entryId }))}
            >
              {i18n.t('completed.downloadAgain')}
            </button>
          )}
          <button
            type="button"
            className="button button--small"
            onClick={() => void run(() => sendMessage('history:show-in-folder', { entryId }))}
          >
            {i18n.t('completed.showInFolder')}
          </button>
        </div>
      </div>
      <Alert message={error} />
    </FileCard>
  );
}

/** **Download all as ZIP**, while two or more MP3s are stored. */
function DownloadAllAsZip() {
  const { error, run } = useCommand();
  return (
    <div className="completed__zip">
      <button
        type="button"
        className="button button--small"
        onClick={() => void run(() => sendMessage('history:download-zip', undefined))}
      >
        {i18n.t('completed.downloadZip')}
      </button>
      <Alert message={error} />
    </div>
  );
}

export function CompletedDownloads({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section aria-labelledby="completed-heading">
      <h2 id="completed-heading">{i18n.t('completed.heading')}</h2>
      {entries.filter((entry) => entry.stored).length >= 2 && <DownloadAllAsZip />}
      {entries.length === 0 ? (
        <p className="muted">{i18n.t('completed.empty')}</p>
      ) : (
        <ul className="list">
          {entries.map((entry) => (
            <CompletedRow key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}
