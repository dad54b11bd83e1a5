import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { ConversionRequest, Engine } from '../../utils/engines/engine';
import { DiskFullError, putBlob, spillTo } from '../../utils/blob-store';
import { ConversionHost, type Report } from '../../utils/site/conversions';
import type { MessageData } from '../../utils/messages';

const request = (jobId: string): MessageData<'site:convert'> => ({
  jobId,
  source: { kind: 'stored-file', inputKey: `in-${jobId}` },
  fileName: 'long.mp4',
  bitrate: 192,
  keepMp3Audio: false,
  normalizeLoudness: false,
  title: 'long',
});

describe('Retry of a local job whose run just failed', () => {
  it('starts at once, though the failed run is still cleaning up, and its parts survive that clean-up', async () => {
    await putBlob('inputs', 'in-job-retry', new Blob(['video']));
    const scratchKeys: (string | undefined)[] = [];
    const engine: Engine = {
      async convert(conversion: ConversionRequest) {
        scratchKeys.push(conversion.scratchKey);
        const part = await spillTo(conversion.scratchKey!)(new Blob(['a part of the MP3']));
        if (scratchKeys.length === 1) throw new DiskFullError(new Error('QuotaExceededError'));
        // The failed run deletes its parts after its report: the retry's must still be readable.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { mp3: new Blob([await part.text()]), durationSeconds: 1 };
      },
    };
    const outcomes: string[] = [];
    // The queue shows the failure, and the person presses Retry, before the failed run has finished.
    const report: Report = async (type, data) => {
      if (type === 'job:progress') return;
      outcomes.push(type);
      if (type === 'job:failed') host.start(request((data as { jobId: string }).jobId));
    };
    const host = new ConversionHost(engine, report);
    host.start(request('job-retry'));
    await vi.waitFor(() => expect(outcomes).toEqual(['job:failed', 'job:converted']), { timeout: 2000 });
    expect(new Set(scratchKeys).size).toBe(2);
    await vi.waitFor(() => expect(host.runningJobIds()).toEqual([]));
  });

  it('ignores a second start of a job that is running', async () => {
    await putBlob('inputs', 'in-job-twice', new Blob(['video']));
    let conversions = 0;
    const engine: Engine = {
      async convert() {
        conversions++;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { mp3: new Blob(['mp3']), durationSeconds: 1 };
      },
    };
    const host = new ConversionHost(engine, async () => undefined);
    host.start(request('job-twice'));
    host.start(request('job-twice'));
    await vi.waitFor(() => expect(host.runningJobIds()).toEqual([]));
    expect(conversions).toBe(1);
  });
});
