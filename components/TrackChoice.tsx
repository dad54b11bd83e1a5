import { useId, useState } from 'react';
import { i18n } from '#i18n';
import type { Job } from '@/utils/jobs/job';
import { sendMessage } from '@/utils/messages';
import { trackLabel } from '@/utils/outputs/sound-tracks';
import { useCommand } from './useCommand';
import { Alert } from './Alert';

/** A job of a video with several sound tracks, waiting for one to be chosen: a radio group and **Convert**. */
export function TrackChoice({ job }: { job: Job }) {
  const tracks = job.trackChoices ?? [];
  const [chosen, setChosen] = useState((tracks.find((track) => track.isDefault) ?? tracks[0])?.index);
  const { error, run } = useCommand();
  const name = useId();
  const uiLanguage = browser.i18n.getUILanguage();
  const jobId = job.id;
  return (
    <div className="track-choice">
      <fieldset className="field tags">
        <legend>{i18n.t('tracks.choose')}</legend>
        <p className="muted">{i18n.t('tracks.chooseNote', { file: job.sourceName })}</p>
        {tracks.map((track) => (
          <label key={track.index} className="checkbox">
            <input
              type="radio"
              name={name}
              value={track.index}
              checked={chosen === track.index}
              onChange={() => setChosen(track.index)}
            />
            {trackLabel(track, uiLanguage)}
          </label>
        ))}
      </fieldset>
      <div className="job__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={chosen === undefined}
          onClick={() =>
            chosen !== undefined && void run(() => sendMessage('jobs:choose-track', { jobId, trackIndex: chosen }))
          }
        >
          {i18n.t('tracks.convert')}
        </button>
        <button type="button" className="button" onClick={() => void run(() => sendMessage('jobs:cancel', { jobId }))}>
          {i18n.t('jobs.cancel')}
        </button>
      </div>
      <Alert message={error} />
    </div>
  );
}
