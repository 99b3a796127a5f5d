import { randomBytes } from 'node:crypto';
import { testDatabaseUrl, withDatabase } from './test-app';

export interface EmptyDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** A URL to the cluster's maintenance database, which may CREATE and DROP databases. */
export function adminDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_ADMIN_URL) return process.env.TEST_DATABASE_ADMIN_URL;
  const url = new URL(testDatabaseUrl());
  url.pathname = '/postgres';
  return url.toString();
}

/** A new, empty database on the test cluster (no tables, no migrations applied). */
export async function createEmptyDatabase(prefix = 'convene_scratch'): Promise<EmptyDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = adminDatabaseUrl();
  await withDatabase((db) => db.query(`CREATE DATABASE "${name}"`), admin);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withDatabase((db) => db.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), admin);
    },
  };
}
