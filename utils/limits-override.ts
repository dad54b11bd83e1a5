import { storage } from 'wxt/utils/storage';
import { DEFAULT_LIMITS, limitsSchema, type Limits } from './limits';

// Apart from utils/limits.ts: defining a storage item reads it at once, and the offscreen document,
// which needs only the defaults, has no storage to read.

/**
 * Shorter limits for tests, which can't wait minutes for a timeout. Nothing in the UI writes it;
 * anything unreadable in it is ignored.
 */
export const limitsOverrideItem = storage.defineItem<unknown>('local:limits', { fallback: {} });

export async function currentLimits(): Promise<Limits> {
  const override = limitsSchema.partial().safeParse(await limitsOverrideItem.getValue());
  return { ...DEFAULT_LIMITS, ...(override.success ? override.data : {}) };
}
