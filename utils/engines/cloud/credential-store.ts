import { openDB } from 'idb';
import type { CloudCredentials, CredentialStore } from './client';

const KEY = 'anonymous';

const database = () =>
  openDB('video-to-mp3-cloud', 1, {
    upgrade(db) {
      db.createObjectStore('credentials');
    },
  });

/**
 * The NemoVideo client id and token, in the extension's IndexedDB: unlike chrome.storage.local,
 * content scripts and pages can't read it.
 */
export const credentialStore: CredentialStore = {
  async get(): Promise<CloudCredentials> {
    return ((await (await database()).get('credentials', KEY)) as CloudCredentials | undefined) ?? {};
  },
  async set(credentials: CloudCredentials): Promise<void> {
    await (await database()).put('credentials', credentials, KEY);
  },
};
