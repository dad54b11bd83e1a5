import { describe, expect, it } from 'vitest';
import { baseName, mp3NameFor, mp3NameFromPattern, sanitizeFileName } from '@/utils/file-names';

const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('sanitizeFileName', () => {
  it.each([
    ['backslash', 'a\\b', 'a_b'],
    ['slash', 'a/b', 'a_b'],
    ['colon', 'a:b', 'a_b'],
    ['asterisk', 'a*b', 'a_b'],
    ['question mark', 'a?b', 'a_b'],
    ['double quote', 'a"b', 'a_b'],
    ['less than', 'a<b', 'a_b'],
    ['greater than', 'a>b', 'a_b'],
    ['pipe', 'a|b', 'a_b'],
    ['all of them', 'x\\/:*?"<>|y', 'x_________y'],
    ['NUL', 'a\u0000b', 'a_b'],
    ['tab', 'a\tb', 'a_b'],
    ['newline', 'a\nb', 'a_b'],
    ['unit separator', 'a\u001fb', 'a_b'],
    ['DEL', 'a\u007fb', 'a_b'],
  ])('replaces %s', (_label, input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it.each([
    ['song...', 'song'],
    ['song   ', 'song'],
    ['song. . .', 'song'],
    ['  song', 'song'],
    ['..song', 'song'],
    ['my   holiday  clip', 'my holiday clip'],
    ['v1.2 final', 'v1.2 final'],
  ])('trims dots and spaces at the ends: %j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it.each([
    ['CON', '_CON'],
    ['con', '_con'],
    ['Prn', '_Prn'],
    ['aux', '_aux'],
    ['NUL', '_NUL'],
    ['com1', '_com1'],
    ['COM9', '_COM9'],
    ['lpt1', '_lpt1'],
    ['con.', '_con'],
    [' nul ', '_nul'],
    ['nul.txt', '_nul.txt'],
    ['CON.tar.gz', '_CON.tar.gz'],
  ])('prefixes the Windows reserved name %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it.each(['console', 'com', 'auxiliary', 'lpt', 'my con', 'nullable'])('leaves %j alone', (input) => {
    expect(sanitizeFileName(input)).toBe(input);
  });

  it.each([
    ['', undefined, 'audio'],
    ['   ', undefined, 'audio'],
    ['...', undefined, 'audio'],
    [' . . ', undefined, 'audio'],
    ['', 'video', 'video'],
    ['..', 'clip', 'clip'],
  ])('falls back when nothing is left of %j', (input, fallback, expected) => {
    expect(sanitizeFileName(input, fallback)).toBe(expected);
  });

  it.each([
    ['假期视频 2024', '假期视频 2024'],
    ['会议记录：第一部分', '会议记录：第一部分'],
    ['日本語のファイル', '日本語のファイル'],
    ['Café déjà vu', 'Café déjà vu'],
    ['🎵 party', '🎵 party'],
  ])('keeps non-ASCII letters in %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it.each([
    ['ASCII', 'a'.repeat(500)],
    ['Chinese', '视'.repeat(500)],
  ])('cuts a long %s name to 180 characters', (_label, input) => {
    const result = sanitizeFileName(input);
    expect(result).toHaveLength(180);
    expect(input.startsWith(result)).toBe(true);
  });

  it.each([
    ['a dot', `${'a'.repeat(179)}.b`],
    ['a space', `${'a'.repeat(179)} b`],
    ['dots and spaces', `${'a'.repeat(177)}. . b`],
  ])('does not end with a dot or space when the cut lands on %s', (_label, input) => {
    expect(sanitizeFileName(input).slice(-5)).not.toMatch(/[. ]$/);
  });

  it.each([
    ['emoji after one ASCII letter', `a${'😀'.repeat(100)}`],
    ['emoji after Chinese', `视${'🎵'.repeat(100)}`],
  ])('does not split a surrogate pair when cutting %s', (_label, input) => {
    const result = sanitizeFileName(input);
    expect(result.length).toBeLessThanOrEqual(180);
    expect(hasLoneSurrogate(result), `ends with ${JSON.stringify(result.slice(-2))}`).toBe(false);
  });
});

