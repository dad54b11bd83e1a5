import { it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { launchExtension } from './helpers/browser';
import { chooseVideos } from './helpers/popup';

it('times', async () => {
  copyFileSync('bench/.media/bench-4min-v1.mp4', 'tests/e2e/.fixtures/zz-bench.mp4');
  const session = await launchExtension();
  const popup = await session.openPopup();
  for (const name of ['zz-bench.mp4', 'zz-bench (1).mp4']) {
    const t0 = Date.now();
    console.log('TIMING click');
    await chooseVideos(popup, ['zz-bench.mp4']);
    await session.waitForDownload(name.replace('.mp4', '.mp3'), 120_000);
    console.log('ms', Date.now() - t0);
  }
  await session.close();
});
