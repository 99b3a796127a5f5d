import type { Principal } from './roles';

export const TOKEN_AUTHENTICATOR = Symbol('TOKEN_AUTHENTICATOR');

/** Implemented by the tokens module; the guard only needs to turn a secret into a principal. */
export interface TokenAuthenticator {
  authenticate(secret: string): Promise<Principal | null>;
}
