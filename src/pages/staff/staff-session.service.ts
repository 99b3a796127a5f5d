import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleSatisfies, type Principal, type Role } from '../../common/auth/roles';
import {
  TOKEN_AUTHENTICATOR,
  type TokenAuthenticator,
} from '../../common/auth/token-authenticator';
import { DomainError } from '../../common/errors/domain-error';
import { readCookies, setCookie } from '../shared/security';

export const STAFF_COOKIE = 'cvn_staff';
/** A working day and a half: a desk signed in the evening before still works at the door. */
const SESSION_SECONDS = 36 * 3600;

/** Why a staff page refuses a principal: no session, too weak a role, another event. */
export type StaffRefusal = 'signed_out' | 'role' | 'event';

/** A staff page or desk route reached without an acceptable session. */
export class StaffSessionError extends DomainError {
  constructor(readonly refusal: StaffRefusal) {
    super(
      refusal === 'signed_out' ? 'unauthenticated' : 'forbidden',
      refusal === 'signed_out'
        ? 'STAFF_SIGNED_OUT'
        : refusal === 'role'
          ? 'ROLE_TOO_WEAK'
          : 'TOKEN_LIMITED_TO_EVENT',
      refusal === 'signed_out'
        ? 'Sign in with a staff token first.'
        : refusal === 'role'
          ? 'This staff token may not use this page.'
          : 'This staff token is limited to another event.',
    );
  }
}

/**
 * Staff sessions of the desk and the console. The token a person pastes into the sign-in form
 * is kept in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), so page JavaScript can
 * never read it, another site's page never sends it, and it never appears in a URL. Each
 * request authenticates it again with the tokens service (cached there for 10 s), so revoking
 * a token ends its sessions as it ends its API use. The role rules are the API's: `checkin`
 * for the desk, `organiser` for the console, and an event-limited token reaches only its event.
 */
@Injectable()
export class StaffSessionService {
  constructor(@Inject(TOKEN_AUTHENTICATOR) private readonly tokens: TokenAuthenticator) {}

  /** The signed-in principal, or null (no cookie, or a token that is unknown or revoked). */
  async principalOf(request: FastifyRequest): Promise<Principal | null> {
    const secret = readCookies(request).get(STAFF_COOKIE);
    if (!secret || secret.length > 200) return null;
    return this.tokens.authenticate(secret);
  }

  /** The principal if it may act with `role` (on the event `slug` when given), else throws. */
  async require(request: FastifyRequest, role: Role, slug?: string): Promise<Principal> {
    const principal = await this.principalOf(request);
    const refusal = refusalOf(principal, role, slug);
    if (refusal || !principal) throw new StaffSessionError(refusal ?? 'signed_out');
    return principal;
  }

  /**
   * Checks a pasted token and, when it may act with `role` (on `slug`), keeps it in the session
   * cookie. Answers the refusal otherwise and sets nothing.
   */
  async signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    secret: string,
    role: Role,
    slug?: string,
  ): Promise<StaffRefusal | null> {
    const trimmed = secret.trim();
    const principal =
      trimmed && trimmed.length <= 200 ? await this.tokens.authenticate(trimmed) : null;
    const refusal = refusalOf(principal, role, slug);
    if (refusal) return refusal;
    setCookie(request, reply, STAFF_COOKIE, trimmed, {
      sameSite: 'Strict',
      maxAgeSeconds: SESSION_SECONDS,
    });
    return null;
  }

  signOut(request: FastifyRequest, reply: FastifyReply): void {
    setCookie(request, reply, STAFF_COOKIE, '', { sameSite: 'Strict', maxAgeSeconds: 0 });
  }
}

export function refusalOf(
  principal: Principal | null,
  role: Role,
  slug?: string,
): StaffRefusal | null {
  if (!principal) return 'signed_out';
  if (!roleSatisfies(principal.role, role)) return 'role';
  if (slug !== undefined && principal.eventSlug !== null && principal.eventSlug !== slug) {
    return 'event';
  }
  return null;
}
