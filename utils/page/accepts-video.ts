const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi', '.ts', '.mts', '.m2ts'];

/** Whether a file input's `accept` lets the user choose a video (no `accept` accepts anything). */
export function acceptsVideo(accept: string | null): boolean {
  if (accept === null || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .some(
      (token) =>
        token === '*/*' || token === 'video/*' || token.startsWith('video/') || VIDEO_EXTENSIONS.includes(token),
    );
}

export const VIDEO_LINK_PATTERNS = VIDEO_EXTENSIONS.slice(0, 6).flatMap((extension) => [
  `*://*/*${extension}`,
  `*://*/*${extension}?*`,
]);
