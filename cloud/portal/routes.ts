import type { FastifyInstance, FastifyReply } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import * as z from 'zod';
import type { Language } from '../../shared/i18n';
import type { Accounts } from '../accounts';
import type { Carrier } from '../carrier/carrier';
import { portalClientId, redeemAssociation, startAssociation, type Associations, type PendingAssociation } from '../docomo/association';
import { limited } from '../limits';
import type { PasswordAttempts } from '../oauth/attempts';
import { escapeHtml } from '../phone/page';
import { sameSecret } from '../passwords';
import { bmwIdLogin } from '../web/bmwIdLogin';
import { alertLine, languageOf, sendPage, sitePage, type GuideStep } from '../web/html';
import { admission, WebSessions, type WebSession } from '../web/session';
import type { ProfileNumber, ProfileNumbers } from './numbers';
import { portalText, type PortalKey, type PortalT } from './text';
import { activationForm, loginForm, nav, numbersList, portalStyle, type NumberForm } from './views';

interface PortalState {
  accountId: string | null;
  association: PendingAssociation | null;
  /** a message for the Personal eSIM page after the carrier sent the browser back */
  notice: PortalKey | null;
}

export interface PortalDeps {
  accounts: Accounts;
  attempts: PasswordAttempts;
  carrier: Carrier;
  associations: Associations;
  numbers: ProfileNumbers;
  now: () => number;
  /** the base URL browsers reach the cloud at (with `--lan`, its LAN address), ending in / */
  phoneUrl: () => string;
}

const digits = (n: string) => n.replace(/\D/g, '');
/** A browser's visit to the portal: logged in as this BMW ID (null: not yet), nothing under way. */
const visit = (accountId: string | null): PortalState => ({ accountId, association: null, notice: null });
/**
 * A number as Japan's numbering plan allows it (libphonenumber's full metadata), and a mobile one
 * where the type says so; or the words for what is wrong with it. Checked after NFKC, as it is kept:
 * one character typed can normalise to eighteen, and only digits and a number's separators are a
 * number (libphonenumber alone finds one inside any text).
 */
function checkNumber(body: unknown): { entry: ProfileNumber } | { problem: PortalKey } {
  const form = z.object({ number: z.string().max(32), type: z.enum(['mobile', 'home', 'work']) }).safeParse(body);
  if (!form.success) return { problem: 'portal.numberInvalid' };
  const number = form.data.number.normalize('NFKC').trim();
  if (!/^\+?[\d ()-]+$/.test(number) || number.length > 32) return { problem: 'portal.numberNotDigits' };
  const parsed = parsePhoneNumberFromString(number, 'JP');
  if (parsed?.isValid() !== true) return { problem: 'portal.numberInvalid' };
  if (form.data.type === 'mobile' && parsed.getType() !== 'MOBILE') return { problem: 'portal.notMobile' };
  return { entry: { number, type: form.data.type } };
}

/**
 * The BMW web portal (guide STEP 1 (2), the PC path, steps 1–7 and 19), desktop layout: log in,
 * Personal eSIM → 「パーソナルeSIMの有効化」; a BMW ID without a mobile number on its profile adds
 * one first (「+電話番号の追加」, the number and its type, 「新規電話番号の追加」); then Japan, NTT
 * DOCOMO and the mobile number → the carrier's site (d ACCOUNT only: a PC has no network PIN),
 * and back: the portal redeems the association's code at once and shows the number with NTT DOCOMO.
 */
