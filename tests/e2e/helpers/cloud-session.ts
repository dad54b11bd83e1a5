import { startNemoVideoServer, type NemoVideoServer } from '../../cloud-server/server';
import { launchExtension, type ExtensionSession } from './browser';
import { changeSettings } from './options';

export interface StandInCloud {
  server: NemoVideoServer;
  session: ExtensionSession;
  /** What the extension's pages logged and threw, for a failing test to print. */
  consoleLines: string[];
  close(): Promise<void>;
}

/** The extension with the cloud engine on, talking to a fresh NemoVideo stand-in server. */
export async function launchWithStandInCloud(): Promise<StandInCloud> {
  const server = await startNemoVideoServer();
  const session = await launchExtension();
  const consoleLines: string[] = [];
  session.context.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  session.context.on('weberror', (error) => consoleLines.push(`weberror: ${error.error().message}`));
  await changeSettings(session, { cloudBaseUrl: server.url, engine: 'cloud' });
  return {
    server,
    session,
    consoleLines,
    async close() {
      await session.close();
      await server.close();
    },
  };
}
