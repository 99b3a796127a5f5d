import { Logger } from '@nestjs/common';
import { startScratchPostgres } from '../src/database/scratch-database';
import { CLIENT_BUILD_DIR } from '../src/pages/shared/assets.service';
import { buildClient } from '../src/pages/staff/build-client';

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL if given, otherwise an embedded
 * cluster in a temporary directory. The first app a test boots applies the real migrations.
 */
export default async function globalSetup(): Promise<void> {
  // The pages' client bundles, served as assets by every app a test boots.
  await buildClient(CLIENT_BUILD_DIR);
  if (process.env.TEST_DATABASE_URL) return;
  Logger.overrideLogger(['error', 'warn']);
  const cluster = await startScratchPostgres('convene_test');
  process.env.TEST_DATABASE_URL = cluster.url;
  process.env.TEST_DATABASE_ADMIN_URL = cluster.adminUrl;
  (globalThis as { __conveneTestDb__?: typeof cluster }).__conveneTestDb__ = cluster;
}
