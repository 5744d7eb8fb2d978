import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Short, readable, unguessable ids such as `run_k3m9x2p7q4ab` (60 random bits). */
export function newId(prefix: string): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % 32];
  return `${prefix}_${id}`;
}

/** A secret for callbacks and launches: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
