import { useId, useState } from 'react';
import { i18n } from '#i18n';
import { formatTime, parseTime } from '@/utils/trim';
import { Alert } from '../Alert';

/**
 * A handle's time, shown and typed as the popup's Trim takes it (`83.5`, `1:23.5`, `1:02:03`); what is
 * typed counts on Enter or on leaving the field, if it is a time between `min` and `max`.
 */
export function TimeField({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (seconds: number) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();

  const commit = () => {
    if (draft === undefined) return;
    const seconds = parseTime(draft);
    if (seconds === undefined || seconds === null) {
      setError(i18n.t('trim.unreadable'));
    } else if (seconds < min || seconds > max) {
      setError(i18n.t('editor.timeOutside', { from: formatTime(min), to: formatTime(max) }));
    } else {
      setError(undefined);
      setDraft(undefined);
      onChange(seconds);
    }
  };

  return (
    <div className="field time-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        value={draft ?? formatTime(value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      <Alert id={`${id}-error`} message={error} />
    </div>
  );
}
