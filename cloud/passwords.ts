import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares passwords in constant time (digests first, so lengths do not leak either). */
export function samePassword(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
