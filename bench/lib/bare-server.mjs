// The bare baseline for http-floor: plain Fastify (the copy @nestjs/platform-fastify installs)
// answering fixed JSON bodies. Run as a child: node bare-server.mjs <port> <routes.json>
// where routes.json is [{ "path": ..., "status": ..., "contentType": ..., "body": "<text>" }].
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';

const [port, routesFile] = process.argv.slice(2);
const routes = JSON.parse(await readFile(routesFile, 'utf8'));
const app = Fastify({ logger: false });
for (const route of routes) {
  app.get(route.path, (_request, reply) => {
    reply.code(route.status).header('content-type', route.contentType).send(route.body);
  });
}
app.get('/ready', () => ({ status: 'ok' }));
await app.listen({ port: Number(port), host: '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
