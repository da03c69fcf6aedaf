import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie'; // its request.cookies and reply.setCookie types
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import type { Accounts } from '../accounts';
import type { DeviceFlow } from '../oauth/deviceFlow';
import type { PasswordAttempts } from '../oauth/attempts';
import { limited } from '../limits';
import { sameSecret } from '../passwords';
import { escapeHtml, icon, page, style, translator, type T } from './page';
import { languageOf } from '../web/html';

interface Session {
  accountId: string;
  /** sent with every form and compared, on top of the SameSite=Strict cookie */
  csrf: string;
  expiresAt: number;
}

const cookieName = 'bmwid_session';
/** The login form's token, also in this cookie (double submit): a page elsewhere cannot log the phone in as someone else. */
const loginCookie = 'bmwid_login';
const sessionLifetimeMs = 30 * 60_000;

const LoginForm = z.strictObject({ user_code: z.string().max(16), csrf: z.string().max(64), email: z.string().max(254), password: z.string().max(128) });
const DecisionForm = z.strictObject({ user_code: z.string().max(16), csrf: z.string().max(64), decision: z.enum(['approve', 'deny']) });
const LogoutForm = z.strictObject({ user_code: z.string().max(16).default(''), csrf: z.string().max(64) });

/**
 * The page a phone opens from the car's QR code (`verification_uri_complete`): log in with a BMW
 * ID unless already logged in, see which car and which session asks, then approve or deny.
 * Server-rendered forms, no script, so any phone browser can do it. Returns how the My BMW app
 * hands its login to the page (its "Scan QR code (BMW ID)" is already logged in).
 */
export function phoneRoutes(app: FastifyInstance, deps: { accounts: Accounts; flow: DeviceFlow; attempts: PasswordAttempts; now: () => number }): PhoneLogin {
  const sessions = new Map<string, Session>();
  // Read at request time: loading a scenario replaces the world behind them.
  const { now } = deps;

  const sessionOf = (request: FastifyRequest): [string, Session] | null => {
    const id = request.cookies[cookieName];
    const session = id ? sessions.get(id) : undefined;
    if (!id || !session) return null;
    if (now() >= session.expiresAt) {
      sessions.delete(id);
      return null;
    }
    return [id, session];
  };
  const signIn = (reply: FastifyReply, accountId: string) => {
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, { accountId, csrf: randomBytes(16).toString('base64url'), expiresAt: now() + sessionLifetimeMs });
    void reply.setCookie(cookieName, id, { path: '/device', httpOnly: true, sameSite: 'strict', maxAge: sessionLifetimeMs / 1000 });
  };
  const send = (reply: FastifyReply, request: FastifyRequest, body: (t: T) => string, status = 200) => {
    const language = languageOf(request);
    const t = translator(language);
    // (the pages carry form tokens and, once logged in, the account: never cached)
    void reply.header('Cache-Control', 'no-store');
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(page(language, t('phone.title'), body(t)));
  };

  app.get('/device/style.css', (_request, reply) => reply.type('text/css').send(style));
  app.get('/device/icon.svg', (_request, reply) => reply.type('image/svg+xml').header('Cache-Control', 'max-age=86400').send(icon));

  app.get('/device', limited('phonePage'), (request, reply) => {
    const userCode = z.object({ user_code: z.string().max(16).optional() }).safeParse(request.query);
    const code = userCode.success ? userCode.data.user_code : undefined;
    return send(reply, request, (t) => screenFor(t, request, reply, code));
  });

  app.post('/device/login', limited('phoneLogin'), (request, reply) => {
    const form = LoginForm.safeParse(request.body);
    if (!form.success) return send(reply, request, (t) => codeForm(t, t('phone.codeNotUsable')));
    const { user_code, email, password, csrf } = form.data;
    // Login CSRF: the token of a form this site served to this browser, from this site's own page.
    const origin = request.headers.origin;
    const sameOrigin = origin === undefined || origin === `${request.protocol}://${request.headers.host}`;
    const cookie = request.cookies[loginCookie];
    if (!sameOrigin || cookie === undefined || !sameSecret(csrf, cookie)) {
      return send(reply, request, (t) => loginForm(t, user_code, email, t('phone.formExpired'), newLoginToken(reply)), 403);
    }
    const account = deps.accounts.findByEmail(email);
    const wait = deps.attempts.retryAfter(request.ip, email);
    if (wait > 0) return send(reply, request, (t) => loginForm(t, user_code, email, t('phone.tooMany', { seconds: wait }), csrf), 429);
    if (!account || !sameSecret(password, account.password)) {
      deps.attempts.fail(request.ip, email);
      return send(reply, request, (t) => loginForm(t, user_code, email, t('phone.wrongLogin'), csrf));
    }
    deps.attempts.succeed(request.ip, email);
    signIn(reply, account.id);
    return reply.redirect(`/device?user_code=${encodeURIComponent(user_code)}`, 303);
  });

  app.post('/device/decision', limited('phoneDecision'), (request, reply) => {
    const form = DecisionForm.safeParse(request.body);
    const session = sessionOf(request);
    if (!form.success || !session || form.data.csrf !== session[1].csrf) {
      return send(reply, request, (t) => screenFor(t, request, reply, form.success ? form.data.user_code : undefined), 400);
    }
    const decided = deps.flow.decide(
      form.data.user_code,
      form.data.decision === 'approve' ? { kind: 'approved', accountId: session[1].accountId } : { kind: 'denied' },
    );
    if (typeof decided === 'string') return send(reply, request, (t) => codeState(t, decided), 409);
    return send(reply, request, (t) => `<div class="card"><p>${t(form.data.decision === 'approve' ? 'phone.approved' : 'phone.denied')}</p></div>`);
  });

  app.post('/device/logout', (request, reply) => {
    const form = LogoutForm.safeParse(request.body);
    const session = sessionOf(request);
    if (session && form.success && form.data.csrf === session[1].csrf) sessions.delete(session[0]);
    void reply.clearCookie(cookieName, { path: '/device' });
    return reply.redirect(`/device?user_code=${encodeURIComponent(form.success ? form.data.user_code : '')}`, 303);
  });

  function screenFor(t: T, request: FastifyRequest, reply: FastifyReply, userCode: string | undefined): string {
    if (!userCode) return codeForm(t, null);
    const grant = deps.flow.lookup(userCode);
    if (typeof grant === 'string') return codeState(t, grant);
    const session = sessionOf(request);
    const account = session && deps.accounts.get(session[1].accountId);
    if (!session || !account) return loginForm(t, grant.userCode, '', null, newLoginToken(reply));
    const hidden = `<input type="hidden" name="user_code" value="${escapeHtml(grant.userCode)}"><input type="hidden" name="csrf" value="${escapeHtml(session[1].csrf)}">`;
    return `<div class="card"><p>${t('phone.request', { vehicle: grant.vehicleName, email: account.email })}</p>
<p class="code">${t('phone.session', { code: grant.userCode })}</p></div>
<form method="post" action="/device/decision">${hidden}<button name="decision" value="approve">${t('phone.approve')}</button>
<button class="secondary" name="decision" value="deny">${t('phone.deny')}</button></form>
<form method="post" action="/device/logout">${hidden}<button class="link">${t('phone.logout', { email: account.email })}</button></form>`;
  }
  return { signIn };
}

