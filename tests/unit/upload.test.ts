import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { putBlob } from '../../utils/blob-store';
import { ConversionHost } from '../../utils/site/conversions';
import type { Engine } from '../../utils/engines/engine';

/** An upload to a server that takes the request and never answers. */
class UnansweredRequest {
  static made: UnansweredRequest[] = [];
  aborted = false;
  upload = { onprogress: null };
  onprogress = null;
  onload = null;
  onerror = null;
  constructor() {
    UnansweredRequest.made.push(this);
  }
  open() {}
  setRequestHeader() {}
  send() {}
  abort() {
    this.aborted = true;
  }
}

const unused: Engine = { convert: () => Promise.reject(new Error('not a conversion')) };

describe('the cloud upload in the offscreen document', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    { name: 'a Cancel of its job stops it', stallMs: 60_000, cancelAfterMs: 20, reply: { status: 0, body: null } },
    {
      name: 'it is given up when nothing moves for the stall limit',
      stallMs: 50,
      cancelAfterMs: undefined,
      reply: { status: 0, body: null, stalled: true },
    },
  ])('$name', async ({ stallMs, cancelAfterMs, reply }) => {
    UnansweredRequest.made = [];
    vi.stubGlobal('XMLHttpRequest', UnansweredRequest);
    await putBlob('inputs', 'video', new Blob(['video']));
    const host = new ConversionHost(unused, async () => {});
    const upload = host.upload({
      jobId: 'job',
      inputKey: 'video',
      fileName: 'clip.mp4',
      url: 'https://example.com/upload',
      headers: {},
      field: 'files',
      stallMs,
    });
    if (cancelAfterMs !== undefined) setTimeout(() => host.cancel('job'), cancelAfterMs);
    expect(await upload).toEqual(reply);
    expect(UnansweredRequest.made.map((request) => request.aborted)).toEqual([true]);
  });
});