export function portalRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const sessions = new WebSessions<PortalState>('portal_session', '/portal', 2 * 3600_000, deps.now, (state) => state.accountId === null);
  const returnUri = () => `${deps.phoneUrl()}portal/esim/return`;
  const send = (reply: FastifyReply, language: Language, title: PortalKey, body: string, step?: GuideStep, status = 200) => {
    const t = portalText(language);
    return sendPage(reply, sitePage({ lang: language, title: t(title), brand: 'BMW', css: '/portal/style.css', body, ...(step ? { step } : {}) }), status);
  };
  const member = admission((request, reply, post): [WebSession<PortalState>, PortalT, Language] | null => {
    const session = post ? sessions.checked(request) : sessions.get(request);
    if (!session?.data.accountId) {
      void reply.redirect('/portal/', 303);
      return null;
    }
    const language = languageOf(request);
    return [session, portalText(language), language];
  });

  app.get('/portal/style.css', (_request, reply) => reply.type('text/css').send(portalStyle));

  // Step 2: BMW ID and password, 「ログインする」.
  const loginPage = (reply: FastifyReply, language: Language, csrf: string, email = '', message: string | null = null, status = 200) =>
    send(reply, language, 'portal.login', loginForm(portalText(language), csrf, email, message), { step: '2' }, status);
  app.get('/portal/', (request, reply) => {
    const session = sessions.get(request);
    if (session?.data.accountId) return reply.redirect('/portal/esim', 303);
    return loginPage(reply, languageOf(request), (session ?? sessions.start(reply, visit(null))).csrf);
  });
  app.post('/portal/login', limited('appForm'), (request, reply) => {
    const language = languageOf(request);
    const t = portalText(language);
    const session = sessions.checked(request);
    const body = z.object({ email: z.string().max(254), password: z.string().max(128) }).safeParse(request.body);
    if (!session || !body.success) return loginPage(reply, language, sessions.start(reply, visit(null)).csrf, '', t('portal.formExpired'), 403);
    const result = bmwIdLogin(deps, request, body.data.email, body.data.password);
    if ('retryAfterSeconds' in result)
      return loginPage(reply, language, session.csrf, body.data.email, t('portal.tooMany', { seconds: result.retryAfterSeconds }), 429);
    if ('wrong' in result) return loginPage(reply, language, session.csrf, body.data.email, t('portal.wrongLogin'));
    sessions.end(request, reply);
    sessions.start(reply, visit(result.account.id));
    return reply.redirect('/portal/esim', 303);
  });
  app.post('/portal/logout', (request, reply) => {
    if (sessions.checked(request)) sessions.end(request, reply);
    return reply.redirect('/portal/', 303);
  });

  // Step 3 and 19: the Personal eSIM page: the number with NTT DOCOMO once associated.
  app.get('/portal/esim', member.page, (request, reply) => {
    const [session, t, language] = member.of(request);
    const line = deps.carrier.line(session.data.accountId!);
    const notice = session.data.notice;
    session.data.notice = null;
    const body = line?.associated
      ? `<table class="esim"><tr><th>${t('portal.mobileNumber')}</th><td data-msisdn>${escapeHtml(line.msisdn)}</td></tr><tr><th>${t('portal.provider')}</th><td data-operator>${t('portal.operator')}</td></tr></table>`
      : `<p>${t('portal.esimIntro')}</p>${alertLine(notice ? t(notice) : null)}<a class="button" href="/portal/esim/activate">${t('portal.activate')}</a>`;
    return send(reply, language, 'portal.personalEsim', `${nav(t, session.csrf)}${body}`, { step: line?.associated ? '19' : '3' });
  });

  // Steps 4–7: a mobile number first if there is none, then the activation with it.
  app.get('/portal/esim/activate', member.page, (request, reply) => {
    const [session, t, language] = member.of(request);
    const mobiles = deps.numbers.of(session.data.accountId!).filter((n) => n.type === 'mobile');
    if (mobiles.length === 0) {
      return send(reply, language, 'portal.activate', `${nav(t, session.csrf)}<p><a class="button" href="/portal/numbers">${t('portal.enterNumber')}</a></p>`, {
        step: '4',
      });
    }
    return send(
      reply,
      language,
      'portal.activate',
      `${nav(t, session.csrf)}${activationForm(
        t,
        session.csrf,
        mobiles.map((n) => n.number),
        null,
      )}`,
      { step: '7' },
    );
  });
  app.post('/portal/esim/activate', { ...limited('appForm'), ...member.form }, (request, reply) => {
    const [session, t, language] = member.of(request);
    const body = z.object({ country: z.string().max(4), provider: z.string().max(16), number: z.string().max(32) }).safeParse(request.body);
    const mobiles = deps.numbers
      .of(session.data.accountId!)
      .filter((n) => n.type === 'mobile')
      .map((n) => n.number);
    const again = (key: PortalKey) =>
      send(reply, language, 'portal.activate', `${nav(t, session.csrf)}${activationForm(t, session.csrf, mobiles, t(key))}`, { step: '7' });
    if (!body.success || body.data.country !== 'JP' || body.data.provider !== 'docomo' || !mobiles.includes(body.data.number))
      return again('portal.chooseNumber');
    const line = deps.carrier.line(session.data.accountId!);
    if (!line) return again('portal.noLine');
    if (digits(line.msisdn).slice(-9) !== digits(body.data.number).slice(-9)) return again('portal.notTheLine');
    const { pending, location } = startAssociation(deps.associations, {
      clientId: portalClientId,
      accountId: session.data.accountId!,
      redirectUri: returnUri(),
      via: 'pc',
    });
    session.data.association = pending;
    return reply.redirect(location, 303);
  });

  // Step 5–6: the profile's numbers, 「+電話番号の追加」, the number and its type, 「新規電話番号の追加」.
  const numbersPage = (reply: FastifyReply, session: WebSession<PortalState>, t: PortalT, language: Language, adding: NumberForm | null) => {
    const list = deps.numbers.of(session.data.accountId!);
    const body = `${nav(t, session.csrf, 'numbers')}${numbersList(t, session.csrf, list, adding)}`;
    return send(reply, language, 'portal.numbers', body, { step: adding ? '5' : list.length > 0 ? '6' : '5' });
  };
  app.get('/portal/numbers', member.page, (request, reply) => {
    const [session, t, language] = member.of(request);
    const adding = (request.query as { add?: string }).add === '1';
    return numbersPage(reply, session, t, language, adding ? { number: '', type: 'mobile', problem: null } : null);
  });
  app.post('/portal/numbers', { ...limited('appForm'), ...member.form }, (request, reply) => {
    const [session, t, language] = member.of(request);
    const checked = checkNumber(request.body);
    const typed = request.body as { number?: string; type?: string };
    const again = (problem: PortalKey) => numbersPage(reply, session, t, language, { number: typed.number ?? '', type: typed.type ?? 'mobile', problem });
    if ('problem' in checked) return again(checked.problem);
    if (!deps.numbers.add(session.data.accountId!, checked.entry)) return again('portal.tooManyNumbers');
    return reply.redirect('/portal/numbers', 303);
  });

  // Step 19: back from the carrier; the portal redeems the code with its verifier at once.
  app.get('/portal/esim/return', member.page, (request, reply) => {
    const [session] = member.of(request);
    const query = z.object({ code: z.string().max(128).optional(), state: z.string().max(64), error: z.string().max(64).optional() }).safeParse(request.query);
    const pending = session.data.association;
    session.data.association = null;
    const accountId = session.data.accountId!;
    if (!query.success || !pending || !sameSecret(query.data.state, pending.state)) session.data.notice = 'portal.failed';
    else if (query.data.error || !query.data.code) session.data.notice = 'portal.cancelled';
    else if (
      !redeemAssociation(
        deps.associations,
        pending,
        { code: query.data.code, state: query.data.state },
        { clientId: portalClientId, redirectUri: returnUri(), accountId },
      )
    )
      session.data.notice = 'portal.failed';
    else deps.carrier.associate(accountId);
    return reply.redirect('/portal/esim', 303);
  });
}
