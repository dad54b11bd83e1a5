import { StallWatch } from '../../timing/stall-watch';

/** Where a multipart upload goes: the client gives it, the conversion site sends the file there. */
export interface UploadTarget {
  url: string;
  headers: Record<string, string>;
  /** The form field the file goes in. */
  field: string;
}

/** What came back: `status` 0 is no reply; `stalled` when that is because nothing moved for `stallMs`. */
export interface UploadReply {
  status: number;
  body: unknown;
  stalled?: boolean;
}

/**
 * Sends `file` to `target` as multipart form data. It runs where XMLHttpRequest is (the conversion
 * site, not the service worker), as XMLHttpRequest reports upload progress and fetch doesn't.
 * An upload that makes no progress and gets no reply for `stallMs` is given up (`stalled`).
 */
export function sendMultipart(
  { url, headers, field }: UploadTarget,
  file: { blob: Blob; name: string },
  { stallMs, onProgress, signal }: { stallMs: number; onProgress: (share: number) => void; signal?: AbortSignal },
): Promise<UploadReply> {
  const form = new FormData();
  form.append(field, file.blob, file.name);
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    const stall = new StallWatch(stallMs);
    const finish = (reply: UploadReply) => {
      stall.clear();
      signal?.removeEventListener('abort', cancel);
      resolve(reply);
    };
    const cancel = () => {
      request.abort();
      finish({ status: 0, body: null });
    };
    signal?.addEventListener('abort', cancel, { once: true });
    void stall.stopped.catch(() => {
      request.abort();
      finish({ status: 0, body: null, stalled: true });
    });
    const moved = () => stall.touch();
    request.open('POST', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      moved();
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onprogress = moved;
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      finish({ status: request.status, body });
    };
    request.onerror = () => finish({ status: 0, body: null });
    request.send(form);
  });
}
