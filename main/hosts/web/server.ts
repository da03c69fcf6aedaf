import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyRequest, type onSendHookHandler } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { automationContract, invalidRequest, rendererContract, RequestEnvelope, type Reply, type ViewPush } from '../../../shared/contract';
import { createDispatch, type Dispatch } from '../dispatch';
import { automationHandlers, rendererHandlers, type CarHost, type Display } from '../handlers';
import { contentSecurityPolicy } from '../csp';
import { coalesced } from '../coalesce';
import { advertisedAddress, baseUrl, isLoopback, isWildcard, localAddresses, portProblem } from '../../../cloud/network';
import { sameSecret } from '../../../cloud/passwords';
import { zodOnly } from '../../../cloud/zodOnly';
import { displayFiles } from './displayFiles';

export interface WebHostOptions {
  /** the car served (its core replaced when a checkpoint is restored) */
  car: CarHost;
  /** address to listen on: 127.0.0.1, or what `--automation-host` names (then `token` is required) */
  host: string;
  /**
   * The secret every request must carry when the host listens beyond loopback (`?token=` once, then
   * a cookie; or `Authorization: Bearer`). Undefined: loopback only, no token.
   */
  token?: string;
  /** 0 picks a free port */
  port: number;
  /** the built renderer (index.html and assets) */
  rendererDir: string;
  /** the display automation uses for screenshots and taps */
  display: () => Promise<Display>;
  log: (message: string) => void;
  /** how often a WebSocket must answer a ping to stay open (default 30 s) */
  pingIntervalMs?: number;
}

/** A display or two and a few scripts: more connections than this is a client gone wrong. */
export const maxConnections = 64;

export interface WebHost {
  /** where the display is, never a wildcard address (without the token) */
  url: string;
  close(): Promise<void>;
}

/** Answers 204 once the head unit is up, to anyone: for health checks and readiness probes. */
export const readyPath = '/ready';

/** An HTTP body larger than this is not a request of ours: refuse it before parsing. */
const maxBodyBytes = 64 * 1024;
/** A WebSocket message larger than this is refused before parsing: room for a timeline to replay (5,000 events). */
const maxMessageBytes = 2 * 1024 * 1024;

