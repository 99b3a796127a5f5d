import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Any fixed 64-bit number: every Convene instance agrees on it. */
const MIGRATION_LOCK_KEY = '4206230601';

/**
 * Applies pending migrations while holding a session-level advisory lock, so instances that
 * start together take turns: the first migrates, the others find nothing left to do.
 */
export async function runMigrationsUnderLock(dataSource: DataSource): Promise<void> {
  const logger = new Logger('Migrations');
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      logger.log(
        `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      );
    }
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lockHolder.release();
  }
}
