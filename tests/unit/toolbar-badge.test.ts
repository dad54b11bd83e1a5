import { describe, expect, it } from 'vitest';
import { badgeFor, TICK_MS } from '@/utils/jobs/toolbar-badge';
import type { Job, JobState } from '@/utils/jobs/job';
import type { HistoryEntry } from '@/utils/jobs/history';

const NOW = 1_000_000;
const SEEN_AT = NOW - 60_000;

function job(state: JobState, updatedAt = NOW): Job {
  return {
    id: `${state}-${updatedAt}`,
    sourceName: 'clip.mp4',
    outputName: 'clip.mp3',
    sourceSize: 1,
    engine: 'local',
    bitrate: 192,
    source: { kind: 'stored-file', inputKey: 'key' },
    state,
    progress: 0,
    attempts: 0,
    createdAt: 0,
    updatedAt,
  };
}

function landed(fileName: string, completedAt: number): HistoryEntry {
  return { id: fileName, fileName, sourceName: 'x.mp4', size: 1, durationSeconds: 1, completedAt, stored: true };
}

describe('the toolbar badge', () => {
  it.each<[string, Job[], HistoryEntry[], { text: string; title: string }]>([
    ['nothing going on', [], [], { text: '', title: 'Video to MP3' }],
    ['one job in progress', [job('converting')], [], { text: '1', title: 'Video to MP3: converting 1 video' }],
    [
      'queued, reading, converting and saving all count',
      [job('queued'), job('reading'), job('converting'), job('saving')],
      [],
      { text: '4', title: 'Video to MP3: converting 4 videos' },
    ],
    [
      'a failure since the popup was opened',
      [job('failed')],
      [],
      { text: '!', title: 'Video to MP3: 1 video failed, open the popup to see why' },
    ],
    [
      'interrupted jobs count as failed',
      [job('failed'), job('interrupted')],
      [],
      { text: '!', title: 'Video to MP3: 2 videos failed, open the popup to see why' },
    ],
    ['a failure the popup has shown', [job('failed', SEEN_AT - 1)], [], { text: '', title: 'Video to MP3' }],
    ['cancelled jobs show nothing', [job('cancelled')], [], { text: '', title: 'Video to MP3' }],
    [
      'jobs in progress and a failure',
      [job('converting'), job('converting'), job('failed')],
      [],
      { text: '2', title: 'Video to MP3: converting 2 videos; 1 video failed, open the popup to see why' },
    ],
    [
      'an MP3 that just landed',
      [],
      [landed('new.mp3', NOW - 1000), landed('old.mp3', NOW - 2000)],
      { text: '✓', title: 'Video to MP3: saved new.mp3' },
    ],
    ['an MP3 that landed a while ago', [], [landed('a.mp3', NOW - TICK_MS)], { text: '', title: 'Video to MP3' }],
    [
      'an MP3 that landed before the popup was opened',
      [],
      [landed('a.mp3', SEEN_AT - 1)],
      { text: '', title: 'Video to MP3' },
    ],
    [
      'jobs in progress hide the tick',
      [job('reading')],
      [landed('a.mp3', NOW - 1000)],
      { text: '1', title: 'Video to MP3: converting 1 video' },
    ],
    [
      'a failure outweighs the tick',
      [job('failed')],
      [landed('a.mp3', NOW - 1000)],
      { text: '!', title: 'Video to MP3: 1 video failed, open the popup to see why' },
    ],
  ])('%s', (_, jobs, history, expected) => {
    expect(badgeFor(jobs, history, SEEN_AT, NOW)).toMatchObject(expected);
  });

  it('says when the tick goes', () => {
    expect(badgeFor([], [landed('a.mp3', NOW - 1000)], SEEN_AT, NOW).changesAt).toBe(NOW - 1000 + TICK_MS);
    expect(badgeFor([job('failed')], [], SEEN_AT, NOW).changesAt).toBeUndefined();
  });
});
