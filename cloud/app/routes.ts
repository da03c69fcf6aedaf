import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import type { Language } from '../../shared/i18n';
import type { Accounts } from '../accounts';
import type { Carrier } from '../carrier/carrier';
import { myBmwClientId, redeemAssociation, startAssociation, type Associations, type PendingAssociation } from '../docomo/association';
import { docomoText } from '../docomo/text';
import { limited } from '../limits';
import type { PasswordAttempts } from '../oauth/attempts';
import { sameSecret } from '../passwords';
import { escapeHtml } from '../phone/page';
import type { PhoneLogin } from '../phone/routes';
import { alertLine, hidden, languageOf, sendPage } from '../web/html';
import { bmwIdLogin } from '../web/bmwIdLogin';
import { admission, WebSessions, type WebSession } from '../web/session';
import { appText, type AppT } from './text';
import { alertPage, appPage, appStyle, button, carArt, field, form, link } from './views';

/** The app on the phone: who is logged in, and how far its first start got. */
interface AppState {
  accountId: string | null;
  /** the app's own PIN (steps 6–7), as a digest: set once, then the app is unlocked */
  pinSet: boolean;
  firstPin: string | null;
  agreed: boolean;
  /** the association under way: the PKCE verifier and the state it must come back with */
  association: PendingAssociation | null;
}