/** The QR login page's side of the My BMW app: the app logs the page in as its own BMW ID (a session cookie for `/device`). */
export interface PhoneLogin {
  signIn(reply: FastifyReply, accountId: string): void;
}

/**
 * A code that cannot be used gets one answer, whether it never existed, expired or was already
 * answered: telling them apart would help someone guessing codes.
 */
function codeState(t: T, _state: 'unknown' | 'expired' | 'decided'): string {
  return codeForm(t, t('phone.codeNotUsable'));
}

function codeForm(t: T, error: string | null): string {
  return `<p>${t('phone.codePrompt')}</p>${error ? `<p class="error" role="alert">${error}</p>` : ''}
<form method="get" action="/device"><label for="code">${t('phone.code')}</label>
<input id="code" name="user_code" autocomplete="one-time-code" autocapitalize="characters" required><button>${t('phone.next')}</button></form>`;
}

/** A fresh login-form token, set in its cookie; the form carries the same value. */
function newLoginToken(reply: FastifyReply): string {
  const token = randomBytes(24).toString('base64url');
  void reply.setCookie(loginCookie, token, { path: '/device', httpOnly: true, sameSite: 'strict', maxAge: sessionLifetimeMs / 1000 });
  return token;
}

function loginForm(t: T, userCode: string, email: string, error: string | null, csrf: string): string {
  return `<p>${t('phone.loginPrompt')}</p>${error ? `<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/device/login"><input type="hidden" name="user_code" value="${escapeHtml(userCode)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="email">${t('phone.email')}</label><input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required>
<label for="password">${t('phone.password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button>${t('phone.login')}</button></form>`;
}
