import { baseName, sanitizeFileName } from '../file-names';
import type { Trim } from '../trim';
import { i18n } from '#i18n';
import { trackNamesForFiles, type SoundTrack, type SoundTrackMode } from './sound-tracks';

/** A chapter of the source, in the source's time. */
interface SourceChapter {
  title: string;
  startSeconds: number;
}

/** What a conversion needs to know of its source to plan its MP3s. */
export interface SourceDescription {
  tracks: SoundTrack[];
  chapters: SourceChapter[];
}

export interface OutputChoices {
  /** The MP3's name from the user's pattern, `concert.mp3`: the others are named after it. */
  outputName: string;
  soundTrack: SoundTrackMode;
  splitChapters: boolean;
  /** The track the user chose in the popup, by its index. */
  chosenTrack?: number;
  /** A trim or fades make one piece of the sound: it isn't split into chapters. */
  trimmedOrFaded: boolean;
  uiLanguage: string;
}

/** One MP3 the job makes. */
interface PlannedOutput {
  fileName: string;
  /** The sound track, by index; the default one when absent. */
  trackIndex?: number;
  /** The chapter's part of the sound, to the sample: each ends where the next begins. */
  trim?: Trim;
  /** The chapter's place, for the ID3 track number and the title. */
  chapter?: { number: number; total: number; title: string };
}

export type OutputPlan = { kind: 'choose'; tracks: SoundTrack[] } | { kind: 'files'; outputs: PlannedOutput[] };

/**
 * The chapters to split at: in order, the first from the very start, each ending where the next starts (the
 * last at the end of the sound), so the MP3s hold every sample once. Chapters starting together count once.
 */
function chapterPieces(chapters: readonly SourceChapter[]): { title: string; trim: Trim }[] {
  const starts = [...chapters]
    .sort((a, b) => a.startSeconds - b.startSeconds)
    .filter((chapter, index, sorted) => index === 0 || chapter.startSeconds > sorted[index - 1]!.startSeconds);
  return starts.map((chapter, index) => {
    const next = starts[index + 1];
    return {
      title: chapter.title,
      trim: {
        ...(index > 0 ? { startSeconds: chapter.startSeconds } : {}),
        ...(next ? { endSeconds: next.startSeconds } : {}),
      },
    };
  });
}

function tracksToMake(choices: OutputChoices, tracks: readonly SoundTrack[]): OutputPlan | (SoundTrack | undefined)[] {
  if (tracks.length < 2 || choices.soundTrack === 'default') return [undefined];
  if (choices.soundTrack === 'all') return [...tracks];
  const chosen = tracks.find((track) => track.index === choices.chosenTrack);
  return chosen ? [chosen] : { kind: 'choose', tracks: [...tracks] };
}

const pad = (value: number, total: number) => String(value).padStart(Math.max(2, String(total).length), '0');

/**
 * The MP3s one job makes: one, or one per sound track (`concert (English).mp3`), per chapter
 * (`concert - 01 - Intro.mp3`) or both; or, with **Ask**, that the user must first pick a track.
 */
export function planOutputs(choices: OutputChoices, source: SourceDescription): OutputPlan {
  const tracks = tracksToMake(choices, source.tracks);
  if (!Array.isArray(tracks)) return tracks;
  const pieces = choices.splitChapters && !choices.trimmedOrFaded ? chapterPieces(source.chapters) : [];
  const base = baseName(choices.outputName);
  const several = tracks.length > 1;
  const trackNames = several
    ? trackNamesForFiles(
        tracks.filter((track) => track !== undefined),
        choices.uiLanguage,
      )
    : [];
  const outputs = tracks.flatMap((track, trackNumber): PlannedOutput[] => {
    const trackName = several && track ? `${base} (${trackNames[trackNumber]!})` : base;
    const trackIndex = track && { trackIndex: track.index };
    if (pieces.length < 2) return [{ fileName: `${sanitizeFileName(trackName)}.mp3`, ...trackIndex }];
    return pieces.map(({ title, trim }, index) => {
      const number = index + 1;
      const chapterTitle = title.trim() || i18n.t('tracks.chapter', { number });
      return {
        fileName: `${sanitizeFileName(`${trackName} - ${pad(number, pieces.length)} - ${chapterTitle}`)}.mp3`,
        ...trackIndex,
        trim,
        chapter: { number, total: pieces.length, title: chapterTitle },
      };
    });
  });
  return { kind: 'files', outputs };
}
