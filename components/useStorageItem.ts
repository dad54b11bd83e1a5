import { useEffect, useEffectEvent, useState } from 'react';
import type { WxtStorageItem } from 'wxt/utils/storage';

/** The item's current value, kept up to date as the background writes it. `undefined` while loading. */
export function useStorageItem<T>(
  item: WxtStorageItem<T, Record<string, unknown>>,
  parse: (raw: T) => T = (raw) => raw,
): T | undefined {
  const [value, setValue] = useState<T>();
  const show = useEffectEvent((raw: T) => setValue(parse(raw)));
  useEffect(() => {
    let live = true;
    void item.getValue().then((initial) => live && show(initial));
    const unwatch = item.watch((next) => show(next));
    return () => {
      live = false;
      unwatch();
    };
  }, [item]);
  return value;
}
