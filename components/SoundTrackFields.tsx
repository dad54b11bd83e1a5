import { useId } from 'react';
import { i18n } from '#i18n';
import { SOUND_TRACK_MODES, type SoundTrackMode } from '@/utils/outputs/sound-tracks';
import type { Settings, SettingsChange } from '@/utils/settings';
import { CheckboxField } from './Checkbox';

/** **Sound track** and **One MP3 per chapter**: which MP3s a video makes. */
export function SoundTrackFields({
  settings,
  save,
}: {
  settings: Settings;
  save: (change: SettingsChange) => Promise<void>;
}) {
  const id = useId();
  const cloud = settings.engine === 'cloud';
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{i18n.t('tracks.setting')}</label>
        <select
          id={id}
          value={settings.soundTrack}
          aria-describedby={`${id}-note`}
          onChange={(event) => void save({ soundTrack: event.currentTarget.value as SoundTrackMode })}
        >
          {SOUND_TRACK_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {i18n.t(`tracks.${mode}`)}
            </option>
          ))}
        </select>
        <p id={`${id}-note`} className="muted">
          {i18n.t('tracks.settingNote')} {cloud && i18n.t('tracks.cloudNote')}
        </p>
      </div>
      <CheckboxField
        label={i18n.t('tracks.chapters')}
        note={i18n.t('tracks.chaptersNote')}
        saved={settings.splitChapters}
        onCheck={(checked) => void save({ splitChapters: checked })}
      />
    </>
  );
}
