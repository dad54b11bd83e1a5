import { mountExtractButtons } from '@/utils/page/extract-controller';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*', 'file:///*'],
  allFrames: true,
  runAt: 'document_idle',
  main(ctx) {
    mountExtractButtons(ctx);
  },
});
