import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Serves fixtures at `/held/<name>`: the headers and the first bytes at once, the rest only when the
 * test calls release(name), so a job stays in progress for as long as a test needs. `/refused/<name>`
 * answers 403.
 */
export async function startHeldVideos(fixturesDir: string) {
  const releases = new Map<string, () => void>();
  const held = new Map<string, Promise<void>>();
  const gate = (name: string) => {
    if (!held.has(name)) held.set(name, new Promise<void>((resolve) => releases.set(name, resolve)));
    return held.get(name)!;
  };
  const requested = new Set<string>();
  const server = createServer((request, response) => {
    const [, route, name = ''] = new URL(request.url ?? '/', 'http://localhost').pathname.split('/');
    if (route === 'refused') return void response.writeHead(403).end('Forbidden');
    if (route !== 'held') return void response.writeHead(404).end();
    const bytes = readFileSync(join(fixturesDir, name.replace(/[/\\]/g, '')));
    requested.add(name);
    response.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': bytes.length });
    response.write(bytes.subarray(0, 1024));
    void gate(name).then(() => response.end(bytes.subarray(1024)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Whether the extension has started downloading `name`. */
    requested: (name: string) => requested.has(name),
    release(name: string) {
      void gate(name);
      releases.get(name)!();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
