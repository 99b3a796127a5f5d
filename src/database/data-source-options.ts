import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ApiToken } from '../tokens/api-token.entity';
import { Event } from '../events/event.entity';
import { EventSession } from '../events/sessions/event-session.entity';
import { Email } from '../notifications/email.entity';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { CheckInAttempt } from '../attendance/check-in-attempt.entity';
import { CheckIn } from '../attendance/check-in.entity';
import { OnlineAttendanceRow } from '../attendance/online-attendance-row.entity';
import { OnlineAttendance } from '../attendance/online-attendance.entity';
import { OnlineJoin } from '../attendance/online-join.entity';
import { AttendanceTallyKey } from '../attendance/summary/attendance-tally-key.entity';
import { AttendanceTally } from '../attendance/summary/attendance-tally.entity';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity';
import { Delegation } from '../participants/delegation.entity';
import { RegistrationSession } from '../participants/registration-session.entity';
import { Registration } from '../participants/registration.entity';

/** Every entity of the service, in one place, for the app, the CLI and the drift check alike. */
export const ENTITIES = [
  Event,
  EventSession,
  ApiToken,
  Registration,
  RegistrationSession,
  Delegation,
  IdempotencyKey,
  Email,
  CheckIn,
  CheckInAttempt,
  OnlineJoin,
  OnlineAttendanceRow,
  OnlineAttendance,
  AttendanceTallyKey,
  AttendanceTally,
];

// Compiled code loads dist/migrations/*.js; tests and tools running the TypeScript load *.ts.
const MIGRATIONS = join(
  __dirname,
  '..',
  '..',
  'migrations',
  __filename.endsWith('.ts') ? '*.ts' : '*.js',
);

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [MIGRATIONS],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: 'convene',
    // At least 2: one connection holds the migration lock while another migrates.
    poolSize: Math.max(2, poolSize),
    extra: {
      // Connections once opened stay open (pg's default closes them after 10 s idle): a burst
      // after a quiet spell (the doors open, registration opens) otherwise starts by opening
      // them all at once; in check-in-rush's paced run that cost its first 3-4 s (p50 ~500 ms).
      min: Math.max(2, poolSize),
      // TCP keep-alive, so that an idle connection dropped by the network is noticed.
      keepAlive: true,
    },
  };
}
