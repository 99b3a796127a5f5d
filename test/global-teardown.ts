import type { EmbeddedDatabase } from '../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __conveneTestDb__?: EmbeddedDatabase }).__conveneTestDb__?.stop();
}
