import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.trim().toLowerCase()) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The environment as the service reads it; each key is documented in .env.example. */
class EnvironmentVariables {
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^(?:[^<>\r\n]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/, {
    message: 'must be an address such as "Convene <noreply@example.org>" or noreply@example.org',
  })
  MAIL_FROM = 'Convene <noreply@convene.local>';

  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message: 'must be an absolute http(s) URL such as https://events.example.org',
    },
  )
  PUBLIC_URL = 'http://localhost:3000';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters (use a long random value)' })
  ADMIN_TOKEN?: string;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number (requests per minute; 0 turns the limit off)' })
  @Min(0)
  PUBLIC_RATE_LIMIT = 120;

  @Transform(toBool)
  TRUST_PROXY = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsString()
  DATA_DIR = './.data';

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number' })
  @Min(1024)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT = 54329;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  SHUTDOWN_GRACE_MS = 0;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Whether this instance sends the outbox (any number of instances may). */
  @Transform(toBool)
  MAIL_WORKER = true;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number (emails sent in parallel, and SMTP connections)' })
  @Min(1)
  @Max(50)
  MAIL_WORKER_CONCURRENCY = 4;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number (send attempts before an email is failed)' })
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of hours (0 turns reminders off)' })
  @Min(0)
  @Max(24 * 30)
  EVENT_REMINDER_HOURS = 24;

  /** Signs the pages' CSRF tokens; when empty, derived from ADMIN_TOKEN (see pages/shared/csrf). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (use a long random value)' })
  PAGES_SECRET?: string;
}

export interface AppConfig {
  /** Undefined until the embedded PostgreSQL has been started (see database/embedded-postgres). */
  databaseUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  publicUrl: string;
  adminToken?: string;
  port: number;
  host: string;
  publicRateLimit: number;
  trustProxy: boolean;
  logLevel: string;
  env: 'development' | 'production' | 'test';
  dataDir: string;
  embeddedPostgresPort: number;
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  databasePoolSize: number;
  mailWorker: boolean;
  mailWorkerConcurrency: number;
  mailMaxAttempts: number;
  eventReminderHours: number;
  pagesSecret?: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/**
 * Reads and checks the environment once. A wrong value throws a ConfigError whose message is
 * one line naming the variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, { ...env }, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    const message = reason.startsWith(first.property) ? reason : `${first.property} ${reason}`;
    throw new ConfigError(`Configuration error: ${message}`);
  }
  if (vars.NODE_ENV === 'production' && !vars.ADMIN_TOKEN) {
    throw new ConfigError('Configuration error: ADMIN_TOKEN must be set when NODE_ENV=production');
  }
  return {
    databaseUrl: vars.DATABASE_URL,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    publicUrl: vars.PUBLIC_URL.replace(/\/+$/, ''),
    adminToken: vars.ADMIN_TOKEN,
    port: vars.PORT,
    host: vars.HOST,
    publicRateLimit: vars.PUBLIC_RATE_LIMIT,
    trustProxy: vars.TRUST_PROXY,
    logLevel: vars.LOG_LEVEL,
    env: vars.NODE_ENV as AppConfig['env'],
    dataDir: resolve(vars.DATA_DIR),
    embeddedPostgresPort: vars.EMBEDDED_POSTGRES_PORT,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    shutdownGraceMs: vars.SHUTDOWN_GRACE_MS,
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    mailWorker: vars.MAIL_WORKER,
    mailWorkerConcurrency: vars.MAIL_WORKER_CONCURRENCY,
    mailMaxAttempts: vars.MAIL_MAX_ATTEMPTS,
    eventReminderHours: vars.EVENT_REMINDER_HOURS,
    pagesSecret: vars.PAGES_SECRET,
  };
}
