import { useEffect, useState, type InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'checked' | 'onChange'> & {
  /** The saved value; the box follows it when it changes elsewhere. */
  saved: boolean;
  onCheck: (checked: boolean) => void;
};

/** A checkbox for a stored setting: it shows a click at once, while the change is being saved. */
export function Checkbox({ saved, onCheck, ...props }: Props) {
  const [checked, setChecked] = useState(saved);
  useEffect(() => setChecked(saved), [saved]);
  return (
    <input
      {...props}
      type="checkbox"
      checked={checked}
      onChange={(event) => {
        setChecked(event.currentTarget.checked);
        onCheck(event.currentTarget.checked);
      }}
    />
  );
}
