import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** A PIN as stored: a salted scrypt hash, never the PIN. */
export interface PinHash {
  salt: string;
  hash: string;
}

const keyLength = 32;
// N = 2^15: about 50 ms here, enough to make guessing 10,000 PINs offline slow, short enough for a driver.
const cost = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin, salt, keyLength, cost, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPin(pin: string): Promise<PinHash> {
  const salt = randomBytes(16);
  return { salt: salt.toString('base64'), hash: (await derive(pin, salt)).toString('base64') };
}

export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const key = await derive(pin, Buffer.from(stored.salt, 'base64'));
  const expected = Buffer.from(stored.hash, 'base64');
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const pinPattern = /^\d{4}$/;

/**
 * Wrong PINs in a row and what they cost, like a SIM's PIN and PUK: 5 wrong lock the profile for
 * 30 s, each further 5 for longer, and after 15 only a new BMW ID login unlocks it.
 */
export interface PinLock {
  failures: number;
  lockedUntil: number | null;
  loginRequired: boolean;
}

export const noLock: PinLock = { failures: 0, lockedUntil: null, loginRequired: false };
const lockSeconds = [30, 300];
export const failuresBeforeLogin = 15;

export function afterWrongPin(lock: PinLock, now: number): PinLock {
  const failures = lock.failures + 1;
  if (failures >= failuresBeforeLogin) return { failures, lockedUntil: null, loginRequired: true };
  if (failures % 5 === 0) return { failures, lockedUntil: now + lockSeconds[failures / 5 - 1]! * 1000, loginRequired: false };
  return { ...lock, failures };
}

/** What the PIN pad must show now: open, locked for so many seconds, or login required. */
export function lockState(lock: PinLock, now: number): { kind: 'open'; left: number } | { kind: 'locked'; seconds: number } | { kind: 'login' } {
  if (lock.loginRequired) return { kind: 'login' };
  if (lock.lockedUntil !== null && now < lock.lockedUntil) return { kind: 'locked', seconds: Math.ceil((lock.lockedUntil - now) / 1000) };
  return { kind: 'open', left: 5 - (lock.failures % 5) };
}
