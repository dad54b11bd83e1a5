import { useState } from 'react';

interface DraftRules {
  isValid: (value: string) => boolean;
  /** What to show while the value isn't valid. */
  error: () => string;
  /** Saves a valid value (trimmed). */
  save: (value: string) => void;
}

/**
 * A text setting being typed: it shows what is typed, saves it whenever it is valid, and keeps the error
 * while it isn't. It follows the saved value when that changes elsewhere, unless what is typed is invalid.
 */
export function useSettingDraft(saved: string | undefined, { isValid, error, save }: DraftRules) {
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const [followed, setFollowed] = useState<string>();
  if (saved !== followed) {
    setFollowed(saved);
    if (saved !== undefined && !invalid) setValue(saved);
  }
  const change = (next: string) => {
    setValue(next);
    const valid = isValid(next);
    setInvalid(valid ? undefined : error());
    if (valid) save(next.trim());
  };
  return { value, error: invalid, change };
}
