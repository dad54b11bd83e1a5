export interface GoodExpectation {
  ok: true;
  sampleRate: number;
  channels: number;
  sourceAudioSeconds: number;
  onsetSeconds: number;
  /** Just after the last sample above the onset threshold: where the last tone burst stops. */
  endOfSoundSeconds: number;
}

export interface BadExpectation {
  ok: false;
}

export interface Fixture {
  name: string;
  path: string;
  expect: GoodExpectation | BadExpectation;
}

export interface ClipSpec {
  name: string;
  sampleRate: number;
  layout: 'mono' | 'stereo' | '5.1';
  video: string[];
  audio: string[];
  expectSampleRate?: number;
  /** Length in seconds; CLIP_SECONDS when absent. */
  seconds?: number;
}

export interface BadSpec {
  name: string;
  write: (path: string) => Promise<void>;
}

export declare const CLIP_SECONDS: number;
export declare const ONSET_SECONDS: number;
export declare const ONSET_THRESHOLD: number;
export declare const CLIP_SPECS: ClipSpec[];
export declare const BAD_SPECS: BadSpec[];

export declare function makeFixtures(dir: string): Promise<Fixture[]>;
export declare function probeAudioSeconds(path: string): Promise<number>;
export declare function decodeMono(path: string): Promise<{ samples: Float32Array; sampleRate: number }>;
export declare function findOnsetSeconds(samples: Float32Array, sampleRate: number, threshold?: number): number;
export declare function findEndOfSoundSeconds(samples: Float32Array, sampleRate: number, threshold?: number): number;
export declare function seededBytes(seed: number, length: number): Uint8Array;
