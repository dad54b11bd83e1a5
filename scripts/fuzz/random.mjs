/** A case's own seed, mixed from the run's seed and the case's index (so cases don't overlap). @param {number} seed @param {number} index */
export function caseSeed(seed, index) {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32 with helpers; the same seed gives the same choices on every machine. @param {number} seed */
export function makeRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @param {number} max */
  const int = (max) => Math.floor(next() * max);
  return {
    next,
    int,
    /** @template T @param {readonly T[]} items @returns {T} */
    pick: (items) => /** @type {T} */ (items[int(items.length)]),
    /** @param {number} p */
    chance: (p) => next() < p,
    /** A kind first, then one of that kind, so rare kinds (one stsd) come up as often as common ones (many blocks). @template T @param {readonly T[]} items @param {(item: T) => unknown} kindOf @returns {T} */
    pickByKind: (items, kindOf) => {
      const kinds = [...new Set(items.map(kindOf))];
      const kind = kinds[int(kinds.length)];
      const ofKind = items.filter((item) => kindOf(item) === kind);
      return /** @type {T} */ (ofKind[int(ofKind.length)]);
    },
  };
}

/** @typedef {ReturnType<typeof makeRandom>} Random */
