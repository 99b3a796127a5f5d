import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PUBLIC_KEY, PublicOptions } from './auth.decorators';

/**
 * Rate limits public routes per client address (PUBLIC_RATE_LIMIT a minute). Staff routes are
 * authenticated and not limited here; infrastructure routes opt out with rateLimited: false.
 */
@Injectable()
export class PublicThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const options = this.reflector.getAllAndOverride<Required<PublicOptions> | undefined>(
      PUBLIC_KEY,
      [context.getHandler(), context.getClass()],
    );
    return Promise.resolve(!options?.rateLimited);
  }

  /** One budget per client address across all public routes, not one per route. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }
}
