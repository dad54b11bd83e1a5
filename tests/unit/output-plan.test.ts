import { describe, expect, it } from 'vitest';
import { planOutputs, type OutputChoices, type SourceDescription } from '@/utils/outputs/output-plan';
import { languageName, trackLabel, trackNameForFile, type SoundTrack } from '@/utils/outputs/sound-tracks';

const english: SoundTrack = { index: 0, languageCode: 'eng', codec: 'aac', channels: 2 };
const french: SoundTrack = { index: 1, languageCode: 'fra', codec: 'opus', channels: 1 };
const commentary: SoundTrack = { index: 2, languageCode: 'und', name: 'Commentary', codec: 'ac3', channels: 6 };
const unnamed: SoundTrack = { index: 3, languageCode: 'und', channels: 0 };

describe('sound track labels', () => {
  it.each([
    ['eng', 'en', 'English'],
    ['fra', 'en', 'French'],
    ['fr', 'en', 'French'],
    ['eng', 'zh-CN', '英语'],
    ['und', 'en', undefined],
    ['', 'en', undefined],
    ['qqq', 'en', undefined],
  ])('language %s in %s → %s', (code, ui, expected) => {
    expect(languageName(code, ui)).toBe(expected);
  });

  it.each([
    [english, 'English (AAC, stereo)', 'English'],
    [french, 'French (Opus, mono)', 'French'],
    [commentary, 'Commentary (AC-3, 5.1)', 'Commentary'],
    [unnamed, 'Track 4', 'Track 4'],
    [{ ...english, name: 'Director' }, 'Director (AAC, stereo)', 'English'],
    [{ ...english, codec: 'pcm-s16', channels: 3 }, 'English (PCM, 3 channels)', 'English'],
  ])('%o → radio “%s”, file “%s”', (track, radio, file) => {
    expect(trackLabel(track, 'en')).toBe(radio);
    expect(trackNameForFile(track, 'en')).toBe(file);
  });
});

const chapters = [
  { title: 'Middle part', startSeconds: 1.5 },
  { title: 'Intro', startSeconds: 0.2 },
  { title: 'Outro', startSeconds: 3.25 },
];
const base: OutputChoices = {
  outputName: 'concert.mp3',
  soundTrack: 'default',
  splitChapters: false,
  trimmedOrFaded: false,
  uiLanguage: 'en',
};
const twoTracks: SourceDescription = { tracks: [english, french], chapters };

describe('planOutputs', () => {
  it.each<[string, Partial<OutputChoices>, SourceDescription, unknown]>([
    ['default: one MP3', {}, twoTracks, [{ fileName: 'concert.mp3' }]],
    [
      'all: one per track',
      { soundTrack: 'all' },
      twoTracks,
      [
        { fileName: 'concert (English).mp3', trackIndex: 0 },
        { fileName: 'concert (French).mp3', trackIndex: 1 },
      ],
    ],
    [
      'all in Chinese',
      { soundTrack: 'all', uiLanguage: 'zh-CN' },
      twoTracks,
      [
        { fileName: 'concert (英语).mp3', trackIndex: 0 },
        { fileName: 'concert (法语).mp3', trackIndex: 1 },
      ],
    ],
    [
      'all, two tracks in one language: told apart by their own names, else their numbers',
      { soundTrack: 'all' },
      {
        tracks: [
          english,
          { ...english, index: 1, name: 'Commentary' },
          { ...english, index: 2 },
          { ...french, index: 3 },
        ],
        chapters: [],
      },
      [
        { fileName: 'concert (English, Track 1).mp3', trackIndex: 0 },
        { fileName: 'concert (English, Commentary).mp3', trackIndex: 1 },
        { fileName: 'concert (English, Track 3).mp3', trackIndex: 2 },
        { fileName: 'concert (French).mp3', trackIndex: 3 },
      ],
    ],
    [
      'all, two tracks of one name and language: told apart by their numbers',
      { soundTrack: 'all' },
      {
        tracks: [
          { ...english, name: 'Main' },
          { ...english, index: 1, name: 'Main' },
        ],
        chapters: [],
      },
      [
        { fileName: 'concert (English, Track 1).mp3', trackIndex: 0 },
        { fileName: 'concert (English, Track 2).mp3', trackIndex: 1 },
      ],
    ],
    [
      'all with one track: as default',
      { soundTrack: 'all' },
      { tracks: [english], chapters: [] },
      [{ fileName: 'concert.mp3' }],
    ],
    [
      'ask with one track: no question',
      { soundTrack: 'ask' },
      { tracks: [english], chapters: [] },
      [{ fileName: 'concert.mp3' }],
    ],
    ['ask, chosen', { soundTrack: 'ask', chosenTrack: 1 }, twoTracks, [{ fileName: 'concert.mp3', trackIndex: 1 }]],
    [
      'chapters: from the very start, each to the next, the last to the end',
      { splitChapters: true },
      { tracks: [english], chapters },
      [
        {
          fileName: 'concert - 01 - Intro.mp3',
          trim: { endSeconds: 1.5 },
          chapter: { number: 1, total: 3, title: 'Intro' },
        },
        {
          fileName: 'concert - 02 - Middle part.mp3',
          trim: { startSeconds: 1.5, endSeconds: 3.25 },
          chapter: { number: 2, total: 3, title: 'Middle part' },
        },
        {
          fileName: 'concert - 03 - Outro.mp3',
          trim: { startSeconds: 3.25 },
          chapter: { number: 3, total: 3, title: 'Outro' },
        },
      ],
    ],
    [
      'chapters with a trim: one MP3',
      { splitChapters: true, trimmedOrFaded: true },
      twoTracks,
      [{ fileName: 'concert.mp3' }],
    ],
    [
      'one chapter: one MP3',
      { splitChapters: true },
      { tracks: [], chapters: [chapters[0]!] },
      [{ fileName: 'concert.mp3' }],
    ],
    [
      'untitled and illegal chapter titles, chapters starting together',
      { splitChapters: true },
      {
        tracks: [],
        chapters: [
          { title: ' ', startSeconds: 0 },
          { title: 'Q&A: why?', startSeconds: 2 },
          { title: 'again', startSeconds: 2 },
        ],
      },
      [
        {
          fileName: 'concert - 01 - Chapter 1.mp3',
          trim: { endSeconds: 2 },
          chapter: { number: 1, total: 2, title: 'Chapter 1' },
        },
        {
          fileName: 'concert - 02 - Q&A_ why_.mp3',
          trim: { startSeconds: 2 },
          chapter: { number: 2, total: 2, title: 'Q&A: why?' },
        },
      ],
    ],
  ])('%s', (_, choices, source, outputs) => {
    expect(planOutputs({ ...base, ...choices }, source)).toEqual({ kind: 'files', outputs });
  });

  it('ask with several tracks and no choice: the user chooses', () => {
    expect(planOutputs({ ...base, soundTrack: 'ask' }, twoTracks)).toEqual({
      kind: 'choose',
      tracks: [english, french],
    });
  });

  it('all and chapters: each track split into chapters', () => {
    const plan = planOutputs({ ...base, soundTrack: 'all', splitChapters: true }, twoTracks);
    expect(plan.kind === 'files' && plan.outputs.map((output) => output.fileName)).toEqual([
      'concert (English) - 01 - Intro.mp3',
      'concert (English) - 02 - Middle part.mp3',
      'concert (English) - 03 - Outro.mp3',
      'concert (French) - 01 - Intro.mp3',
      'concert (French) - 02 - Middle part.mp3',
      'concert (French) - 03 - Outro.mp3',
    ]);
  });
});
