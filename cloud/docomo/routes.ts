import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { dPasswordTries, type Carrier } from '../carrier/carrier';
import type { SmsCenter } from '../carrier/sms';
import { limited } from '../limits';
import { sendPage } from '../web/html';
import { admission, WebSessions, type WebSession } from '../web/session';
import { associationClients, type Associations } from './association';
import { CustomerDetails, fieldErrors, payments } from './kyc';
import { docomoText, minutesOf } from './text';
import * as view from './views';

/** A visit to the carrier's site, started by the My BMW app's request (STEP 1 ②–④). */
interface Visit {
  requestUri: string;
  /** this visit's hold on the request_uri (kept when the session is renewed at login) */
  holder: string;
  /** the BMW ID owner whose line this is (the app checked the number's last 4 digits) */
  accountId: string;
  clientId: string;
  via: 'phone' | 'pc';
  /** logged in to the line (network PIN, or d ACCOUNT with its SMS code) */
  loggedIn: boolean;
  /** the d ACCOUNT ID given: its password and the SMS code are awaited */
  awaitingCode: boolean;
  dAccount: string;
  application: { oneNumber: boolean; multiDevice: boolean; details: CustomerDetails; payment: keyof typeof payments | null } | null;
  /** the application form as the customer left it to read the terms (steps 17–18): shown again on their return */
  draft: view.ApplyForm | null;
}

export interface DocomoDeps {
  carrier: Carrier;
  sms: SmsCenter;
  associations: Associations;
  now: () => number;
  /** how the bench's phone reaches the site: cellular asks the network PIN, Wi-Fi the d ACCOUNT */
  phoneOn: () => 'wifi' | 'cellular';
}

const box = z.literal('on').optional().transform(Boolean);
/** What the application asks for, and the consent; a field not posted is a box not ticked. */
const Choice = z.object({
  oneNumber: z
    .enum(['on', 'off'])
    .optional()
    .transform((v) => v === 'on'),
  multiDevice: box,
  consent: box,
});

const detailFields = CustomerDetails.keyof().options;

/** The application form as posted: the boxes (one posted with another value counts as not ticked) and the text fields. */
function applicationOf(posted: unknown): { choice: z.infer<typeof Choice>; strings: Record<string, string>; form: view.ApplyForm } {
  const body = (posted ?? {}) as Record<string, unknown>;
  const ticked = Choice.safeParse(body);
  const choice = ticked.success ? ticked.data : { oneNumber: false, multiDevice: false, consent: false };
  const strings = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const details = Object.fromEntries(detailFields.filter((name) => name in strings).map((name) => [name, strings[name]!]));
  return { choice, strings, form: { ...choice, details } };
}

/**
 * NTT DOCOMO's One Number site (guide STEP 1 ②–④, steps 13–38): the login to the line, the One
 * Number subscription and the Multi-Device Option with the customer's details, and the
 * association with the BMW ID, which ends by sending the phone back to the My BMW app. Entered
 * only from the app (`/docomo/authorize` with its pushed request); server-rendered forms, no script,
 * each with the visit's CSRF token. The customer's details stay in the visit: never logged, never
 * in an automation reply, gone with the visit.
 */
