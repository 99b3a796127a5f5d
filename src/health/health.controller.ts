import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/auth.decorators';
import { ShutdownState } from './shutdown-state';

@ApiTags('health')
@Public({ rateLimited: false })
@Controller('health')
export class HealthController {
  private migrationsApplied = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownState,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: not stopping, database reachable, every migration applied. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const check = this.indicators.check('process');
        return this.shutdown.isDraining ? check.down('shutting down') : check.up();
      },
      () => this.database.pingCheck('database', { timeout: 1500 }),
      async () => {
        const check = this.indicators.check('migrations');
        // Migrations are never unapplied while we run, so one "all applied" is enough.
        this.migrationsApplied ||= !(await this.dataSource.showMigrations());
        return this.migrationsApplied ? check.up() : check.down('migrations pending');
      },
    ]);
  }
}
