import { Fragment, useId } from 'react';
import { parseTime, trimSchema, type Trim } from '@/utils/trim';
import { Alert } from './Alert';
import { i18n } from '#i18n';
import { readSettings, settingsItem } from '@/utils/settings';
import { useStorageItem } from './useStorageItem';

export interface TrimText {
  start: string;
  end: string;
}

/** The trim the fields describe, or what is wrong with them. */
export function readTrim({ start, end }: TrimText): { trim?: Trim; error?: string } {
  const startSeconds = parseTime(start);
  const endSeconds = parseTime(end);
  if (startSeconds === null || endSeconds === null) return { error: i18n.t('trim.unreadable') };
  if (startSeconds === undefined && endSeconds === undefined) return {};
  const trim = {
    ...(startSeconds !== undefined ? { startSeconds } : {}),
    ...(endSeconds !== undefined ? { endSeconds } : {}),
  };
  return trimSchema.safeParse(trim).success ? { trim } : { error: i18n.t('trim.endBeforeStart') };
}

/**
 * Start and end of the part of the sound to keep, for the videos chosen next (on this device);
 * `error`: what `readTrim` found wrong with them.
 */
export function TrimFields({
  value,
  error,
  onChange,
}: {
  value: TrimText;
  error: string | undefined;
  onChange: (value: TrimText) => void;
}) {
  const ids = { start: useId(), end: useId(), note: useId(), error: useId() };
  const original = useStorageItem(settingsItem, readSettings)?.format === 'original';
  const fields = [
    { key: 'start', label: i18n.t('trim.start'), placeholder: '0:00' },
    { key: 'end', label: i18n.t('trim.end'), placeholder: i18n.t('trim.endPlaceholder') },
  ] as const;
  return (
    <details className="trim">
      <summary>{i18n.t('trim.heading')}</summary>
      <div className="trim__fields">
        {fields.map(({ key, label, placeholder }) => (
          <Fragment key={key}>
            <label htmlFor={ids[key]}>{label}</label>
            <input
              id={ids[key]}
              inputMode="decimal"
              placeholder={placeholder}
              value={value[key]}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? ids.error : ids.note}
              onChange={(event) => onChange({ ...value, [key]: event.currentTarget.value })}
            />
          </Fragment>
        ))}
      </div>
      <p id={ids.note} className="muted">
        {i18n.t(original ? 'trim.noteOriginal' : 'trim.note')}
      </p>
      <Alert id={ids.error} message={error} />
    </details>
  );
}
