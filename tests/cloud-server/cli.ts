// Runs the NemoVideo stand-in for development: tsx tests/cloud-server/cli.ts [--port 8787] [--host 127.0.0.1]
import { parseArgs } from 'node:util';
import { startNemoVideoServer } from './server.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8787' }, host: { type: 'string', default: '127.0.0.1' } },
});
const server = await startNemoVideoServer({ port: Number(values.port), host: values.host });
console.log(`NemoVideo stand-in listening on ${server.url}`);
console.log(
  `Switch faults with: curl -X POST ${server.url}/__faults -H 'Content-Type: application/json' -d '{"sseShape":"adk"}'`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