/**
 * The web host: the same renderer and core as the Electron host, over HTTP and WebSocket.
 * `/bridge` is the display's channel (the renderer contract, plus view pushes);
 * `/automation` is the automation API. Every request is refused unless its Host names an address
 * the host listens on and its Origin (if any) is that host, so that a web page elsewhere (or a
 * DNS-rebound name) cannot drive the car; beyond loopback, it also needs the token.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { car, log } = options;
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`the display is not built (${options.rendererDir}): run "npm run build" first`);
  }
  // Bounded: a flood of idle or slow connections is cut off and cannot starve the car of files.
  const app = Fastify({ ...zodOnly, logger: false, bodyLimit: maxBodyBytes, connectionTimeout: 30_000, requestTimeout: 10_000, keepAliveTimeout: 5_000 });
  app.server.maxConnections = maxConnections;
  app.server.headersTimeout = 10_000;
  await app.register(fastifyWebsocket, { options: { maxPayload: maxMessageBytes } });
  const dispatchRenderer = createDispatch(rendererContract, rendererHandlers(car), log);
  const dispatchAutomation = createDispatch(automationContract, automationHandlers(car, options.display), log);

  if (!isLoopback(options.host) && !options.token) throw new Error(`the web host listens on ${options.host} only with a token`);
  // The names a request may give in Host: those of the addresses this host listens on, never
  // taken from the request (a DNS-rebound name, or a LAN client claiming 127.0.0.1, is refused).
  let allowedHosts = new Set<string>();
  const trusted = (request: FastifyRequest): boolean => {
    const host = request.headers.host ?? '';
    if (!allowedHosts.has(host)) return false;
    const origin = request.headers.origin;
    return origin === undefined || origin === `http://${host}`;
  };
  const token = options.token ? tokenCheck(options.token) : null;
  // Every request, page and sockets alike, passes the Host check, and the token where one is set.
  // A request bearing the token in Authorization and no Origin is a program's (a page cannot set
  // that header cross-origin without a CORS grant, nor know the token): it may come through any
  // name, as `compose port`, a Kubernetes Service or a port-forward give. Browsers keep the rule.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.split('?')[0] === readyPath) return;
    const program = request.headers.origin === undefined && token?.(bearerOf(request.headers.authorization));
    if (program) return;
    if (!trusted(request)) return reply.code(403).send('forbidden');
    if (!token) return;
    const query = (request.query as Record<string, unknown> | undefined)?.token;
    const offered = typeof query === 'string' ? query : (bearerOf(request.headers.authorization) ?? cookieOf(request.headers.cookie, tokenCookie));
    if (!token(offered)) return reply.code(401).header('WWW-Authenticate', 'Bearer').send('this head unit needs its automation token (printed at its start)');
    // A browser that came with ?token= keeps it in a cookie for the page's assets and sockets.
    if (typeof query === 'string') reply.header('Set-Cookie', `${tokenCookie}=${query}; Path=/; HttpOnly; SameSite=Strict`);
  });

  const securityHeaders: onSendHookHandler = async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  };
  app.addHook('onSend', securityHeaders);
  const files = displayFiles(options.rendererDir, securityHeaders);
  app.get('/*', (request, reply) => files.serve(request, reply));
  // For a container engine's health check and a Kubernetes readiness probe: no token, no Host
  // rule, and nothing said beyond "up" (an empty 204).
  app.get(readyPath, async (_request, reply) => reply.code(204).send());

  const pingEvery = options.pingIntervalMs ?? 30_000;
  app.get('/bridge', { websocket: true }, (socket) => {
    keepAlive(socket, pingEvery);
    // One view push per turn; the pending one goes out before any answer, so an input's answer
    // never reaches the display ahead of the view it made.
    const pushes = coalesced((view: ViewPush['view']) => send(socket, { push: 'view', view } satisfies ViewPush));
    serve(socket, dispatchRenderer, pushes.flush);
    const stop = car.onView(pushes.push);
    socket.on('close', () => {
      stop();
      pushes.cancel();
    });
  });
  app.get('/automation', { websocket: true }, (socket) => {
    keepAlive(socket, pingEvery);
    serve(socket, dispatchAutomation);
  });

  const port = Number(
    new URL(
      await app.listen({ host: options.host, port: options.port }).catch((error: unknown) => {
        throw portProblem(error, `the head unit's display and automation port ${options.port} on ${options.host}`, '--port');
      }),
    ).port,
  );
  const names = isWildcard(options.host) ? localAddresses() : isLoopback(options.host) ? ['127.0.0.1', 'localhost'] : [options.host];
  allowedHosts = new Set(names.map((name) => new URL(baseUrl(name, port)).host));
  const url = baseUrl(advertisedAddress(options.host), port);
  return {
    url,
    close: async () => {
      await app.close();
      await files.close();
    },
  };
}

const tokenCookie = 'idrive_automation';

/** Compares in constant time (cloud/passwords.ts). */
function tokenCheck(secret: string): (offered: string | undefined) => boolean {
  return (offered) => offered !== undefined && sameSecret(offered, secret);
}

function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Pings the socket every interval; one that did not answer the last ping is closed (a client gone silent). */
function keepAlive(socket: WebSocket, intervalMs: number): void {
  let answered = true;
  socket.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (!answered) {
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  socket.on('close', () => clearInterval(timer));
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** Requests on one socket, answered in the order they finish (each reply carries its id). */
function serve(socket: WebSocket, dispatch: Dispatch, beforeReply: () => void = () => {}): void {
  socket.on('message', (data, isBinary) => {
    void (async () => {
      const envelope = isBinary ? undefined : RequestEnvelope.safeParse(parseJson(data.toString()));
      if (!envelope?.success) {
        send(socket, { id: -1, ok: false, error: invalidRequest } satisfies Reply);
        return;
      }
      const { id, channel, payload } = envelope.data;
      const outcome = await dispatch(channel, payload);
      beforeReply();
      send(socket, { id, ...outcome } satisfies Reply);
    })();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
