/** The `<video poster>` image made the MP3's cover: JPEG or PNG as ID3 readers expect them. */
export interface PosterImage {
  data: Uint8Array;
  mimeType: 'image/jpeg' | 'image/png';
}

/** A poster is a still picture; anything larger is not worth a cover, and is left out. */
export const POSTER_MAX_BYTES = 5 * 1024 * 1024;
const POSTER_TIMEOUT_MS = 15_000;
const JPEG_QUALITY = 0.9;

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, index) => bytes[index] === byte);

/** The bytes, read until they pass the size bound (then nothing: a cover is never worth a big download). */
async function boundedBytes(response: Response): Promise<Uint8Array | undefined> {
  if (Number(response.headers.get('Content-Length')) > POSTER_MAX_BYTES || !response.body) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > POSTER_MAX_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Another image format (WebP, AVIF, GIF…) drawn again as a JPEG of the same size. */
async function asJpeg(bytes: Uint8Array): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2D canvas for the poster');
    context.drawImage(bitmap, 0, 0);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    return new Uint8Array(await jpeg.arrayBuffer());
  } finally {
    bitmap.close();
  }
}

/**
 * The poster, fetched as the page's player fetches its pieces (the site's cookies; the Referer from the
 * job's header rule). A poster that doesn't load, is too big or isn't an image means no cover, never a
 * failed job; nothing of the video itself is fetched for it.
 */
export async function readPoster(url: string, signal: AbortSignal): Promise<PosterImage | undefined> {
  try {
    const response = await fetch(url, {
      credentials: 'include',
      signal: AbortSignal.any([signal, AbortSignal.timeout(POSTER_TIMEOUT_MS)]),
    });
    if (!response.ok) return undefined;
    const bytes = await boundedBytes(response);
    if (!bytes || bytes.byteLength === 0) return undefined;
    if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { data: bytes, mimeType: 'image/jpeg' };
    if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { data: bytes, mimeType: 'image/png' };
    return { data: await asJpeg(bytes), mimeType: 'image/jpeg' };
  } catch (error) {
    if (!signal.aborted) console.warn('The video’s poster could not be used as the cover', error);
    return undefined;
  }
}
