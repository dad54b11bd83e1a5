import { useId, useState } from 'react';
import { BITRATES, type Bitrate } from '@/utils/bitrate';
import {
  cloudUrlSchema,
  DEFAULT_CLOUD_BASE_URL,
  ENGINES,
  engineLabel,
  fileNamePatternSchema,
  readSettings,
  settingsItem,
  updateSettings,
  type Settings,
  type SettingsChange,
} from '@/utils/settings';
import type { TagChoices } from '@/utils/tag-choices';
import { i18n } from '#i18n';
import { FILE_NAME_FIELDS, mp3NameFromPattern } from '@/utils/file-names';
import { useStorageItem } from './useStorageItem';
import { useSettingDraft } from './useSettingDraft';
import { Alert } from './Alert';
import { Checkbox, CheckboxField } from './Checkbox';
import { Interpolated, markers } from './Interpolated';
import { FormatField } from './FormatField';
import { SoundTrackFields } from './SoundTrackFields';

/** An option's value is a string: `192` is the number, `v0` itself. */
function bitrateOfOption(value: string): Bitrate {
  return BITRATES.find((bitrate) => String(bitrate) === value) ?? 192;
}

const TAG_SWITCHES = [
  { key: 'title', label: 'options.tagTitle' },
  { key: 'artistAlbum', label: 'options.tagArtistAlbum' },
  { key: 'cover', label: 'options.tagCover' },
] as const satisfies { key: keyof TagChoices; label: string }[];

/** The pattern's fields, shown as typed: `{title}` stays `{title}` in the note. */
const FIELDS = markers(...FILE_NAME_FIELDS);

export function SettingsForm() {
  const settings = useStorageItem(settingsItem, readSettings);
  const ids = {
    engine: useId(),
    bitrate: useId(),
    bitrateNote: useId(),
    pattern: useId(),
    patternNote: useId(),
    patternError: useId(),
    url: useId(),
    urlError: useId(),
    engineNote: useId(),
  };
  const [saveError, setSaveError] = useState<string>();
  const save = async (change: SettingsChange) => {
    setSaveError(undefined);
    try {
      await updateSettings(change);
    } catch {
      setSaveError(i18n.t('options.saveFailed'));
    }
  };
  const url = useSettingDraft(settings?.cloudBaseUrl, {
    isValid: (value) => cloudUrlSchema.safeParse(value.trim()).success,
    error: () => i18n.t('options.cloudUrlInvalid', { url: DEFAULT_CLOUD_BASE_URL }),
    save: (value) => void save({ cloudBaseUrl: value }),
  });
  const pattern = useSettingDraft(settings?.fileNamePattern, {
    isValid: (value) => fileNamePatternSchema.safeParse(value).success,
    error: () => i18n.t('options.fileNameInvalid', FIELDS),
    save: (value) => void save({ fileNamePattern: value }),
  });

  if (!settings) return null;

  const example = mp3NameFromPattern(pattern.value || settings.fileNamePattern, {
    title: 'clip',
    bitrate: settings.bitrate,
    at: new Date(),
  });

  return (
    <form className="settings" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor={ids.engine}>{i18n.t('options.engine')}</label>
        <select
          id={ids.engine}
          value={settings.engine}
          aria-describedby={ids.engineNote}
          onChange={(event) => void save({ engine: event.currentTarget.value as Settings['engine'] })}
        >
          {ENGINES.map((engine) => (
            <option key={engine} value={engine}>
              {engineLabel(engine)}
            </option>
          ))}
        </select>
        <p id={ids.engineNote} className="muted">
          {i18n.t(settings.engine === 'cloud' ? 'options.engineNoteCloud' : 'options.engineNoteLocal')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.bitrate}>{i18n.t('options.bitrate')}</label>
        <select
          id={ids.bitrate}
          value={settings.bitrate}
          aria-describedby={ids.bitrateNote}
          onChange={(event) => void save({ bitrate: bitrateOfOption(event.currentTarget.value) })}
        >
          {BITRATES.map((bitrate) => (
            <option key={bitrate} value={bitrate}>
              {typeof bitrate === 'number' ? i18n.t('options.kbps', { bitrate }) : i18n.t(`options.${bitrate}`)}
            </option>
          ))}
        </select>
        <p id={ids.bitrateNote} className="muted">
          {i18n.t(
            settings.engine === 'cloud' && typeof settings.bitrate === 'string'
              ? 'options.bitrateNoteCloud'
              : 'options.bitrateNote',
          )}
        </p>
      </div>
      <FormatField settings={settings} onChange={(format) => void save({ format })} />
      <SoundTrackFields settings={settings} save={save} />
      <CheckboxField
        label={i18n.t('options.keepMp3')}
        note={i18n.t('options.keepMp3Note')}
        saved={settings.keepMp3Audio}
        onCheck={(checked) => void save({ keepMp3Audio: checked })}
      />
      <CheckboxField
        label={i18n.t('options.loudness')}
        note={i18n.t('options.loudnessNote')}
        saved={settings.normalizeLoudness}
        onCheck={(checked) => void save({ normalizeLoudness: checked })}
      />
      <fieldset className="field tags">
        <legend>{i18n.t('options.tags')}</legend>
        {TAG_SWITCHES.map(({ key, label }) => (
          <label key={key} className="checkbox">
            <Checkbox saved={settings.tags[key]} onCheck={(checked) => void save({ tags: { [key]: checked } })} />
            {i18n.t(label)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.pattern}>{i18n.t('options.fileName')}</label>
        <input
          id={ids.pattern}
          type="text"
          spellCheck={false}
          value={pattern.value}
          aria-invalid={pattern.error ? true : undefined}
          aria-describedby={pattern.error ? ids.patternError : ids.patternNote}
          onChange={(event) => pattern.change(event.currentTarget.value)}
        />
        <p id={ids.patternNote} className="muted">
          <Interpolated
            text={i18n.t('options.fileNameNote', { ...FIELDS, ...markers('example') })}
            parts={{ example: <strong>{example}</strong> }}
          />
        </p>
        <Alert id={ids.patternError} message={pattern.error} />
      </div>
      <div className="field">
        <label htmlFor={ids.url}>{i18n.t('options.cloudUrl')}</label>
        <input
          id={ids.url}
          type="url"
          inputMode="url"
          spellCheck={false}
          value={url.value}
          aria-invalid={url.error ? true : undefined}
          aria-describedby={url.error ? ids.urlError : undefined}
          onChange={(event) => url.change(event.currentTarget.value)}
        />
        <Alert id={ids.urlError} message={url.error} />
      </div>
      <Alert message={saveError} />
      <p className="muted">{i18n.t('options.savedAsYouGo')}</p>
    </form>
  );
}
