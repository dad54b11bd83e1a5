/** A labelled bar from 0 to 100 %; `activity` says what is going on ("Converting", "Adding"). */
export function ProgressBar({ label, activity, fraction }: { label: string; activity: string; fraction: number }) {
  const percent = Math.round(fraction * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${activity} ${percent}%`}
      className="progress"
    >
      {/* Scaled, not sized: a width animates by laying out the popup every frame, and each layout leaves garbage behind. */}
      <div className="progress__bar" style={{ transform: `scaleX(${percent / 100})` }} />
    </div>
  );
}
