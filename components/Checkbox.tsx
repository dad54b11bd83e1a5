import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'checked' | 'onChange'> & {
  /** The saved value; the box follows it when it changes elsewhere. */
  saved: boolean;
  onCheck: (checked: boolean) => void;
};

/** A checkbox for a stored setting: it shows a click at once, while the change is being saved. */
export function Checkbox({ saved, onCheck, ...props }: Props) {
  const [checked, setChecked] = useState(saved);
  const [followed, setFollowed] = useState(saved);
  if (saved !== followed) {
    setFollowed(saved);
    setChecked(saved);
  }
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

/** A setting that is on or off: the box, its label and a note on what it does. */
export function CheckboxField({
  label,
  note,
  saved,
  onCheck,
}: {
  label: string;
  note: ReactNode;
  saved: boolean;
  onCheck: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="field checkbox">
      <Checkbox id={id} saved={saved} aria-describedby={`${id}-note`} onCheck={onCheck} />
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-note`} className="muted">
        {note}
      </p>
    </div>
  );
}
