import { useEffect } from 'react';
import { creditsItem } from '@/utils/cloud/credits';
import { sendMessage } from '@/utils/messages';
import { useStorageItem } from './useStorageItem';

/** What a cloud job costs, in words: editing in NemoVideo uses credits, the export itself doesn't. */
export function CloudCost() {
  const credits = useStorageItem(creditsItem);
  return <>Uses NemoVideo credits{credits ? ` (you have ${credits.available})` : ''}.</>;
}

/** The NemoVideo credits, shown while the cloud engine is in use; refreshed when the popup opens. */
export function CloudCredits() {
  const credits = useStorageItem(creditsItem);
  useEffect(() => {
    void sendMessage('cloud:refresh-credits', undefined).catch(() => undefined);
  }, []);
  return (
    <section className="credits" aria-label="NemoVideo cloud">
      {credits ? (
        <p>
          Credits: <strong>{credits.available}</strong>
          {credits.frozen > 0 && <span className="muted"> ({credits.frozen} reserved by running jobs)</span>}
        </p>
      ) : (
        <p className="muted">Credits: checking…</p>
      )}
      {credits?.available === 0 && (
        <p>
          No credits left.{' '}
          {credits.registrationUrl ? (
            <a href={credits.registrationUrl} target="_blank" rel="noreferrer">
              Register to get more
            </a>
          ) : (
            'Top up credits in your NemoVideo account'
          )}
          , or set Engine to “On this device” in Settings.
        </p>
      )}
    </section>
  );
}
