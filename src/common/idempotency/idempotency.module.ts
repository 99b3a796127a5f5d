import { Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKey } from './idempotency-key.entity';
import { IdempotencyService } from './idempotency.service';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Stored first answers for Idempotency-Key retries, purged hourly once past their keep time. */
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKey])],
  providers: [IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;

  constructor(private readonly idempotency: IdempotencyService) {}

  onApplicationBootstrap(): void {
    // Every instance purges; the DELETE is idempotent, so they need no coordination.
    this.timer = setInterval(() => {
      this.idempotency.purgeExpired().catch((error: unknown) => {
        this.logger.warn(`Purging expired idempotency keys failed: ${String(error)}`);
      });
    }, PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
