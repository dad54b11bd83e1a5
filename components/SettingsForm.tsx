import { useEffect, useId, useState } from 'react';
import { BITRATES, cloudUrlSchema, DEFAULT_CLOUD_BASE_URL, ENGINES, engineLabel, fileNamePatternSchema, readSettings, settingsItem, updateSettings, type Settings, type SettingsChange, type TagChoices } from '@/utils/settings';
import { i18n } from '#i18n';
import { FILE_NAME_FIELDS, mp3NameFromPattern } from '@/utils/file-names';
import { useStorageItem } from './useStorageItem';
import { Alert } from './Alert';
import { Checkbox, CheckboxField } from './Checkbox';
import { Interpolated, markers } from './Interpolated';

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
    pattern: useId(),
    patternNote: useId(),
    patternError: useId(),
    url: useId(),
    urlError: useId(),
    engineNote: useId(),
  };
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string>();
  const [pattern, setPattern] = useState('');
  const [patternError, setPatternError] = useState<string>();
  const [saveError, setSaveError] = useState<string>();

  useEffect(() => {
    if (settings && !urlError) setUrl(settings.cloudBaseUrl);
  }, [settings?.cloudBaseUrl]);
  useEffect(() => {
    if (settings && !patternError) setPattern(settings.fileNamePattern);
  }, [settings?.fileNamePattern]);

  if (!settings) return null;

  const save = async (change: SettingsChange) => {
    setSaveError(undefined);
    try {
      await updateSettings(change);
    } catch {
      setSaveError(i18n.t('options.saveFailed'));
    }
  };
  const onUrlChange = (value: string) => {
    setUrl(value);
    const valid = cloudUrlSchema.safeParse(value.trim()).success;
    setUrlError(valid ? undefined : i18n.t('options.cloudUrlInvalid', { url: DEFAULT_CLOUD_BASE_URL }));
    if (valid) void save({ cloudBaseUrl: value.trim() });
  };

  const onPatternChange = (value: string) => {
    setPattern(value);
    const valid = fileNamePatternSchema.safeParse(value).success;
    setPatternError(valid ? undefined : i18n.t('options.fileNameInvalid', FIELDS));
    if (valid) void save({ fileNamePattern: value.trim() });
  };
  const example = mp3NameFromPattern(pattern || settings.fileNamePattern, { title: 'clip', bitrateKbps: settings.bitrate, at: new Date() });

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
          onChange={(event) => void save({ bitrate: Number(event.currentTarget.value) as Settings['bitrate'] })}
        >
          {BITRATES.map((bitrate) => (
            <option key={bitrate} value={bitrate}>
              {i18n.t('options.kbps', { bitrate })}
            </option>
          ))}
        </select>
      </div>
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
          value={pattern}
          aria-invalid={patternError ? true : undefined}
          aria-describedby={patternError ? ids.patternError : ids.patternNote}
          onChange={(event) => onPatternChange(event.currentTarget.value)}
        />
        <p id={ids.patternNote} className="muted">
          <Interpolated text={i18n.t('options.fileNameNote', { ...FIELDS, ...markers('example') })} parts={{ example: <strong>{example}</strong> }} />
        </p>
        <Alert id={ids.patternError} message={patternError} />
      </div>
      <div className="field">
        <label htmlFor={ids.url}>{i18n.t('options.cloudUrl')}</label>
        <input
          id={ids.url}
          type="url"
          inputMode="url"
          spellCheck={false}
          value={url}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? ids.urlError : undefined}
          onChange={(event) => onUrlChange(event.currentTarget.value)}
        />
        <Alert id={ids.urlError} message={urlError} />
      </div>
      <Alert message={saveError} />
      <p className="muted">{i18n.t('options.savedAsYouGo')}</p>
    </form>
  );
}
