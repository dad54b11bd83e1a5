/** A case's own seed, mixed from the run's seed and the case's index (so cases don't overlap). */
export function caseSeed(seed: number, index: number) {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32 with helpers; the same seed gives the same choices on every machine. */
export function makeRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    chance: (p: number) => next() < p,
    /** A kind first, then one of that kind, so rare kinds (one stsd) come up as often as common ones (many blocks). */
    pickByKind: <T>(items: readonly T[], kindOf: (item: T) => unknown) => {
      const kinds = [...new Set(items.map(kindOf))];
      const kind = kinds[int(kinds.length)];
      const ofKind = items.filter((item) => kindOf(item) === kind);
      return ofKind[int(ofKind.length)] as T;
    },
  };
}

export type Random = ReturnType<typeof makeRandom>;
