import { afterEach, describe, expect, it, vi } from 'vitest';
import { POSTER_MAX_BYTES, readPoster } from '../../utils/site/poster';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9]);

function answer(response: Response | Error) {
  const fetch = vi.fn(() => (response instanceof Error ? Promise.reject(response) : Promise.resolve(response)));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const read = () => readPoster('https://cdn.example/poster.jpg', new AbortController().signal);

describe('readPoster', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('keeps a JPEG or a PNG as it is, by its bytes whatever the server calls it, fetched with the site’s cookies', async () => {
    const fetch = answer(new Response(JPEG, { headers: { 'Content-Type': 'image/webp' } }));
    expect(await read()).toEqual({ data: JPEG, mimeType: 'image/jpeg' });
    expect(fetch).toHaveBeenCalledWith(
      'https://cdn.example/poster.jpg',
      expect.objectContaining({ credentials: 'include' }),
    );
    answer(new Response(PNG));
    expect(await read()).toEqual({ data: PNG, mimeType: 'image/png' });
  });

  it('gives no cover, and no failure, for a poster that fails, is too big or is no image', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    answer(new Response('gone', { status: 404 }));
    expect(await read()).toBeUndefined();
    answer(new TypeError('Failed to fetch'));
    expect(await read()).toBeUndefined();
    answer(new Response(JPEG, { headers: { 'Content-Length': String(POSTER_MAX_BYTES + 1) } }));
    expect(await read()).toBeUndefined();
    // No Content-Length: the bytes are counted as they come.
    const big = new Uint8Array(POSTER_MAX_BYTES + 1);
    big.set(JPEG);
    answer(new Response(new Blob([big]).stream()));
    expect(await read()).toBeUndefined();
    // Node has no image decoder; in a browser this text fails to decode the same way.
    answer(new Response('<html>not an image</html>'));
    expect(await read()).toBeUndefined();
  });
});
