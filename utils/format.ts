const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** Formatters are costly to make, and the popup formats every row's size at each progress update. */
const byteFormats = new Map<string, Intl.NumberFormat>();

function byteFormat(locale: string | undefined, unit: (typeof byteUnits)[number]): Intl.NumberFormat {
  const key = `${locale ?? ''} ${unit}`;
  let format = byteFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: unit === 'byte' ? 0 : 1,
    });
    byteFormats.set(key, format);
  }
  return format;
}

/** `5_800_000` → `5.5 MB`. */
export function formatBytes(bytes: number, locale?: string): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  // Compare the value as it will be shown, so 1,048,575 bytes reads "1 MB", not "1,024 kB".
  while (Math.round(value * 10) / 10 >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return byteFormat(locale, byteUnits[unit]!).format(value);
}

/** `83.4` → `1:23`, `3725` → `1:02:05`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
