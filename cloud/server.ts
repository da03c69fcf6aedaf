import { createServer, type Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { advertisedAddress, baseUrl, capConnectionsPerAddress, isLoopback, plainAddress } from './network';
import { registerLimits } from './limits';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { LiveBehaviour, Scenario } from '../shared/scenario';
import { Accounts } from './accounts';
import { PasswordAttempts } from './oauth/attempts';
import { DeviceFlow } from './oauth/deviceFlow';
import { headUnitClientId, oauthRoutes } from './oauth/routes';
import { Tokens, type TokensState } from './oauth/tokens';
import { phoneRoutes } from './phone/routes';
import { icon } from './phone/page';
import { Carrier, type OneNumberLine } from './carrier/carrier';
import { SmsCenter } from './carrier/sms';
import { Associations } from './docomo/association';
import { docomoRoutes } from './docomo/routes';
import { appRoutes } from './app/routes';
import { portalRoutes } from './portal/routes';
import { ProfileNumbers, type ProfileNumber } from './portal/numbers';
import { odsaRoutes } from './carrier/odsa';
import { outageHook } from './outage';
import { liveBehaviour } from './world/commands';
import { worldRoutes } from './world/routes';
import type { Outage } from '../shared/cloudWorld';
import type { Smdp } from './smdp/es9plus';
import { SmdpFaults } from './smdp/faults';
import { Orders, type Order } from './smdp/orders';
import { listenSmdp, type SmdpHost } from './smdp/routes';
import type { SmdpTls } from './smdp/tls';
import { guardSiteForms, isSitePath, sendNotFoundPage } from './web/formGuard';
import { loadPhrasing } from './web/phrases';
import { zodOnly } from './zodOnly';

export interface CloudOptions {
  scenario: Scenario;
  /**
   * Where cars and admins reach it: 127.0.0.1 (the embedded cloud), or an address a team's cars
   * share (`npm run cloud -- --host`). A wildcard listens everywhere and advertises the LAN address.
   * The admin endpoints answer loopback peers only, whatever the address.
   */
  host: string;
  port: number;
  /** the SM-DP+'s own HTTPS port (0: any free one) */
  smdpPort?: number;
  /**
   * Starts the SM-DP+'s listener only once this settles, and resolves without waiting for it (its
   * TLS set-up stays off a car's start); requests that need its address wait for it. Default: now.
   */
  smdpAfter?: Promise<unknown>;
  /**
   * A second address, on the same port, that serves only what a phone opens from the QR code (the
   * `/device` pages and the forms they post): `--lan` on the car. The QR code then points here.
   */
  phoneHost?: string;
  now?: () => number;
  log?: (message: string) => void;
  /** the world as a previous run left it (tokens, orders, cars on lines) */
  state?: CloudState;
  /** rate-limit loopback peers too (by default the car and the bench's tools on this machine are not) */
  limitLoopback?: boolean;
  /** told after every request that may have changed the world, so a bench can keep it */
  onChange?: (state: CloudState) => void;
}

/** Connections the cloud's listeners hold at most, all together and per client address. */
export const maxConnections = 4096;
export const connectionsPerAddress = 256;

/**
 * What the world keeps across a restart of the emulator: a real cloud does not forget the tokens
 * it issued or the eSIMs it installed because a car was switched off. (The SM-DP+ key is new each
 * run; the car's simulated eUICC is told the new one.)
 */
export interface CloudState {
  tokens: TokensState;
  orders: Order[];
  devices: [string, string[]][];
  /** the DOCOMO lines as STEP 1 left them (subscriptions, associations, PIN lock) */
  lines?: [string, OneNumberLine][];
  /** the phone numbers on each BMW ID's profile (the web portal's) */
  profileNumbers?: [string, ProfileNumber[]][];
  /** what the bench changed of the scenario's behaviour while the cloud ran */
  behaviour?: LiveBehaviour;
  /** the embedded SM-DP+'s port, taken again at the next start where it is free (its address is in eUICCs' notifications and LPAs' sessions) */
  smdpPort?: number;
  /** the SM-DP+'s TLS identity, used again while it names the same addresses (no key made at each start) */
  smdpTls?: SmdpTls;
}

export interface Cloud {
  /** the base URL cars use, ending in / (never a wildcard address) */
  url: string;
  /** the base URL of the phone pages: the phone listener's, or `url` */
  phoneUrl: string;
  /** the SM-DP+'s address as activation codes name it (`host:port`, ES9+ over HTTPS); '' until `smdpReady` */
  readonly smdpAddress: string;
  /** resolves once the SM-DP+ listens (at once unless `smdpAfter` was given) */
  smdpReady: Promise<void>;
  /** replaces the world: accounts, codes, tokens, lifetimes, lines and orders */
  load(scenario: Scenario): void;
  close(): Promise<void>;
}

function world(scenario: Scenario, now: () => number) {
  // (a copy: the bench changes it live, and a scenario loaded again starts from its own)
  const behaviour = { ...scenario.cloud };
  const accounts = new Accounts(scenario.accounts);
  return {
    accounts,
    carrier: new Carrier(scenario.accounts.map((a) => ({ ...a, id: accounts.findByEmail(a.email)!.id }))),
    orders: new Orders(now),
    behaviour,
    flow: new DeviceFlow({
      get lifetimeSeconds() {
        return behaviour.deviceCodeLifetimeSeconds;
      },
      intervalSeconds: behaviour.pollIntervalSeconds,
      holdSeconds: behaviour.pollHoldSeconds,
      now,
    }),
    tokens: new Tokens(behaviour.accessTokenLifetimeSeconds, now),
    attempts: new PasswordAttempts(now),
    sms: new SmsCenter(now),
    associations: new Associations(now),
    numbers: new ProfileNumbers(),
    phoneOn: () => behaviour.phoneOn,
  };
}

/**
 * The outside world's servers as one real HTTP server: BMW ID (QR and e-mail login) and the phone
 * page. A car reaches it over HTTP like any client, at a base URL it is given.
 */
export async function startCloud(options: CloudOptions): Promise<Cloud> {
  const now = options.now ?? Date.now;
  const state = world(options.scenario, now);
  if (options.state) {
    state.tokens.restore(options.state.tokens);
    state.orders.restore(options.state.orders);
    state.carrier.restoreDevices(options.state.devices);
    if (options.state.lines) state.carrier.restoreLines(options.state.lines);
    if (options.state.profileNumbers) state.numbers.restore(options.state.profileNumbers);
    if (options.state.behaviour) Object.assign(state.behaviour, options.state.behaviour);
  }

  // A slow body or an idle (or silent) connection is cut off within 10 s; connections are bounded
  // per client address, so that one client's sockets cannot shut everybody else out (and none can
  // hold the head unit's files: the cloud runs in its process).
  // (a site's address with a trailing slash, /app/, is the same page, as on any web site)
  const app = Fastify({
    ...zodOnly,
    logger: false,
    bodyLimit: 16 * 1024,
    connectionTimeout: 10_000,
    requestTimeout: 10_000,
    keepAliveTimeout: 5_000,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.server.maxConnections = maxConnections;
  app.server.headersTimeout = 10_000;
  capConnectionsPerAddress(app.server, connectionsPerAddress);
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  await registerLimits(app, options.limitLoopback ?? false);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer a browser posts the login form with
    // `Origin: null`, and the page could no longer tell its own form from another site's.
    reply.header('Referrer-Policy', 'same-origin');
    reply.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });
  let url = '';
  let phoneUrl = '';
  let smdpAddress = '';
  let smdpReady: Promise<void> = Promise.resolve();
  const deps = Object.assign(state, { publicUrl: () => url, phoneUrl: () => phoneUrl, now, smdpAddress: () => smdpAddress });
  // The SM-DP+'s engine and its certificates (the test PKI, whose CI the simulated eUICCs trust)
  // are loaded when ES9+ is first called: a car that never downloads a profile never loads them.
  let smdpFaults = new SmdpFaults();
  let engine: Promise<Smdp> | undefined;
  const smdp: SmdpHost = {
    faults: () => smdpFaults,
    engine: () =>
      (engine ??= Promise.all([import('./smdp/es9plus'), import('./smdp/identities')]).then(
        async ([{ Smdp }, { testIdentities }]) => new Smdp(await testIdentities(), deps.smdpAddress, deps.orders, deps.carrier, now),
      )),
  };
  // The sites' pages break Japanese lines with BudouX, loaded for the first page asked for, not at
  // the start (~40 ms bundled) and not for the car's API requests.
  app.addHook('onRequest', async (request) => {
    if (isSitePath(request.url)) await loadPhrasing();
  });
  // What hands out the SM-DP+'s address (activation codes) waits until it listens.
  app.addHook('preHandler', async (request) => {
    if (smdpAddress === '' && /^\/(entitlement|admin\/(smdp|world))/.test(request.url)) await smdpReady;
  });
  guardSiteForms(app);
  // (the bench's outage outlives a scenario loaded again, as the running cloud's condition)
  const outage: { current: Outage } = { current: { mode: 'none' } };
  outageHook(app, outage);
  worldRoutes(app, Object.assign(deps, { outage, smdpFaults: smdp.faults }));
  oauthRoutes(app, deps);
  const phoneLogin = phoneRoutes(app, deps);
  odsaRoutes(app, deps);
  appRoutes(app, deps, phoneLogin);
  docomoRoutes(app, deps);
  portalRoutes(app, deps);
  app.get('/health', () => ({ ok: true }));
  // A mistyped address on a site is a page in the reader's language; elsewhere (the APIs) JSON.
  app.setNotFoundHandler((request, reply) =>
    isSitePath(request.url)
      ? sendNotFoundPage(request, reply)
      : reply.code(404).send({ message: `Route ${request.method}:${request.url} not found`, error: 'Not Found', statusCode: 404 }),
  );
  // Every browser asks for it on every site: the project's own icon, not a 404 in each console.
  app.get('/favicon.ico', (_request, reply) => reply.type('image/svg+xml').header('Cache-Control', 'max-age=86400').send(icon));
  // Someone opening the cloud's address learns what it is and how a car uses it.
  app.get('/', () => ({
    service: 'BMW ID and carrier cloud (emulated): BMW ID login, NTT DOCOMO One Number entitlement, SM-DP+',
    metadata: `${url}.well-known/oauth-authorization-server`,
    clients: [headUnitClientId],
    useFromACar: `npm start -- --cloud-url ${url}`,
    phonePages: `${phoneUrl}device`,
    myBmwApp: `${phoneUrl}app`,
    bmwWebPortal: `${phoneUrl}portal/`,
    docomoConnectedCar: `${phoneUrl}docomo/connected-car`,
  }));
  const snapshot = (): CloudState => ({
    tokens: deps.tokens.export(),
    orders: deps.orders.all(),
    devices: deps.carrier.exportDevices(),
    lines: deps.carrier.exportLines(),
    profileNumbers: deps.numbers.export(),
    behaviour: liveBehaviour(deps),
    ...(smdpAddress ? { smdpPort: Number(smdpAddress.slice(smdpAddress.lastIndexOf(':') + 1)) } : {}),
    ...(smdpListener ? { smdpTls: smdpListener.tls } : {}),
  });
  if (options.onChange) {
    const onChange = options.onChange;
    app.addHook('onResponse', async (request) => {
      if (request.method !== 'GET') onChange(snapshot());
    });
  }

  // A browser page elsewhere whose name was rebound to this machine (DNS rebinding) must not reach
  // the cloud: what arrives on a loopback address must name a loopback host, and what arrives on the
  // LAN phone listener that address; a browser's Origin must be the host it names. (A team's cloud
  // on every interface answers to whatever names its network gives it, beyond loopback.)
  app.addHook('onRequest', async (request, reply) => {
    const local = request.socket.localAddress === undefined ? undefined : plainAddress(request.socket.localAddress);
    const host = request.headers.host ?? '';
    const hostName = hostNameOf(host);
    const named = isLoopback(local) ? isLoopback(hostName) : local !== undefined && local === options.phoneHost ? hostName === local : true;
    // (the sites' forms refuse a foreign Origin themselves, with their page: "this page has expired")
    const origin = request.headers.origin;
    if (named && (origin === undefined || origin === `http://${host}` || isSitePath(request.url))) return;
    return reply.code(403).type('text/plain; charset=utf-8').send('this address answers to its own names only');
  });
  // The phone's listener serves the phone pages and nothing else: the car's endpoints and the
  // admin stay on the main address. Decided by the socket the request came in on, never a header.
  const phoneListener = options.phoneHost;
  if (phoneListener) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.socket.localAddress !== undefined && plainAddress(request.socket.localAddress) === phoneListener && !isSitePath(request.url)) {
        return reply.code(404).send({ error: 'not_found', error_description: 'only the phone pages are served on this address' });
      }
    });
  }
  const listeners = await listenOn(app, [options.host, ...(phoneListener ? [phoneListener] : [])], options.port);
  url = baseUrl(advertisedAddress(options.host), listeners.port);
  // (a cloud closed before its SM-DP+ started never starts it; one closed while it starts closes it then)
  let closing = false;
  let smdpListener: Awaited<ReturnType<typeof listenSmdp>> | null = null;
  const smdpListening = Promise.resolve(options.smdpAfter).then(async () => {
    if (closing) return;
    const listener = await listenSmdp(
      options.host,
      options.smdpPort ?? 0,
      smdp,
      options.onChange ? () => options.onChange!(snapshot()) : undefined,
      options.state?.smdpPort,
      options.state?.smdpTls,
    );
    if (closing) return listener.close();
    smdpListener = listener;
  });
  smdpReady = smdpListening.then(() => {
    smdpAddress = smdpListener?.address ?? '';
    // (a new TLS identity is kept at once, with the port, so that the next start uses both again)
    if (smdpListener && smdpListener.tls !== options.state?.smdpTls) options.onChange?.(snapshot());
  });
  if (!options.smdpAfter) await smdpReady;
  phoneUrl = phoneListener ? baseUrl(advertisedAddress(phoneListener), listeners.port) : url;
  return {
    url,
    phoneUrl,
    get smdpAddress() {
      return smdpAddress;
    },
    smdpReady,
    load: (scenario) => {
      deps.flow.releaseAll();
      Object.assign(deps, world(scenario, now));
      // (its orders and carrier were replaced, and the bench's faults go with the old world)
      engine = undefined;
      smdpFaults = new SmdpFaults();
    },
    close: async () => {
      deps.flow.releaseAll();
      await listeners.close();
      closing = true;
      await smdpListener?.close();
      await app.close();
    },
  };
}

/**
 * Listens on each address with the same port (the first picks it when the port is 0). Fastify
 * listens on one address; the others are plain HTTP servers handing requests to the same routes.
 */
async function listenOn(app: FastifyInstance, hosts: string[], port: number): Promise<{ port: number; close(): Promise<void> }> {
  const [first, ...rest] = hosts;
  const chosen = Number(new URL(await app.listen({ host: first, port })).port);
  const extra: Server[] = [];
  for (const host of rest) {
    const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (request, response) =>
      app.routing(request, response),
    );
    server.maxConnections = app.server.maxConnections;
    server.timeout = 10_000; // (a silent socket too)
    capConnectionsPerAddress(server, connectionsPerAddress);
    extra.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(chosen, host, () => resolve());
    });
  }
  return {
    port: chosen,
    close: async () => {
      await Promise.all(extra.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/** The host name of a Host header (its port and IPv6 brackets off). */
function hostNameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d+$/, '');
}
