import { oneAtATime } from '../../one-at-a-time';

/** Two pumps at once (a job failing while another is added, say) would each see the same free slot and both fill it. */
const onePumpAtATime = oneAtATime();
let fillSlots: (() => Promise<void>) | undefined;

/**
 * Starts queued jobs while there is room; every part of the queue calls it once a job may have
 * left a slot. What it runs is handed in by the queue (`pumpWith`): starting a job leads to saving
 * it, and saving pumps again, so the parts can't import the scheduler that starts jobs.
 */
export function pump(): Promise<void> {
  return onePumpAtATime(() => {
    if (!fillSlots) throw new Error('The job queue pumped before it was given its scheduler');
    return fillSlots();
  });
}

export function pumpWith(fill: () => Promise<void>): void {
  fillSlots = fill;
}
