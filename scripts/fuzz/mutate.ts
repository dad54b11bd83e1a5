#!/usr/bin/env -S npx tsx
// Hostile inputs made from the good fixtures; case `index` of run `seed` is the same file on every machine.
// Usage (one case, to reproduce a failure): npx tsx scripts/fuzz/mutate.ts <seed> <index> [fixtures dir] [out dir]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIP_SPECS } from '../make-fixtures.ts';
import { caseSeed, makeRandom, type Random } from './random.ts';
import { GENERIC_MUTATIONS, type Mutation } from './generic.ts';
import { isIsoBmff, mutateIso } from './iso-boxes.ts';
import { isEbml, mutateEbml } from './ebml.ts';
import { isRiff, mutateRiff } from './riff.ts';
import { isTs, mutateTs } from './ts.ts';

interface FuzzCase {
  /** File name: fuzz-<seed>-<index>-<base clip>. */
  name: string;
  base: string;
  /** The mutations, in words. */
  what: string;
  bytes: Uint8Array;
}

/** A case as written to disk: where it is and how big, instead of its bytes. */
export interface WrittenFuzzCase extends Omit<FuzzCase, 'bytes'> {
  index: number;
  path: string;
  size: number;
}

/** The short good clips (long.mp4 would only make runs slower). */
const FUZZ_BASES = CLIP_SPECS.filter((spec) => !spec.seconds).map((spec) => spec.name);

function mutateOnce(bytes: Uint8Array, rng: Random): Mutation {
  const structural = isIsoBmff(bytes)
    ? mutateIso
    : isEbml(bytes)
      ? mutateEbml
      : isRiff(bytes)
        ? mutateRiff
        : isTs(bytes)
          ? mutateTs
          : undefined;
  const surgery = structural && rng.chance(0.65) ? structural(bytes, rng) : undefined;
  return surgery ?? rng.pick(GENERIC_MUTATIONS)(bytes, rng);
}

/** Case `index` of run `seed`: a base clip with one to three mutations. */
async function fuzzCase(
  readBase: (name: string) => Promise<Uint8Array>,
  seed: number,
  index: number,
): Promise<FuzzCase> {
  const rng = makeRandom(caseSeed(seed, index));
  const base = rng.pick(FUZZ_BASES);
  let bytes = await readBase(base);
  const what: string[] = [];
  for (let step = rng.chance(0.25) ? 1 + rng.int(3) : 1; step > 0 && bytes.length > 0; step--) {
    const mutation = mutateOnce(bytes, rng);
    bytes = mutation.bytes;
    what.push(mutation.what);
  }
  const dot = base.lastIndexOf('.');
  return {
    name: `fuzz-${seed}-${String(index).padStart(4, '0')}-${base.slice(0, dot)}${base.slice(dot)}`,
    base,
    what: what.join('; '),
    bytes,
  };
}

/** Writes cases start … start+count-1 into `outDir`; returns them without their bytes. */
export async function writeFuzzCases(
  fixturesDir: string,
  outDir: string,
  seed: number,
  start: number,
  count: number,
): Promise<WrittenFuzzCase[]> {
  await mkdir(outDir, { recursive: true });
  const bases = new Map<string, Uint8Array>();
  const readBase = async (name: string) => {
    if (!bases.has(name)) bases.set(name, new Uint8Array(await readFile(join(fixturesDir, name))));
    return bases.get(name) as Uint8Array;
  };
  const cases: WrittenFuzzCase[] = [];
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
    console.error('usage: npx tsx scripts/fuzz/mutate.ts <seed> <index> [fixtures dir] [out dir]');
    process.exit(2);
  }
  const [fuzz] = await writeFuzzCases(fixturesDir, outDir, Number(seed), Number(index), 1);
  console.log(`${fuzz?.path}: ${fuzz?.base}, ${fuzz?.what}`);
}
