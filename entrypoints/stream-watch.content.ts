import { watchStreams } from '@/utils/page/stream-watch';

/** In the page's own world from the start, to see the manifests its player fetches (see utils/page/stream-watch.ts). */
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*', 'file:///*'],
  allFrames: true,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    watchStreams(window);
  },
});
