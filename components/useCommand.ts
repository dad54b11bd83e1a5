import { i18n } from '#i18n';
import { useState } from 'react';
import type { CommandReply } from '@/utils/messages';

/** Runs a background command and keeps its error (already in plain words) for a `role="alert"`. */
export function useCommand() {
  const [error, setError] = useState<string>();
  const run = async (command: () => Promise<CommandReply>) => {
    setError(undefined);
    try {
      const reply = await command();
      if (!reply.ok) setError(reply.error);
    } catch {
      setError(i18n.t('commandFailed'));
    }
  };
  return { error, run };
}
