import { useEffect, useState } from 'react';
import { PeakTable } from '@/utils/engines/local/waveform/peaks';
import { readWaveform } from '@/utils/engines/local/waveform/waveform-reader';
import type { Chapter } from '@/utils/engines/local/chapters/chapter';
import type { WaveformFailure } from '@/utils/engines/local/waveform/waveform-messages';

export interface WaveformState {
  /** The sound's length as its container says, once it is open. */
  durationSeconds?: number;
  table?: PeakTable;
  /** How far the peaks reach; it grows while the sound is decoded, and each change redraws. */
  filledSeconds: number;
  /** The video's chapters, once read; empty when it has none. */
  chapters: Chapter[];
  done: boolean;
  failure?: WaveformFailure;
}

/** The file's waveform, filling in as its sound is decoded in a worker. */
export function useWaveform(file: File): WaveformState {
  const [state, setState] = useState<WaveformState>({ filledSeconds: 0, chapters: [], done: false });
  useEffect(() => {
    let table: PeakTable | undefined;
    const stop = readWaveform(file, (message) => {
      if (message.type === 'opened') {
        table = new PeakTable(message.peaksPerSecond);
        setState({ durationSeconds: message.durationSeconds, table, filledSeconds: 0, chapters: [], done: false });
      } else if (message.type === 'peaks') {
        table?.append(message.pairs);
        const filledSeconds = table?.knownSeconds ?? 0;
        setState((previous) => ({ ...previous, filledSeconds }));
      } else if (message.type === 'chapters') {
        setState((previous) => ({ ...previous, chapters: message.chapters }));
      } else {
        stop();
        const failure = message.type === 'failed' ? message.reason : undefined;
        setState((previous) => ({ ...previous, done: true, ...(failure ? { failure } : {}) }));
      }
    });
    return stop;
  }, [file]);
  return state;
}
