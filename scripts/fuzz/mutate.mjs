#!/usr/bin/env node
// Hostile inputs made from the good fixtures; case `index` of run `seed` is the same file on every machine.
// Usage (one case, to reproduce a failure): node scripts/fuzz/mutate.mjs <seed> <index> [fixtures dir] [out dir]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIP_SPECS } from '../make-fixtures.mjs';
import { caseSeed, makeRandom } from './random.mjs';
import { GENERIC_MUTATIONS } from './generic.mjs';
import { isIsoBmff, mutateIso } from './iso-boxes.mjs';
import { isEbml, mutateEbml } from './ebml.mjs';
import { isRiff, mutateRiff } from './riff.mjs';
import { isTs, mutateTs } from './ts.mjs';

/** @typedef {{ name: string, base: string, what: string, bytes: Uint8Array }} FuzzCase */

/** The short good clips (long.mp4 would only make runs slower). */
export const FUZZ_BASES = CLIP_SPECS.filter((spec) => !spec.seconds).map((spec) => spec.name);

/** @param {Uint8Array} bytes @param {import('./random.mjs').Random} rng */
function mutateOnce(bytes, rng) {
  const structural = isIsoBmff(bytes) ? mutateIso : isEbml(bytes) ? mutateEbml : isRiff(bytes) ? mutateRiff : isTs(bytes) ? mutateTs : undefined;
  const surgery = structural && rng.chance(0.65) ? structural(bytes, rng) : undefined;
  return surgery ?? rng.pick(GENERIC_MUTATIONS)(bytes, rng);
}

/**
 * Case `index` of run `seed`: a base clip with one to three mutations.
 * @param {(name: string) => Promise<Uint8Array>} readBase @param {number} seed @param {number} index @returns {Promise<FuzzCase>}
 */
export async function fuzzCase(readBase, seed, index) {
  const rng = makeRandom(caseSeed(seed, index));
  const base = rng.pick(FUZZ_BASES);
  let bytes = await readBase(base);
  const what = [];
  for (let step = rng.chance(0.25) ? 1 + rng.int(3) : 1; step > 0 && bytes.length > 0; step--) {
    const mutation = mutateOnce(bytes, rng);
    bytes = mutation.bytes;
    what.push(mutation.what);
  }
  const dot = base.lastIndexOf('.');
  return { name: `fuzz-${seed}-${String(index).padStart(4, '0')}-${base.slice(0, dot)}${base.slice(dot)}`, base, what: what.join('; '), bytes };
}

/**
 * Writes cases start … start+count-1 into `outDir`; returns them without their bytes.
 * @param {string} fixturesDir @param {string} outDir @param {number} seed @param {number} start @param {number} count
 */
export async function writeFuzzCases(fixturesDir, outDir, seed, start, count) {
  await mkdir(outDir, { recursive: true });
  /** @type {Map<string, Uint8Array>} */
  const bases = new Map();
  const readBase = async (/** @type {string} */ name) => {
    if (!bases.has(name)) bases.set(name, new Uint8Array(await readFile(join(fixturesDir, name))));
    return /** @type {Uint8Array} */ (bases.get(name));
  };
  const cases = [];
  for (let index = start; index < start + count; index++) {
    const { bytes, ...fuzz } = await fuzzCase(readBase, seed, index);
    await writeFile(join(outDir, fuzz.name), bytes);
    cases.push({ ...fuzz, index, path: join(outDir, fuzz.name), size: bytes.length });
  }
  return cases;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [seed, index, fixturesDir = 'tests/e2e/.fixtures', outDir = '.'] = process.argv.slice(2);
  if (seed === undefined || index === undefined) {
    console.error('usage: node scripts/fuzz/mutate.mjs <seed> <index> [fixtures dir] [out dir]');
    process.exit(2);
  }
  const [fuzz] = await writeFuzzCases(fixturesDir, outDir, Number(seed), Number(index), 1);
  console.log(`${fuzz?.path}: ${fuzz?.base}, ${fuzz?.what}`);
}
