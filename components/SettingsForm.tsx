import { useEffect, useId, useState } from 'react';
import { BITRATES, cloudUrlSchema, ENGINES, engineLabels, fileNamePatternSchema, readSettings, settingsItem, updateSettings, type Settings, type SettingsChange, type TagChoices } from '@/utils/settings';
import { mp3NameFromPattern } from '@/utils/file-names';
import { useStorageItem } from './useStorageItem';
import { Alert } from './Alert';
import { Checkbox, CheckboxField } from './Checkbox';


const TAG_SWITCHES: { key: keyof TagChoices; label: string }[] = [
  { key: 'title', label: 'Title, from the video’s name or its page' },
  { key: 'artistAlbum', label: 'Artist and album, when the video has them' },
  { key: 'cover', label: 'Cover art: the video’s own, else a frame of it' },
];

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
      setSaveError('That setting could not be saved. Please try again.');
    }
  };
  const onUrlChange = (value: string) => {
    setUrl(value);
    const valid = cloudUrlSchema.safeParse(value.trim()).success;
    setUrlError(valid ? undefined : 'Enter a full http:// or https:// address, for example https://mega-api-prod.nemovideo.ai');
    if (valid) void save({ cloudBaseUrl: value.trim() });
  };

  const onPatternChange = (value: string) => {
    setPattern(value);
    const valid = fileNamePatternSchema.safeParse(value).success;
    setPatternError(valid ? undefined : 'Enter a file name pattern, for example {title} - {date}');
    if (valid) void save({ fileNamePattern: value.trim() });
  };
  const example = mp3NameFromPattern(pattern || settings.fileNamePattern, { title: 'clip', bitrateKbps: settings.bitrate, at: new Date() });

  return (
    <form className="settings" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor={ids.engine}>Engine</label>
        <select
          id={ids.engine}
          value={settings.engine}
          aria-describedby={ids.engineNote}
          onChange={(event) => void save({ engine: event.currentTarget.value as Settings['engine'] })}
        >
          {ENGINES.map((engine) => (
            <option key={engine} value={engine}>
              {engineLabels[engine]}
            </option>
          ))}
        </select>
        <p id={ids.engineNote} className="muted">
          {settings.engine === 'cloud'
            ? 'NemoVideo cloud uploads each video to NemoVideo and uses your NemoVideo credits (100 free). On this device needs none.'
            : 'Convert on your computer: fast, private and offline. Automatic offers the NemoVideo cloud when a file can’t be read here.'}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.bitrate}>Bitrate</label>
        <select
          id={ids.bitrate}
          value={settings.bitrate}
          onChange={(event) => void save({ bitrate: Number(event.currentTarget.value) as Settings['bitrate'] })}
        >
          {BITRATES.map((bitrate) => (
            <option key={bitrate} value={bitrate}>
              {bitrate} kbps
            </option>
          ))}
        </select>
      </div>
      <CheckboxField
        label="Keep MP3 sound as it is"
        note="When a video’s sound already is MP3, it is copied exactly, without encoding it again: faster, no loss, and at its own bitrate."
        saved={settings.keepMp3Audio}
        onCheck={(checked) => void save({ keepMp3Audio: checked })}
      />
      <CheckboxField
        label="Even out loudness"
        note="Brings every MP3 to −14 LUFS, the level streaming services play at, without clipping. Takes a little longer."
        saved={settings.normalizeLoudness}
        onCheck={(checked) => void save({ normalizeLoudness: checked })}
      />
      <fieldset className="field tags">
        <legend>Tags</legend>
        {TAG_SWITCHES.map(({ key, label }) => (
          <label key={key} className="checkbox">
            <Checkbox saved={settings.tags[key]} onCheck={(checked) => void save({ tags: { [key]: checked } })} />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.pattern}>File name</label>
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
          {'{title}, {date}, {time} and {bitrate} are filled in.'} For clip.mp4: <strong>{example}</strong>
        </p>
        <Alert id={ids.patternError} message={patternError} />
      </div>
      <div className="field">
        <label htmlFor={ids.url}>Cloud API base URL</label>
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
      <p className="muted">Changes are saved as you make them.</p>
    </form>
  );
}
