import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Query } from 'typeorm/driver/Query';
import { dataSourceOptions } from '../data-source-options';
import { startScratchPostgres } from '../scratch-database';

export interface SchemaDiff {
  up: Query[];
  down: Query[];
}

/**
 * Applies every migration to a database (DATABASE_URL, or a throwaway embedded one) and asks
 * TypeORM what the entities still want changed. Empty means migrations and entities agree.
 */
export async function diffEntitiesAgainstMigrations(): Promise<SchemaDiff> {
  Logger.overrideLogger(['error', 'warn']);
  const scratch = process.env.DATABASE_URL
    ? undefined
    : await startScratchPostgres('convene_schema');
  const url = scratch ? scratch.url : (process.env.DATABASE_URL as string);
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries, down: sql.downQueries };
  } finally {
    await dataSource.destroy();
    await scratch?.stop();
  }
}
