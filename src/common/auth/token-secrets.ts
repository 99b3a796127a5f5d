import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random value of `bytes` bytes (16 bytes = 128 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Secrets are 256-bit random values, so one fast hash is enough to store them: nothing can be
 * guessed from the hash, and lookups by hash stay an index seek.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
