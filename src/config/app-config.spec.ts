import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

/** Runs loadConfig and returns the ConfigError it throws (failing the test if it does not). */
function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('gives every setting a default when the environment is empty', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: undefined,
      smtpUrl: undefined,
      mailFrom: 'Convene <noreply@convene.local>',
      publicUrl: 'http://localhost:3000',
      adminToken: undefined,
      port: 3000,
      host: '0.0.0.0',
      publicRateLimit: 120,
      trustProxy: false,
      logLevel: 'info',
      env: 'development',
      dataDir: resolve('./.data'),
      embeddedPostgresPort: 54329,
      bodyLimitBytes: 1_048_576,
      shutdownGraceMs: 0,
      databasePoolSize: 10,
      mailWorker: true,
      mailWorkerConcurrency: 4,
      mailMaxAttempts: 8,
      eventReminderHours: 24,
      pagesSecret: undefined,
    });
  });

  it('reads and converts the values it is given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://convene:secret@db:5432/convene',
      SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      MAIL_FROM: 'noreply@example.org',
      PUBLIC_URL: 'https://events.example.org',
      ADMIN_TOKEN: 'a-long-random-admin-token',
      PORT: '8080',
      PUBLIC_RATE_LIMIT: '0',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      BODY_LIMIT_BYTES: '2048',
      SHUTDOWN_GRACE_MS: '5000',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://convene:secret@db:5432/convene',
      smtpUrl: 'smtps://user:pass@mail.example.org:465',
      mailFrom: 'noreply@example.org',
      publicUrl: 'https://events.example.org',
      adminToken: 'a-long-random-admin-token',
      port: 8080,
      publicRateLimit: 0,
      trustProxy: true,
      logLevel: 'debug',
      env: 'production',
      bodyLimitBytes: 2048,
      shutdownGraceMs: 5000,
      databasePoolSize: 20,
    });
  });

  it('treats an empty optional value as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', SMTP_URL: '', ADMIN_TOKEN: '' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.adminToken).toBeUndefined();
  });

  it.each([
    ['https://events.example.org/', 'https://events.example.org'],
    ['https://example.org/convene//', 'https://example.org/convene'],
    ['http://localhost:3000', 'http://localhost:3000'],
  ])('strips the trailing slash of PUBLIC_URL %s', (given, expected) => {
    expect(loadConfig({ PUBLIC_URL: given }).publicUrl).toBe(expected);
  });

  describe('refuses a wrong value with one line naming the variable', () => {
    it.each([
      ['DATABASE_URL', 'mysql://root:hunter2@db/convene'],
      ['DATABASE_URL', 'localhost:5432/convene'],
      ['SMTP_URL', 'http://mail.example.org'],
      ['PUBLIC_URL', 'events.example.org'],
      ['PUBLIC_URL', 'not a url'],
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '80.5'],
      ['ADMIN_TOKEN', 'too-short'],
      ['PUBLIC_RATE_LIMIT', '-1'],
      ['PUBLIC_RATE_LIMIT', 'lots'],
      ['LOG_LEVEL', 'loud'],
      ['NODE_ENV', 'staging'],
      ['BODY_LIMIT_BYTES', '10'],
      ['DATABASE_POOL_SIZE', '0'],
    ])('%s=%s', (name, value) => {
      const error = configErrorOf({ [name]: value });
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message).toMatch(new RegExp(`^Configuration error: ${name}\\b`));
    });

    it('without repeating a secret it was given', () => {
      expect(configErrorOf({ ADMIN_TOKEN: 'sekrit-tok' }).message).not.toContain('sekrit-tok');
      expect(configErrorOf({ DATABASE_URL: 'mysql://root:hunter2@db/x' }).message).not.toContain(
        'hunter2',
      );
    });

    it('names the first wrong variable when several are wrong', () => {
      const error = configErrorOf({ PORT: 'abc', LOG_LEVEL: 'loud' });
      expect(error.message).not.toMatch(/[\r\n]/);
      // Exactly one of the two is named: the message stays one short line.
      expect([/\bPORT\b/.test(error.message), /\bLOG_LEVEL\b/.test(error.message)]).toContainEqual(
        true,
      );
      expect(/\bPORT\b/.test(error.message)).not.toBe(/\bLOG_LEVEL\b/.test(error.message));
    });
  });

  it('refuses production without ADMIN_TOKEN, and accepts it with one', () => {
    const error = configErrorOf({ NODE_ENV: 'production' });
    expect(error.message).toContain('ADMIN_TOKEN');
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(
      loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-long-random-admin-token' }).env,
    ).toBe('production');
  });

  it('lets development run without ADMIN_TOKEN (main.ts generates one)', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).adminToken).toBeUndefined();
  });
});
