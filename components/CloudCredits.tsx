import { useEffect } from 'react';
import { i18n } from '#i18n';
import { creditsItem } from '@/utils/engines/cloud/credits';
import { sendMessage } from '@/utils/messages';
import { engineLabel } from '@/utils/settings';
import { useStorageItem } from './useStorageItem';
import { Interpolated, markers } from './Interpolated';

/** What a cloud job costs, in words: editing in NemoVideo uses credits, the export itself doesn't. */
export function useCloudCost(): string {
  const credits = useStorageItem(creditsItem);
  return credits ? i18n.t('credits.costWithBalance', { count: credits.available }) : i18n.t('credits.cost');
}

/** The NemoVideo credits, shown while the cloud engine is in use; refreshed when the popup opens. */
export function CloudCredits() {
  const credits = useStorageItem(creditsItem);
  useEffect(() => {
    void sendMessage('cloud:refresh-credits', undefined).catch(() => undefined);
  }, []);
  return (
    <section className="credits" aria-label={i18n.t('credits.region')}>
      {credits ? (
        <p>
          <Interpolated
            text={i18n.t('credits.count', markers('count'))}
            parts={{ count: <strong>{credits.available}</strong> }}
          />
          {credits.frozen > 0 && <span className="muted">{i18n.t('credits.reserved', { count: credits.frozen })}</span>}
        </p>
      ) : (
        <p className="muted">{i18n.t('credits.checking')}</p>
      )}
      {credits?.available === 0 && (
        <p>
          <Interpolated
            text={i18n.t('credits.noneLeft', { ...markers('getMore'), local: engineLabel('local') })}
            parts={{
              getMore: credits.registrationUrl ? (
                <a href={credits.registrationUrl} target="_blank" rel="noreferrer">
                  {i18n.t('credits.register')}
                </a>
              ) : (
                i18n.t('credits.topUp')
              ),
            }}
          />
        </p>
      )}
    </section>
  );
}
