/** A chapter of the source, in the source's time; a chapter without an end lasts until the next one. */
export interface Chapter {
  title: string;
  startSeconds: number;
  endSeconds?: number;
}

/** A chapter of the MP3, in milliseconds from its start, as ID3 CHAP frames hold it. */
export interface Mp3Chapter {
  title: string;
  startMs: number;
  endMs: number;
}

/**
 * The source's chapters in the MP3's time: the MP3 starts `offsetSeconds` into the source (a trim)
 * and lasts `durationSeconds`. Each ends where the next starts, the last at the MP3's end; what falls
 * outside is cut off, and a chapter left with nothing is dropped.
 */
export function chaptersInMp3(
  chapters: readonly Chapter[],
  offsetSeconds: number,
  durationSeconds: number,
): Mp3Chapter[] {
  const sorted = [...chapters].sort((a, b) => a.startSeconds - b.startSeconds);
  const durationMs = Math.round(durationSeconds * 1000);
  return sorted.flatMap((chapter, index) => {
    const end = chapter.endSeconds ?? sorted[index + 1]?.startSeconds ?? offsetSeconds + durationSeconds;
    const startMs = Math.max(0, Math.round((chapter.startSeconds - offsetSeconds) * 1000));
    const endMs = Math.min(durationMs, Math.round((end - offsetSeconds) * 1000));
    return endMs > startMs ? [{ title: chapter.title, startMs, endMs }] : [];
  });
}
