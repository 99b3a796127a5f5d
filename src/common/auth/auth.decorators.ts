import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from './roles';

export const PUBLIC_KEY = 'convene:public';
export const ROLE_KEY = 'convene:role';

export interface PublicOptions {
  /** Public routes are rate limited per client address unless this is false (health, metrics). */
  rateLimited?: boolean;
}

/** Opens a route to callers without a token. Every other route needs one. */
export const Public = (options: PublicOptions = {}) =>
  SetMetadata(PUBLIC_KEY, { rateLimited: options.rateLimited ?? true });

/**
 * The least role a route needs. A route with neither @Public nor @Roles is admin-only, so a
 * forgotten decorator closes a route rather than opening it.
 */
export const Roles = (role: Role) => SetMetadata(ROLE_KEY, role);

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
