/**
 * What the page's MAIN-world script knows about a video, asked for when the user clicks **Extract MP3**.
 * The two scripts share only the DOM, so the question and the answer are events on the video itself.
 */
export const ASK_EVENT = 'video-to-mp3:ask-stream';
export const ANSWER_EVENT = 'video-to-mp3:stream';

export type StreamFormat = 'hls' | 'dash';

export interface StreamNote {
  /** The manifest the page fetched for this video's MediaSource (or for its own source). */
  manifest?: { url: string; format: StreamFormat };
  /** The page's player asked for copy protection (an `encrypted` event, or `ContentProtection` in the MPD). */
  drm: boolean;
}

/** The kind of manifest a fetched text is, from how it starts: HLS playlists start `#EXTM3U`, DASH ones hold `<MPD`. */
export function manifestFormat(text: string): StreamFormat | undefined {
  const start = text.trimStart();
  if (start.startsWith('#EXTM3U')) return 'hls';
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<MPD[\s>]/.test(start.slice(0, 4096))) return 'dash';
  return undefined;
}

/** Asks the MAIN-world script about `video`; nothing when that script isn't there (an old tab). */
export function askAboutVideo(video: HTMLVideoElement): StreamNote | undefined {
  let answer: StreamNote | undefined;
  const listen = (event: Event) => {
    try {
      const detail = (event as CustomEvent<unknown>).detail;
      if (typeof detail === 'string') answer = JSON.parse(detail) as StreamNote;
    } catch {
      answer = undefined;
    }
  };
  video.addEventListener(ANSWER_EVENT, listen);
  // The MAIN-world listener answers during this dispatch: both run on the page's one thread.
  video.dispatchEvent(new CustomEvent(ASK_EVENT, { composed: true }));
  video.removeEventListener(ANSWER_EVENT, listen);
  return answer;
}
