import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthGuard } from './common/auth/auth.guard';
import { PublicThrottlerGuard } from './common/auth/public-throttler.guard';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { TokensModule } from './tokens/tokens.module';
import { ParticipantsModule } from './participants/participants.module';
import { RegistrationExportsModule } from './participants/exports/registration-exports.module';
import { AttendanceModule } from './attendance/attendance.module';
import { PagesModule } from './pages/pages.module';
import { StaffPagesModule } from './pages/staff/staff-pages.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config),
        ThrottlerModule.forRoot({
          // Named 'default' so the answers carry the standard Retry-After and X-RateLimit-* headers.
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.publicRateLimit }],
          skipIf: () => config.publicRateLimit === 0,
        }),
        HealthModule,
        MetricsModule,
        EventsModule,
        TokensModule,
        ParticipantsModule,
        RegistrationExportsModule,
        NotificationsModule,
        AttendanceModule,
        PagesModule,
        StaffPagesModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: PublicThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
