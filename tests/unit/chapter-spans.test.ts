import { describe, expect, it } from 'vitest';
import { chapterSpans } from '../../components/editor/chapterSpans';

describe('the chapters as the editor shows them', () => {
  it.each([
    [
      'each ends where the next starts, the last at the end',
      [
        { title: 'B', startSeconds: 60 },
        { title: 'A', startSeconds: 0 },
      ],
      [
        { title: 'A', start: 0, end: 60 },
        { title: 'B', start: 60, end: 90 },
      ],
    ],
    [
      'cut to the sound; one past its end is dropped',
      [
        { title: 'A', startSeconds: -1, endSeconds: 10 },
        { title: 'B', startSeconds: 10, endSeconds: 120 },
        { title: 'C', startSeconds: 95 },
      ],
      [
        { title: 'A', start: 0, end: 10 },
        { title: 'B', start: 10, end: 90 },
      ],
    ],
    [
      'one without a title is called by its number',
      [
        { title: 'A', startSeconds: 0 },
        { title: '  ', startSeconds: 30.5 },
      ],
      [
        { title: 'A', start: 0, end: 30.5 },
        { title: 'Chapter 2', start: 30.5, end: 90 },
      ],
    ],
    ['none', [], []],
  ])('%s', (_name, chapters, spans) => {
    expect(chapterSpans(chapters, 90)).toEqual(spans);
  });
});
