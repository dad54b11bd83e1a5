import { z } from 'zod';

/** How long the extension waits on something before it gives up on it and offers Retry. */
export const limitsSchema = z.object({
  /** A local job (downloading its video or converting) that makes no progress for this long is stopped. */
  localStallMs: z.number().positive(),
  /** One request to NemoVideo with no reply in this time counts as a network failure. */
  cloudRequestMs: z.number().positive(),
  /** A chat stream that sends nothing, not even a heartbeat, for this long is broken. */
  cloudStreamIdleMs: z.number().positive(),
  /** A render that hasn't completed in this time is given up. */
  cloudExportMs: z.number().positive(),
});
export type Limits = z.infer<typeof limitsSchema>;

export const DEFAULT_LIMITS: Limits = {
  localStallMs: 60_000,
  cloudRequestMs: 30_000,
  cloudStreamIdleMs: 120_000,
  cloudExportMs: 10 * 60_000,
};