export function docomoRoutes(app: FastifyInstance, deps: DocomoDeps): void {
  const visits = new WebSessions<Visit>('docomo_session', '/docomo', 30 * 60_000, deps.now);
  const lineOf = (visit: WebSession<Visit>) => deps.carrier.line(visit.data.accountId);
  /** The visit, logged in to a line; otherwise the page that says where to go. */
  const member = admission((request, reply, post): WebSession<Visit> | null => {
    const visit = post ? visits.checked(request) : visits.get(request);
    if (!visit) {
      void sendPage(reply, view.startInApp(), post ? 403 : 200);
      return null;
    }
    if (!visit.data.loggedIn) {
      void reply.redirect('/docomo/login', 303);
      return null;
    }
    return visit;
  });
  const banner = (visit: WebSession<Visit>) => {
    const line = lineOf(visit);
    const newest = line ? deps.sms.inbox(line.msisdn).at(-1) : undefined;
    return newest ? `SMS ${newest.from}: ${newest.text}` : null;
  };

  app.get('/docomo/style.css', (_request, reply) => reply.type('text/css').send(view.docomoStyle));

  // Step 13: "CHECK WITH PROVIDER" lands here with the app's pushed request.
  app.get('/docomo/authorize', (request, reply) => {
    const query = z.object({ client_id: z.string().max(64), request_uri: z.string().max(200) }).safeParse(request.query);
    // (the same browser coming back to it keeps its visit; another browser gets nothing)
    const current = visits.get(request);
    const holder = current && query.success && current.data.requestUri === query.data.request_uri ? current.data.holder : randomBytes(16).toString('base64url');
    const pushed = query.success ? deps.associations.request(query.data.request_uri, query.data.client_id, holder) : null;
    if (!query.success || !pushed || !associationClients.includes(pushed.clientId)) return sendPage(reply, view.startInApp(), 400);
    if (current?.data.holder === holder) return reply.redirect('/docomo/login', 303);
    visits.start(reply, {
      requestUri: query.data.request_uri,
      holder,
      accountId: pushed.accountId,
      clientId: pushed.clientId,
      via: pushed.via,
      loggedIn: false,
      awaitingCode: false,
      dAccount: '',
      application: null,
      draft: null,
    });
    return reply.redirect('/docomo/login', 303);
  });

  app.get('/docomo/login', (request, reply) => {
    const visit = visits.get(request);
    if (!visit) return sendPage(reply, view.startInApp());
    if (visit.data.loggedIn) return reply.redirect('/docomo/onenumber', 303);
    if (visit.data.awaitingCode) return sendPage(reply, view.codeEntry(visit.csrf, visit.data.dAccount, banner(visit)));
    // A PC has no network PIN: the d ACCOUNT, always (PC path step 8).
    return sendPage(reply, deps.phoneOn() === 'cellular' && visit.data.via === 'phone' ? view.pinLogin(visit.csrf) : view.dAccountLogin(visit.csrf, ''));
  });

  // Step 14 on cellular: the network PIN, three wrong ones lock it.
  app.post('/docomo/login/pin', limited('carrierLogin'), (request, reply) => {
    const visit = visits.checked(request);
    const form = z.object({ pin: z.string().max(8) }).safeParse(request.body);
    if (!visit || !form.success || visit.data.via !== 'phone') return sendPage(reply, view.startInApp(), 403);
    const result = deps.carrier.checkNetworkPin(visit.data.accountId, form.data.pin.normalize('NFKC'));
    if (!result.ok) {
      const message = result.triesLeft > 0 ? docomoText('pinWrong', { left: result.triesLeft }) : docomoText('pinLocked');
      return sendPage(reply, view.pinLogin(visit.csrf, message));
    }
    visit.data.loggedIn = true;
    // (a new session id once logged in: one fixed before the login is worth nothing after it)
    visits.renew(request, reply);
    return reply.redirect('/docomo/onenumber', 303);
  });

  // Step 14 on Wi-Fi (PC path 8–9): the d ACCOUNT ID of this line, then its password and the code sent by SMS.
  app.post('/docomo/login/daccount', limited('carrierLogin'), (request, reply) => {
    const visit = visits.checked(request);
    const form = z.object({ dAccount: z.string().max(64) }).safeParse(request.body);
    if (!visit || !form.success) return sendPage(reply, view.startInApp(), 403);
    // (one answer for an ID nobody has and one of another line: the page tells no one which IDs exist)
    if (deps.carrier.ownerOfDAccount(form.data.dAccount) !== visit.data.accountId) {
      return sendPage(reply, view.dAccountLogin(visit.csrf, form.data.dAccount, docomoText('dAccountRefused')));
    }
    visit.data.awaitingCode = true;
    visit.data.dAccount = form.data.dAccount.trim();
    const sent = deps.sms.sendCode(visit.id, lineOf(visit)!.msisdn);
    if ('retryAfterSeconds' in sent)
      return sendPage(reply, view.codeEntry(visit.csrf, visit.data.dAccount, banner(visit), tooManyCodes(sent.retryAfterSeconds)), 429);
    return reply.redirect('/docomo/login', 303);
  });

  app.post('/docomo/login/code', limited('carrierLogin'), (request, reply) => {
    const visit = visits.checked(request);
    const form = z.object({ password: z.string().max(128), code: z.string().max(12) }).safeParse(request.body);
    if (!visit || !form.success || !visit.data.awaitingCode) return sendPage(reply, view.startInApp(), 403);
    const again = (message: string, status?: number) => sendPage(reply, view.codeEntry(visit.csrf, visit.data.dAccount, banner(visit), message), status);
    const msisdn = lineOf(visit)!.msisdn;
    // Counted as the carrier counts: the password per d ACCOUNT, the codes per line.
    const password = deps.carrier.checkDPassword(visit.data.accountId, form.data.password, deps.now());
    if (typeof password === 'object') return again(docomoText('passwordLocked', { tries: dPasswordTries, minutes: minutesOf(password.lockedForSeconds) }), 429);
    if (password === 'wrong') return again(docomoText('passwordWrong'));
    const result = deps.sms.checkCode(visit.id, form.data.code.normalize('NFKC'), msisdn);
    if (result === 'locked') return again(codeLocked(deps.sms.lockedFor(msisdn)), 429);
    if (result === 'wrong') return again(docomoText('codeWrong'));
    if (result === 'expired') return again(docomoText('codeExpired'));
    visit.data.awaitingCode = false;
    visit.data.loggedIn = true;
    visits.renew(request, reply);
    return reply.redirect('/docomo/onenumber', 303);
  });

  app.post('/docomo/login/resend', limited('carrierLogin'), (request, reply) => {
    const visit = visits.checked(request);
    if (!visit || !visit.data.awaitingCode) return sendPage(reply, view.startInApp(), 403);
    const msisdn = lineOf(visit)!.msisdn;
    const sent = deps.sms.sendCode(visit.id, msisdn);
    if ('retryAfterSeconds' in sent) {
      const locked = deps.sms.lockedFor(msisdn);
      return sendPage(
        reply,
        view.codeEntry(visit.csrf, visit.data.dAccount, banner(visit), locked > 0 ? codeLocked(locked) : tooManyCodes(sent.retryAfterSeconds)),
        429,
      );
    }
    return reply.redirect('/docomo/login', 303);
  });

  app.get('/docomo/onenumber', member.page, (request, reply) => {
    const visit = member.of(request);
    return sendPage(reply, view.status(lineOf(visit)!));
  });

  app.get('/docomo/connected-car', (_request, reply) => sendPage(reply, view.connectedCar()));

  // PC path step 11: the d ACCOUNT set up for the line, then back to the application.
  app.post('/docomo/daccount-setup', { ...limited('carrierForm'), ...member.form }, (request, reply) => {
    const visit = member.of(request);
    deps.carrier.setUpDAccount(visit.data.accountId);
    return reply.redirect('/docomo/apply', 303);
  });

  app.get('/docomo/terms', (request, reply) => {
    const which = (request.query as { for?: string }).for === 'multiDevice' ? 'multiDevice' : 'oneNumber';
    return sendPage(reply, view.termsPage(which));
  });

  // Step 17 from the application form: the form goes along and is kept, so that 「閉じる」 (step
  // 18) brings the customer back to what they had ticked and typed.
  app.post('/docomo/apply/terms', { ...limited('carrierForm'), ...member.form }, (request, reply) => {
    const visit = member.of(request);
    const { form } = applicationOf(request.body);
    visit.data.draft = form;
    return sendPage(reply, view.termsPage(lineOf(visit)!.subscribed ? 'multiDevice' : 'oneNumber'));
  });

  // Steps 16–23 (29–30): what, consent, and the customer's details.
  app.get('/docomo/apply', member.page, (request, reply) => {
    const visit = member.of(request);
    const line = lineOf(visit)!;
    if (line.subscribed && line.multiDevice) return reply.redirect('/docomo/onenumber', 303);
    if (line.dAccountSetUp === false) return sendPage(reply, view.dAccountNotSetUp(visit.csrf));
    const multiDevice = (request.query as { option?: string }).option === 'multiDevice';
    const form = visit.data.draft ?? { oneNumber: !line.subscribed, multiDevice, consent: false, details: {} };
    return sendPage(reply, view.applyPage(visit.csrf, line, form, {}));
  });

  app.post('/docomo/apply', { ...limited('carrierForm'), ...member.form }, (request, reply) => {
    const visit = member.of(request);
    const line = lineOf(visit)!;
    if (line.dAccountSetUp === false) return sendPage(reply, view.dAccountNotSetUp(visit.csrf));
    const { choice, strings } = applicationOf(request.body);
    visit.data.draft = null;
    const details = CustomerDetails.safeParse(strings);
    const errors: Record<string, string> = details.success ? {} : fieldErrors(details.error);
    const oneNumber = choice.oneNumber && !line.subscribed;
    const multiDevice = choice.multiDevice;
    if (!oneNumber && !(line.subscribed && multiDevice)) errors.what = docomoText(line.subscribed ? 'chooseOption' : 'chooseOneNumber');
    if (!choice.consent) errors.consent = docomoText('consent');
    if (!details.success || Object.keys(errors).length > 0) {
      return sendPage(reply, view.applyPage(visit.csrf, line, { oneNumber, multiDevice, consent: choice.consent, details: strings }, errors));
    }
    visit.data.application = { oneNumber, multiDevice, details: details.data, payment: null };
    return sendPage(reply, view.paymentPage(visit.csrf));
  });

  app.post('/docomo/apply/payment', { ...limited('carrierForm'), ...member.form }, (request, reply) => {
    const visit = member.of(request);
    const application = visit.data.application;
    const form = z.object({ payment: z.enum(Object.keys(payments) as [keyof typeof payments]) }).safeParse(request.body);
    if (!application) return reply.redirect('/docomo/apply', 303);
    if (!form.success) return sendPage(reply, view.paymentPage(visit.csrf, docomoText('payment')));
    application.payment = form.data.payment;
    return sendPage(reply, view.confirmPage(visit.csrf, application, application.details, form.data.payment));
  });

  app.post('/docomo/apply/complete', { ...limited('carrierForm'), ...member.form }, (request, reply) => {
    const visit = member.of(request);
    const application = visit.data.application;
    if (!application?.payment) return reply.redirect('/docomo/apply', 303);
    deps.carrier.subscribe(visit.data.accountId, application);
    // (the customer's details go with the application: the site keeps the contract, not the form)
    visit.data.application = null;
    return sendPage(reply, view.donePage());
  });

  // Steps 35–38: the association, which sends the phone back to the app.
  app.get('/docomo/association', member.page, (request, reply) => {
    const visit = member.of(request);
    if (!lineOf(visit)!.subscribed) return reply.redirect('/docomo/onenumber', 303);
    return sendPage(reply, view.associationPage(visit.csrf));
  });

  app.post('/docomo/association', { ...limited('carrierForm'), ...member.form }, (request, reply) => {
    const visit = member.of(request);
    const form = z.object({ decision: z.enum(['associate', 'cancel']), consent: box }).safeParse(request.body);
    if (!form.success) return sendPage(reply, view.associationPage(visit.csrf), 400);
    if (!deps.associations.request(visit.data.requestUri, visit.data.clientId, visit.data.holder))
      return sendPage(reply, view.startInApp(docomoText('requestExpired')), 410);
    if (form.data.decision === 'cancel') {
      const back = deps.associations.decline(visit.data.requestUri);
      visits.end(request, reply);
      return reply.redirect(back, 303);
    }
    if (!form.data.consent) return sendPage(reply, view.associationPage(visit.csrf, docomoText('associationConsent')));
    const back = deps.associations.approve(visit.data.requestUri);
    visits.end(request, reply);
    return sendPage(reply, view.associatedPage(back));
  });
}

/** The line has had its codes for now: when to ask again. */
const tooManyCodes = (seconds: number) => docomoText('tooManyCodes', { minutes: minutesOf(seconds) });
/** Too many wrong codes on the line: its code login waits. */
const codeLocked = (seconds: number) => docomoText('codeLocked', { minutes: minutesOf(seconds) });
