import { randomInt } from 'node:crypto';

/** Digits and capitals without the look-alikes 0/O, 1/I/L: easy to read out at a desk. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REFERENCE_LENGTH = 8;

/** 31^8 ≈ 8.5 × 10^11 codes: a clash within one event is rare, and retried when it happens. */
export function newReference(): string {
  let reference = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) {
    reference += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  }
  return reference;
}

/** What a person types or says: spaces and dashes dropped, case ignored. */
export function normaliseReference(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}