describe('baseName', () => {
  it.each([
    ['clip.mp4', 'clip'],
    ['holiday.final.MOV', 'holiday.final'],
    ['no-extension', 'no-extension'],
    ['.hidden', '.hidden'],
    ['.hidden.mp4', '.hidden'],
    ['trailing.', 'trailing'],
    ['', ''],
    ['v1.2 talk', 'v1.2 talk'],
    ['Talk v1.2', 'Talk v1.2'],
    ['Release 2.10', 'Release 2.10'],
    ['show.ts', 'show'],
  ])('%j → %j', (input, expected) => {
    expect(baseName(input)).toBe(expected);
  });
});

describe('mp3NameFor', () => {
  it.each([
    ['clip.mp4', 'clip.mp3'],
    ['holiday.final.MOV', 'holiday.final.mp3'],
    ['already.mp3', 'already.mp3'],
    ['no-extension', 'no-extension.mp3'],
    ['.hidden', 'hidden.mp3'],
    ['假期视频.mp4', '假期视频.mp3'],
    ['what? "really".webm', 'what_ _really_.mp3'],
    ['con.mp4', '_con.mp3'],
    ['clip..mp4', 'clip.mp3'],
    ['', 'audio.mp3'],
    ['.mp4', 'mp4.mp3'],
    ['...mkv', 'audio.mp3'],
  ])('%j → %j', (input, expected) => {
    expect(mp3NameFor(input)).toBe(expected);
  });

  it.each([
    ['ASCII', `${'a'.repeat(400)}.mp4`],
    ['Chinese', `${'视'.repeat(400)}.mkv`],
  ])('keeps the .mp3 extension on a long %s name', (_label, input) => {
    const result = mp3NameFor(input);
    expect(result).toMatch(/\.mp3$/);
    expect(result).toHaveLength(180 + '.mp3'.length);
  });

  it('does not produce a lone surrogate when a long emoji name is cut', () => {
    const result = mp3NameFor(`a${'😀'.repeat(100)}.mp4`);
    expect(hasLoneSurrogate(result), `ends with ${JSON.stringify(result.slice(-6))}`).toBe(false);
  });
});

describe('mp3NameFromPattern', () => {
  const fields: FileNameFields = { title: 'clip', bitrate: 192, at: new Date(2026, 10, 25, 9, 5) };
  it.each([
    ['{title}', 'clip.mp3'],
    ['{title} - {date}', 'clip - 2026-11-25.mp3'],
    ['{date} {time} {title} ({bitrate})', '2026-11-25 09-05 clip (192k).mp3'],
    ['{title}: the {unknown} cut', 'clip_ the {unknown} cut.mp3'],
    ['a/b\\c', 'a_b_c.mp3'],
    ['...', 'clip.mp3'],
    ['{nothing}', '{nothing}.mp3'],
  ])('%j → %j', (pattern, expected) => {
    expect(mp3NameFromPattern(pattern, fields)).toBe(expected);
  });

  it.each([
    ['v0', 'clip V0.mp3'],
    ['v2', 'clip V2.mp3'],
    [320, 'clip 320k.mp3'],
  ] as const)('{bitrate} at %j gives %j', (bitrate, expected) => {
    expect(mp3NameFromPattern('{title} {bitrate}', { ...fields, bitrate })).toBe(expected);
  });

  it('replaces what a file name can’t hold, and gives the title when only dots and spaces are left', () => {
    expect(mp3NameFromPattern('???', { ...fields, title: 'holiday' })).toBe('___.mp3');
    expect(mp3NameFromPattern(' . ', { ...fields, title: 'a:b' })).toBe('a_b.mp3');
  });
});
