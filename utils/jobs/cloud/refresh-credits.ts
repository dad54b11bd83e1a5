import type { NemoVideoClient } from '../../engines/cloud/client';
import { registrationLink } from '../../engines/cloud/errors';
import { credentialStore } from '../../engines/cloud/credential-store';
import { creditsItem } from '../../engines/cloud/credits';
import { createClient } from './connect';

/** Reads the NemoVideo credits for the popup; a failure to read them is only logged. */
export async function refreshCredits(client?: NemoVideoClient): Promise<void> {
  try {
    const active = client ?? (await createClient());
    const credits = await active.credits();
    const { userId } = await credentialStore.get();
    await creditsItem.setValue({
      available: credits.available,
      frozen: credits.frozen,
      updatedAt: Date.now(),
      ...(userId ? { registrationUrl: registrationLink(userId) } : {}),
    });
  } catch (error) {
    console.warn('Could not read NemoVideo credits', error);
  }
}
