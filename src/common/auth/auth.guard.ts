import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error';
import { AuthenticatedRequest, PUBLIC_KEY, ROLE_KEY } from './auth.decorators';
import { Role, roleSatisfies } from './roles';
import { TOKEN_AUTHENTICATOR, TokenAuthenticator } from './token-authenticator';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Global guard: every route needs a staff token of a sufficient role unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_AUTHENTICATOR) private readonly tokens: TokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(PUBLIC_KEY, targets)) return true;
    const required =
      this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets) ?? 'admin';

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!secret) {
      throw new DomainError(
        'unauthenticated',
        'TOKEN_MISSING',
        'Send a staff token as Authorization: Bearer <token>.',
      );
    }
    const principal = await this.tokens.authenticate(secret);
    if (!principal) {
      throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'The token is unknown or revoked.');
    }
    if (!roleSatisfies(principal.role, required)) {
      throw new DomainError(
        'forbidden',
        'ROLE_TOO_WEAK',
        `This needs the ${required} role; the token has ${principal.role}.`,
      );
    }
    if (principal.eventSlug !== null) {
      const slug = (request.params as Record<string, string | undefined>).slug;
      if (slug !== principal.eventSlug) {
        throw new DomainError(
          'forbidden',
          'TOKEN_LIMITED_TO_EVENT',
          `This token is limited to the event ${principal.eventSlug}.`,
        );
      }
    }
    request.principal = principal;
    return true;
  }
}
