import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { ShutdownState } from './health/shutdown-state';
import { createLogger, PinoLoggerService } from './logging/pino-logger';
import { randomToken } from './common/auth/token-secrets';

const logger = new Logger('Convene');

/** Without ADMIN_TOKEN (development only) a generated one is kept under the data directory. */
async function ensureAdminToken(config: AppConfig): Promise<void> {
  if (config.adminToken) return;
  const file = join(config.dataDir, 'admin-token');
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${randomToken(32)}\n`, { mode: 0o600 });
  }
  config.adminToken = (await readFile(file, 'utf8')).trim();
  logger.log(`ADMIN_TOKEN is not set: using the generated admin token in ${file}`);
}

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const pinoLogger = createLogger(config.logLevel);
  Logger.overrideLogger(new PinoLoggerService(pinoLogger));
  await ensureAdminToken(config);

  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({
      directory: join(config.dataDir, 'postgres'),
      port: config.embeddedPostgresPort,
      database: 'convene',
      persistent: true,
    });
    config.databaseUrl = embedded.url;
  }

  const app = await createApp(config, pinoLogger);
  await app.listen({ port: config.port, host: config.host });
  logger.log(
    `Convene is listening on ${config.publicUrl} (port ${config.port}); API docs at /docs`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: no longer ready; finishing in-flight requests`);
    app.get(ShutdownState).beginDraining();
    // Give the load balancer time to see /health/ready fail before the port closes.
    await new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs));
    await app.close();
    await embedded?.stop();
    logger.log('Stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void stop(signal));
  }
}

bootstrap().catch((error: unknown) => {
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
