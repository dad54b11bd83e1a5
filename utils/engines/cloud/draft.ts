import { draftViewSchema, TRACK_TYPES, type CloudState, type JsonObject } from './schemas';

export interface StateSummary {
  /** Whether there is something to export: some track has segments. */
  ready: boolean;
  trackCount: number;
  audioSegmentCount: number;
  durationSeconds: number;
}

function tracksOf(draft: JsonObject | undefined) {
  return draftViewSchema.parse(draft ?? {});
}

function hasSegments(draft: ReturnType<typeof tracksOf>): boolean {
  return draft.t.some((track) => track.sg.length > 0);
}

export function isDraftReady(draft: JsonObject | undefined): boolean {
  return hasSegments(tracksOf(draft));
}

/** What the project holds, for when the chat ends without a word (about 30% of edits). */
export function summarizeState(state: CloudState): StateSummary {
  const draft = tracksOf(state.draft);
  const trackDurations = draft.t.map((track) => track.sg.reduce((sum, segment) => sum + (segment.d ?? 0), 0));
  const durationMs = draft.d ?? Math.max(0, ...trackDurations);
  return {
    ready: hasSegments(draft),
    trackCount: draft.t.length,
    audioSegmentCount: draft.t
      .filter((track) => track.tt === TRACK_TYPES.audio)
      .reduce((count, track) => count + track.sg.length, 0),
    durationSeconds: durationMs / 1000,
  };
}
