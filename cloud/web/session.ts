import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie'; // its request.cookies and reply.setCookie types
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../passwords';

/** A browser's session on one of the cloud's sites, with the token its forms carry. */
export interface WebSession<T> {
  id: string;
  /** sent with every form and compared (on top of the SameSite=Strict cookie) */
  csrf: string;
  expiresAt: number;
  data: T;
}

/** How long a visit that keeps nothing yet (a login page's form token) lives; and how many sessions a site holds. */
export const anonymousLifetimeMs = 15 * 60_000;
export const maxSessions = 5000;

/**
 * Server-side sessions behind an HttpOnly, SameSite=Strict cookie scoped to one site's path. Every
 * state-changing form carries the session's CSRF token; `checked` refuses a form without it. A
 * session ends after `lifetimeMs` of its start (not of its last use), or on `end`; one that keeps
 * nothing yet (`anonymous` says which: a visit before its login) after `anonymousLifetimeMs`. A site
 * holds at most `maxSessions`: when full, the oldest anonymous visit goes first, so a flood of page
 * views costs bounded memory and logs nobody out while there are anonymous ones to drop.
 */
export class WebSessions<T> {
  private readonly sessions = new Map<string, WebSession<T>>();
  /** when expired sessions were last swept (ms) */
  private swept = 0;

  constructor(
    private readonly cookie: string,
    private readonly path: string,
    private readonly lifetimeMs: number,
    private readonly now: () => number,
    private readonly anonymous: (data: T) => boolean = () => false,
  ) {}

  start(reply: FastifyReply, data: T): WebSession<T> {
    this.sweep();
    if (this.sessions.size >= maxSessions) this.evict();
    const lifetime = this.anonymous(data) ? Math.min(anonymousLifetimeMs, this.lifetimeMs) : this.lifetimeMs;
    const session = { id: randomBytes(32).toString('base64url'), csrf: randomBytes(18).toString('base64url'), expiresAt: this.now() + lifetime, data };
    this.sessions.set(session.id, session);
    void reply.setCookie(this.cookie, session.id, { path: this.path, httpOnly: true, sameSite: 'strict', maxAge: lifetime / 1000 });
    return session;
  }

  /** How many sessions the site holds now. */
  get size(): number {
    return this.sessions.size;
  }

  /** The oldest anonymous session, or else the oldest of all, goes. */
  private evict(): void {
    const oldest = [...this.sessions.values()].find((s) => this.anonymous(s.data)) ?? this.sessions.values().next().value;
    if (oldest) this.sessions.delete(oldest.id);
  }

  get(request: FastifyRequest): WebSession<T> | null {
    const id = request.cookies[this.cookie];
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return null;
    if (this.now() >= session.expiresAt) {
      this.sessions.delete(session.id);
      return null;
    }
    return session;
  }

  /** The session, if the form's `csrf` field is its token; null for a forged or stale form. */
  checked(request: FastifyRequest): WebSession<T> | null {
    const session = this.get(request);
    const csrf = (request.body as { csrf?: unknown } | undefined)?.csrf;
    return session && typeof csrf === 'string' && sameSecret(csrf, session.csrf) ? session : null;
  }

  /** The session under a new id and form token, its data and lifetime kept (after a login: no session fixation). */
  renew(request: FastifyRequest, reply: FastifyReply): WebSession<T> | null {
    const session = this.get(request);
    if (!session) return null;
    this.sessions.delete(session.id);
    const renewed = { ...session, id: randomBytes(32).toString('base64url'), csrf: randomBytes(18).toString('base64url') };
    this.sessions.set(renewed.id, renewed);
    void reply.setCookie(this.cookie, renewed.id, {
      path: this.path,
      httpOnly: true,
      sameSite: 'strict',
      maxAge: Math.max(1, Math.round((renewed.expiresAt - this.now()) / 1000)),
    });
    return renewed;
  }

  end(request: FastifyRequest, reply: FastifyReply): void {
    const session = this.get(request);
    if (session) this.sessions.delete(session.id);
    void reply.clearCookie(this.cookie, { path: this.path });
  }

  /** Expired sessions go; at most once a second, so that a flood of views does not sweep on each. */
  private sweep(): void {
    const now = this.now();
    if (now - this.swept < 1000 && this.sessions.size < maxSessions) return;
    this.swept = now;
    for (const session of this.sessions.values()) if (now >= session.expiresAt) this.sessions.delete(session.id);
  }
}

/**
 * A site's check that a visitor may see its member pages, as typed fastify preHandlers: `admit`
 * answers the others itself (a redirect to the login, a page) and returns null; for a form
 * (`post`) it also checks the CSRF token. A route names `.page` or `.form` in its options and
 * reads what `admit` found with `.of(request)`: the check is written once per site, not at the
 * top of every route, and a route cannot forget the token check of a form it declares as one.
 */
export function admission<T>(admit: (request: FastifyRequest, reply: FastifyReply, post: boolean) => T | null) {
  const admitted = new WeakMap<FastifyRequest, T>();
  const preHandler = (post: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const found = admit(request, reply, post);
    if (found === null) return reply;
    admitted.set(request, found);
  };
  return {
    page: { preHandler: preHandler(false) },
    form: { preHandler: preHandler(true) },
    /** What the route's admission found; throws for a route that declared none (a programming error). */
    of(request: FastifyRequest): T {
      const found = admitted.get(request);
      if (found === undefined) throw new Error(`${request.method} ${request.url}: a member route without its admission`);
      return found;
    },
  };
}
