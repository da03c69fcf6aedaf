import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { anonymousLifetimeMs, maxSessions, WebSessions } from '../../cloud/web/session';

/** The sites' sessions: anonymous visits are short-lived and bounded, and a flood of them logs nobody out. */
const reply = () => {
  const cookies: string[] = [];
  return { reply: { setCookie: (_name: string, value: string) => cookies.push(value) } as unknown as FastifyReply, cookies };
};
const requestWith = (id: string) => ({ cookies: { site: id } }) as unknown as FastifyRequest;

/** A site's sessions of 8 hours on the clock given, a visit without a BMW ID counting as anonymous. */
const siteSessions = (clock: () => number) => new WebSessions<{ accountId: string | null }>('site', '/site', 8 * 3600_000, clock, (d) => d.accountId === null);

describe('the sites’ sessions', () => {
  it('holds at most a bound of sessions under 30,000 anonymous views, dropping anonymous ones before a logged-in one', () => {
    let clock = 0;
    const sessions = siteSessions(() => clock);
    const logged = reply();
    sessions.start(logged.reply, { accountId: 'bmwid-1' });
    for (let i = 0; i < 30_000; i++) {
      clock += 1;
      sessions.start(reply().reply, { accountId: null });
    }
    expect(sessions.size).toBeLessThanOrEqual(maxSessions);
    expect(sessions.get(requestWith(logged.cookies[0]!))?.data.accountId).toBe('bmwid-1');
  });

  it('ends an anonymous visit after its short lifetime, a logged-in one after its full one', () => {
    let clock = 0;
    const sessions = siteSessions(() => clock);
    const visit = reply();
    const user = reply();
    sessions.start(visit.reply, { accountId: null });
    sessions.start(user.reply, { accountId: 'bmwid-1' });
    clock = anonymousLifetimeMs;
    expect(sessions.get(requestWith(visit.cookies[0]!))).toBeNull();
    expect(sessions.get(requestWith(user.cookies[0]!))).not.toBeNull();
  });
});
