import { storage } from 'wxt/utils/storage';

export interface CloudCredits {
  available: number;
  frozen: number;
  updatedAt: number;
  /** Where an anonymous user with no credits left registers (with the `bind` id). */
  registrationUrl?: string;
}

/** The last known NemoVideo credits, for the popup. Not secret: no token or id in it. */
export const creditsItem = storage.defineItem<CloudCredits | null>('local:cloud-credits', { fallback: null });
