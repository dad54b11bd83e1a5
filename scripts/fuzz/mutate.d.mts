export interface WrittenFuzzCase {
  /** File name: fuzz-<seed>-<index>-<base clip>. */
  name: string;
  base: string;
  /** The mutations, in words. */
  what: string;
  index: number;
  path: string;
  size: number;
}

export declare const FUZZ_BASES: string[];
export declare function writeFuzzCases(fixturesDir: string, outDir: string, seed: number, start: number, count: number): Promise<WrittenFuzzCase[]>;
