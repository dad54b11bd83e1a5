import { useId } from 'react';
import { i18n } from '#i18n';
import { OUTPUT_FORMATS, type OutputFormat } from '@/utils/output-format';
import type { Settings } from '@/utils/settings';

const LABELS = { mp3: 'options.formatMp3', original: 'options.formatOriginal' } as const;

/** The **Format** setting: MP3, or the original sound in its own container (not with the cloud engine). */
export function FormatField({ settings, onChange }: { settings: Settings; onChange: (format: OutputFormat) => void }) {
  const ids = { select: useId(), note: useId() };
  return (
    <div className="field">
      <label htmlFor={ids.select}>{i18n.t('options.format')}</label>
      <select
        id={ids.select}
        value={settings.format}
        aria-describedby={ids.note}
        onChange={(event) => {
          const format = OUTPUT_FORMATS.find((candidate) => candidate === event.currentTarget.value);
          if (format) onChange(format);
        }}
      >
        {OUTPUT_FORMATS.map((format) => (
          <option key={format} value={format}>
            {i18n.t(LABELS[format])}
          </option>
        ))}
      </select>
      <p id={ids.note} className="muted">
        {i18n.t(
          settings.engine === 'cloud' && settings.format === 'original'
            ? 'options.formatNoteCloud'
            : 'options.formatNote',
        )}
      </p>
    </div>
  );
}
