import { z } from 'zod';
import { storage } from 'wxt/utils/storage';

const creditsSchema = z.object({
  available: z.number(),
  frozen: z.number(),
  updatedAt: z.number(),
  /** Where an anonymous user with no credits left registers (with the `bind` id). */
  registrationUrl: z.string().optional(),
});
export type CloudCredits = z.infer<typeof creditsSchema>;

/** The last known NemoVideo credits, for the popup. Not secret: no token or id in it. */
export const creditsItem = storage.defineItem<CloudCredits | null>('local:cloud-credits', { fallback: null });
