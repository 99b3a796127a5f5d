import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * The data source the TypeORM CLI loads (`typeorm -d dist/src/database/data-source.js ...`).
 * The service builds its own from the same options; see database.module.ts.
 */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/convene'),
);