export interface AppDeps {
  accounts: Accounts;
  attempts: PasswordAttempts;
  carrier: Carrier;
  associations: Associations;
  now: () => number;
  /** the base URL the phone reaches the cloud at (ends in /) */
  phoneUrl: () => string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
/** The app as a phone first opens it, or right after a login: nothing of the first start done yet. */
const firstStart = (accountId: string | null): AppState => ({ accountId, pinSet: false, firstPin: null, agreed: false, association: null });

/**
 * The My BMW app's part of STEP 1 (steps 1–12 and 39–42) as mobile pages: log in (or register), the
 * app's PIN twice, the terms, the Profile tab, Personal eSIM → "ACTIVATE ESIM" with the country,
 * the operator and the number's last 4 digits, "CHECK WITH PROVIDER" (a pushed authorization
 * request to NTT DOCOMO, then the phone goes to the carrier's site), and back from it: "Open",
 * "Request completed", and the Personal eSIM shown "Active" with the number. English or Japanese
 * as the phone's language. Profile's settings lead to "Scan QR code (BMW ID)", the car's QR login,
 * already logged in as the app's BMW ID (`phoneLogin`).
 */
export function appRoutes(app: FastifyInstance, deps: AppDeps, phoneLogin: PhoneLogin): void {
  const sessions = new WebSessions<AppState>('mybmw_session', '/app', 8 * 3600_000, deps.now, (state) => state.accountId === null);
  const returnUri = () => `${deps.phoneUrl()}app/esim/return`;
  /** The session, or a fresh one (the login form needs its token before anyone is logged in). */
  const sessionFor = (request: FastifyRequest, reply: FastifyReply) => sessions.get(request) ?? sessions.start(reply, firstStart(null));
  /** Where the first start stands: the page a logged-in phone must see next, or null when it is done. */
  const pending = (state: AppState): string | null =>
    state.accountId === null ? '/app/login' : !state.pinSet ? '/app/pin' : !state.agreed ? '/app/terms' : null;
  /** The ready app's session (logged in, PIN set, terms agreed), or the redirect to where it stands. */
  const ready = (request: FastifyRequest, reply: FastifyReply, post = false): [WebSession<AppState>, AppT, Language] | null => {
    const session = post ? sessions.checked(request) : sessions.get(request);
    const next = session ? pending(session.data) : '/app';
    if (!session || next) {
      void reply.redirect(next ?? '/app', 303);
      return null;
    }
    const language = languageOf(request);
    return [session, appText(language), language];
  };

  /** The app's own pages, for a ready app (see `ready`). */
  const inApp = admission(ready);

  app.get('/app/style.css', (_request, reply) => reply.type('text/css').send(appStyle));

  // Steps 1–3: the app's first page, then "Continue".
  app.get('/app', (request, reply) => {
    const session = sessions.get(request);
    if (session) return reply.redirect(pending(session.data) ?? '/app/home', 303);
    const language = languageOf(request);
    const t = appText(language);
    return sendPage(
      reply,
      appPage(language, t, 'app.title', `<p class="intro">${t('app.intro')}</p>${link('/app/start', t('app.loginOrRegister'))}`, { step: '2' }, { hero: true }),
    );
  });
  app.get('/app/start', (request, reply) => {
    const language = languageOf(request);
    const t = appText(language);
    return sendPage(
      reply,
      appPage(language, t, 'app.title', `<p class="intro">${t('app.intro')}</p>${link('/app/login', t('app.continue'))}`, { step: '3' }, { hero: true }),
    );
  });

  // Steps 4–5: BMW ID and password, "Login"; "Register now" without one.
  const loginPage = (language: Language, csrf: string, email = '', message: string | null = null) => {
    const t = appText(language);
    return appPage(
      language,
      t,
      'app.login',
      `${alertLine(message)}${form(
        '/app/login',
        csrf,
        field('email', t('app.bmwId'), 'type="email" autocomplete="username" required', email) +
          field('password', t('app.password'), 'type="password" autocomplete="current-password" required') +
          button(t('app.login')),
      )}
${link('/app/register', t('app.registerNow'), 'text-link')}`,
      { step: '4' },
    );
  };
  app.get('/app/login', (request, reply) => sendPage(reply, loginPage(languageOf(request), sessionFor(request, reply).csrf)));
  app.post('/app/login', limited('appForm'), (request, reply) => {
    const language = languageOf(request);
    const t = appText(language);
    const session = sessions.checked(request);
    const body = z.object({ email: z.string().max(254), password: z.string().max(128) }).safeParse(request.body);
    if (!session || !body.success) return sendPage(reply, loginPage(language, sessionFor(request, reply).csrf, '', t('app.formExpired')), 403);
    const { email, password } = body.data;
    const result = bmwIdLogin(deps, request, email, password);
    if ('retryAfterSeconds' in result)
      return sendPage(reply, loginPage(language, session.csrf, email, t('app.tooMany', { seconds: result.retryAfterSeconds })), 429);
    if ('wrong' in result) return sendPage(reply, loginPage(language, session.csrf, email, t('app.wrongLogin')));
    const { account } = result;
    // A new session for the logged-in phone: a token seen before the login is not the login's.
    sessions.end(request, reply);
    sessions.start(reply, firstStart(account.id));
    return reply.redirect('/app/pin', 303);
  });

  const registerPage = (language: Language, csrf: string, values: { name?: string; email?: string } = {}, message: string | null = null) => {
    const t = appText(language);
    return appPage(
      language,
      t,
      'app.register',
      `${alertLine(message)}${form(
        '/app/register',
        csrf,
        field('name', t('app.name'), 'autocomplete="name" required', values.name ?? '') +
          field('email', t('app.bmwId'), 'type="email" autocomplete="email" required', values.email ?? '') +
          field('password', t('app.password'), 'type="password" autocomplete="new-password" minlength="8" required') +
          button(t('app.registerDone')),
      )}`,
      { step: '4' },
    );
  };
  app.get('/app/register', (request, reply) => sendPage(reply, registerPage(languageOf(request), sessionFor(request, reply).csrf)));
  app.post('/app/register', limited('appForm'), (request, reply) => {
    const language = languageOf(request);
    const t = appText(language);
    const session = sessions.checked(request);
    if (!session) return sendPage(reply, registerPage(language, sessionFor(request, reply).csrf, {}, t('app.formExpired')), 403);
    const body = z.object({ name: z.string().trim().min(1).max(80), email: z.email().max(254), password: z.string().min(8).max(128) }).safeParse(request.body);
    const raw = (request.body ?? {}) as { name?: string; email?: string };
    if (!body.success) return sendPage(reply, registerPage(language, session.csrf, raw, t('app.registerInvalid')));
    const account = deps.accounts.register(body.data);
    if (!account) return sendPage(reply, registerPage(language, session.csrf, raw, t('app.emailTaken')));
    sessions.end(request, reply);
    sessions.start(reply, firstStart(account.id));
    return reply.redirect('/app/pin', 303);
  });

  // Steps 6–7: the app's 4-digit PIN, twice.
  const pinPage = (language: Language, csrf: string, confirm: boolean, message: string | null = null) => {
    const t = appText(language);
    return appPage(
      language,
      t,
      confirm ? 'app.pinConfirm' : 'app.pinSet',
      `${alertLine(message)}${form(
        confirm ? '/app/pin/confirm' : '/app/pin',
        csrf,
        field('pin', t('app.pin'), 'type="password" inputmode="numeric" maxlength="4" autocomplete="off" required') + button(t('app.next')),
      )}`,
      { step: confirm ? '7' : '6' },
    );
  };
  // (the PIN and terms pages are for a BMW ID just registered or logged in)
  const member = admission((request, reply, post) => {
    const session = post ? sessions.checked(request) : sessions.get(request);
    if (!session?.data.accountId) {
      void reply.redirect('/app', 303);
      return null;
    }
    return session;
  });
  app.get('/app/pin', member.page, (request, reply) => {
    const session = member.of(request);
    return sendPage(reply, pinPage(languageOf(request), session.csrf, false));
  });
  app.post('/app/pin', { ...limited('appForm'), ...member.form }, (request, reply) => {
    const session = member.of(request);
    const language = languageOf(request);
    const pin = z
      .object({
        pin: z
          .string()
          .transform((p) => p.normalize('NFKC'))
          .pipe(z.string().regex(/^\d{4}$/)),
      })
      .safeParse(request.body);
    if (!pin.success) return sendPage(reply, pinPage(language, session.csrf, false, appText(language)('app.pinInvalid')));
    session.data.firstPin = digest(pin.data.pin);
    return sendPage(reply, pinPage(language, session.csrf, true));
  });
  app.post('/app/pin/confirm', { ...limited('appForm'), ...member.form }, (request, reply) => {
    const session = member.of(request);
    const language = languageOf(request);
    const pin = z.object({ pin: z.string().max(8) }).safeParse(request.body);
    const first = session.data.firstPin;
    session.data.firstPin = null;
    if (!pin.success || first === null || !sameSecret(digest(pin.data.pin.normalize('NFKC')), first)) {
      return sendPage(reply, pinPage(language, session.csrf, false, appText(language)('app.pinMismatch')));
    }
    session.data.pinSet = true;
    return reply.redirect('/app/terms', 303);
  });

  // Step 8: the terms, ticked and agreed.
  const termsPage = (language: Language, csrf: string, message: string | null = null) => {
    const t = appText(language);
    return appPage(
      language,
      t,
      'app.terms',
      `<p>${t('app.termsText')}</p>${alertLine(message)}${form(
        '/app/terms',
        csrf,
        `<label class="check"><input type="checkbox" name="agree" value="on"> ${t('app.agreeBox')}</label>${button(t('app.agree'))}`,
      )}`,
      { step: '8' },
    );
  };
  app.get('/app/terms', member.page, (request, reply) => {
    const session = member.of(request);
    return sendPage(reply, termsPage(languageOf(request), session.csrf));
  });
  app.post('/app/terms', { ...limited('appForm'), ...member.form }, (request, reply) => {
    const session = member.of(request);
    const language = languageOf(request);
    if ((request.body as { agree?: string }).agree !== 'on') return sendPage(reply, termsPage(language, session.csrf, appText(language)('app.mustAgree')));
    session.data.agreed = true;
    return reply.redirect('/app/home', 303);
  });

  // Step 9: "Welcome to MY BMW", and the Profile tab.
  app.get('/app/home', inApp.page, (request, reply) => {
    const [session, t, language] = inApp.of(request);
    const account = deps.accounts.get(session.data.accountId!);
    const line = deps.carrier.line(session.data.accountId!);
    const tile = (href: string, label: string, value: string, data: string) =>
      `<a class="tile" href="${href}" data-tile="${data}"><span class="tile-label">${escapeHtml(label)}</span><span class="tile-value">${escapeHtml(value)}</span></a>`;
    return sendPage(
      reply,
      appPage(
        language,
        t,
        'app.welcome',
        `<section class="vehicle"><p class="greeting">${escapeHtml(t('app.hello', { name: account?.name ?? '' }))}</p>${carArt}<h2>${t('app.yourBmw')}</h2></section>
<div class="tiles">${tile('/app/esim', t('app.personalEsim'), line?.associated ? t('app.active') : t('app.notActivated'), 'esim')}${tile(
          '/app/scan',
          t('app.carLogin'),
          t('app.scanQrShort'),
          'scanQr',
        )}</div>`,
        { step: '9' },
        { tab: 'home' },
      ),
    );
  });
  app.get('/app/profile', inApp.page, (request, reply) => {
    const [, t, language] = inApp.of(request);
    return sendPage(
      reply,
      appPage(
        language,
        t,
        'app.profile',
        `<nav class="list">
<a href="/app/esim" data-link="esim">${t('app.personalEsim')}<span aria-hidden="true">›</span></a></nav>`,
        { step: '10' },
        { tab: 'profile', settings: true },
      ),
    );
  });
  // The settings of the Profile tab (its button at the top right, as the guide's STEP 2 ① says): the QR code scan, the logout.
  app.get('/app/settings', inApp.page, (request, reply) => {
    const [session, t, language] = inApp.of(request);
    return sendPage(
      reply,
      appPage(
        language,
        t,
        'app.settings',
        `<nav class="list">
<a href="/app/scan" data-link="scanQr">${t('app.scanQr')}<span aria-hidden="true">›</span></a></nav>
${form('/app/logout', session.csrf, button(t('app.logout'), 'class="secondary"'))}`,
        undefined,
        { tab: 'profile' },
      ),
    );
  });
  // "Scan QR code (BMW ID)": the QR login page, already logged in as the app's BMW ID (the camera's code typed, here).
  app.get('/app/scan', inApp.page, (request, reply) => {
    const [session] = inApp.of(request);
    phoneLogin.signIn(reply, session.data.accountId!);
    return reply.redirect('/device', 303);
  });
  app.post('/app/logout', (request, reply) => {
    if (sessions.checked(request)) sessions.end(request, reply);
    return reply.redirect('/app', 303);
  });

  // Steps 10–11 and 41–42: Personal eSIM, with the number and "Active" once associated.
  const esimPage = (request: FastifyRequest, reply: FastifyReply, message: string | null = null, status = 200) => {
    const r = ready(request, reply);
    if (!r) return reply;
    const [session, t, language] = r;
    const line = deps.carrier.line(session.data.accountId!);
    const body = line?.associated
      ? `<div class="card"><p data-msisdn>${escapeHtml(line.msisdn)} <span class="active" data-esim-state>${t('app.active')}</span></p><p>NTT DOCOMO</p></div>`
      : `<p>${t('app.esimIntro')}</p>${alertLine(message)}${link('/app/esim/activate', t('app.activateEsim'))}`;
    return sendPage(reply, appPage(language, t, 'app.personalEsim', body, { step: line?.associated ? '42' : '11' }, { tab: 'profile' }), status);
  };
  app.get('/app/esim', (request, reply) => esimPage(request, reply));

  // Step 12–13: Japan, NTT DOCOMO, the number's last 4 digits; "CHECK WITH PROVIDER".
  const activatePage = (language: Language, csrf: string, message: string | null = null, note: string | null = null) => {
    const t = appText(language);
    return appPage(
      language,
      t,
      'app.personalEsim',
      `${alertLine(message)}${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}${form(
        '/app/esim/activate',
        csrf,
        `
<label for="country">${t('app.country')}</label><select id="country" name="country"><option value="JP" selected>${t('app.japan')}</option><option value="DE">Deutschland</option></select>
<label for="provider">${t('app.provider')}</label><select id="provider" name="provider"><option value="docomo" selected>NTT DOCOMO</option><option value="other">au / SoftBank / Rakuten Mobile</option></select>
${field('last4', t('app.last4'), 'inputmode="numeric" maxlength="4" autocomplete="off" required')}
${button(t('app.checkWithProvider'))}`,
      )}`,
      { step: '12' },
      { tab: 'profile' },
    );
  };
  app.get('/app/esim/activate', inApp.page, (request, reply) => {
    const [session, , language] = inApp.of(request);
    return sendPage(reply, activatePage(language, session.csrf));
  });
  app.post('/app/esim/activate', { ...limited('appForm'), ...inApp.form }, (request, reply) => {
    const [session, t, language] = inApp.of(request);
    const body = z.object({ country: z.string().max(4), provider: z.string().max(16), last4: z.string().max(8) }).safeParse(request.body);
    if (!body.success) return sendPage(reply, activatePage(language, session.csrf, t('app.last4Invalid')));
    if (body.data.country !== 'JP' || body.data.provider !== 'docomo')
      return sendPage(reply, activatePage(language, session.csrf, t('app.providerUnsupported')));
    const last4 = body.data.last4.normalize('NFKC');
    if (!/^\d{4}$/.test(last4)) return sendPage(reply, activatePage(language, session.csrf, t('app.last4Invalid')));
    const line = deps.carrier.line(session.data.accountId!);
    // A BMW ID made with "Register now" has no line: say so, and how this bench gives it one.
    if (!line) return sendPage(reply, activatePage(language, session.csrf, t('app.noLine'), t('app.noLineOnBench')));
    if (line.msisdn.replace(/\D/g, '').slice(-4) !== last4) return sendPage(reply, activatePage(language, session.csrf, t('app.last4Mismatch')));
    const { pending, location } = startAssociation(deps.associations, {
      clientId: myBmwClientId,
      accountId: session.data.accountId!,
      redirectUri: returnUri(),
      via: 'phone',
    });
    session.data.association = pending;
    return reply.redirect(location, 303);
  });

  // Step 39: back from the carrier, the phone asks to open the app.
  app.get('/app/esim/return', inApp.page, (request, reply) => {
    const [session, t, language] = inApp.of(request);
    const query = z.object({ code: z.string().max(128).optional(), state: z.string().max(64), error: z.string().max(64).optional() }).safeParse(request.query);
    const expected = session.data.association?.state;
    if (!query.success || expected === undefined || !sameSecret(query.data.state, expected)) return esimPage(request, reply, t('app.associationFailed'), 400);
    if (query.data.error || !query.data.code) {
      session.data.association = null;
      return esimPage(request, reply, t('app.associationCancelled'));
    }
    // (the browser still shows the carrier's last page; "Cancel" leaves the phone there, with the way to open the app again)
    const carrierPage = `<div class="browser-page"><p class="site">NTT docomo</p><h2>${docomoText('association')}</h2><p>${docomoText('associated')}</p><p><a href="" data-reopen>${t('app.openAgain')}</a></p></div>`;
    return sendPage(
      reply,
      alertPage(
        language,
        t,
        'app.openTitle',
        carrierPage,
        `<a href="#dismissed">${t('app.cancel')}</a>${form('/app/esim/open', session.csrf, hidden('code', query.data.code) + hidden('state', query.data.state) + button(t('app.open')))}`,
        { step: '39' },
      ),
    );
  });

  // Step 40: the app redeems the code with its verifier; the association is done on both sides.
  app.post('/app/esim/open', { ...limited('appForm'), ...inApp.form }, (request, reply) => {
    const [session, t, language] = inApp.of(request);
    const body = z.object({ code: z.string().max(128), state: z.string().max(64) }).safeParse(request.body);
    const pending = session.data.association;
    session.data.association = null;
    const accountId = session.data.accountId!;
    if (!body.success || !redeemAssociation(deps.associations, pending, body.data, { clientId: myBmwClientId, redirectUri: returnUri(), accountId })) {
      return esimPage(request, reply, t('app.associationFailed'), 400);
    }
    deps.carrier.associate(accountId);
    return sendPage(
      reply,
      alertPage(
        language,
        t,
        'app.requestCompleted',
        `<p class="bar">${t('app.personalEsim')}</p>`,
        link('/app/esim', t('app.ok'), 'ok'),
        { step: '40' },
        t('app.requestCompletedText'),
      ),
    );
  });
}
