import { useId } from 'react';
import { i18n } from '#i18n';

/** A fade's length in seconds, as typed; `readFade` says what it means. */
export function readFade(text: string): number | undefined {
  if (text.trim() === '') return 0;
  const seconds = Number(text);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= 3600 ? seconds : undefined;
}

/** **Fade in** or **Fade out**: a number field in seconds, 0 for none. */
export function FadeField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
}) {
  const id = useId();
  const invalid = readFade(value) === undefined;
  return (
    <div className="field fade-field">
      <label htmlFor={id}>{label}</label>
      <span className="fade-field__input">
        <input
          id={id}
          type="number"
          min={0}
          max={3600}
          step={0.1}
          value={value}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-unit`}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
        <span id={`${id}-unit`} className="muted">
          {i18n.t('editor.secondsUnit')}
        </span>
      </span>
    </div>
  );
}
