import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { automationContract, invalidRequest, rendererContract, RequestEnvelope, type Reply, type ViewPush } from '../../../shared/contract';
import type { Core } from '../../core';
import { createDispatch, type Dispatch } from '../dispatch';
import { automationHandlers, rendererHandlers, type Display } from '../handlers';
import { contentSecurityPolicy } from '../csp';

export interface WebHostOptions {
  core: Core;
  /** address to listen on; 127.0.0.1 unless the bench asks for the LAN */
  host: string;
  /** 0 picks a free port */
  port: number;
  /** the built renderer (index.html and assets) */
  rendererDir: string;
  /** the display automation uses for screenshots and taps */
  display: () => Promise<Display>;
  log: (message: string) => void;
}

export interface WebHost {
  url: string;
  close(): Promise<void>;
}

/** A request larger than this is not a controller input: refuse it before parsing. */
const maxMessageBytes = 64 * 1024;

/**
 * The web host: the same renderer and core as the Electron host, over HTTP and WebSocket.
 * `/bridge` is the display's channel (the renderer contract, plus view pushes);
 * `/automation` is the automation API. Both refuse other origins and unexpected Host headers,
 * so that a web page elsewhere (or a DNS-rebound name) cannot drive the car.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, log } = options;
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`the display is not built (${options.rendererDir}): run "npm run build" first`);
  }
  const app = Fastify({ logger: false, bodyLimit: maxMessageBytes });
  await app.register(fastifyWebsocket, { options: { maxPayload: maxMessageBytes } });
  let url = '';
  const dispatchRenderer = createDispatch(rendererContract, rendererHandlers(core), log);
  const dispatchAutomation = createDispatch(automationContract, automationHandlers(core, options.display), log);

  const trusted = (request: FastifyRequest): boolean => {
    const port = new URL(url).port;
    const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${options.host}:${port}`]);
    const host = request.headers.host ?? '';
    if (!allowedHosts.has(host)) return false;
    const origin = request.headers.origin;
    return origin === undefined || origin === `http://${host}`;
  };
  const guard = async (request: FastifyRequest, reply: { code(n: number): { send(b: string): unknown } }) => {
    if (!trusted(request)) return reply.code(403).send('forbidden');
  };

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });
  await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' });

  app.get('/bridge', { websocket: true, preValidation: guard }, (socket) => {
    serve(socket, dispatchRenderer);
    const push = (view: ViewPush['view']) => send(socket, { push: 'view', view } satisfies ViewPush);
    const stop = core.onView(push);
    socket.on('close', stop);
  });
  app.get('/automation', { websocket: true, preValidation: guard }, (socket) => serve(socket, dispatchAutomation));

  const address = await app.listen({ host: options.host, port: options.port });
  url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${new URL(address).port}/`;
  return {
    url,
    close: async () => {
      await app.close();
    },
  };
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** Requests on one socket, answered in the order they finish (each reply carries its id). */
function serve(socket: WebSocket, dispatch: Dispatch): void {
  socket.on('message', (data, isBinary) => {
    void (async () => {
      const envelope = isBinary ? undefined : RequestEnvelope.safeParse(parseJson(data.toString()));
      if (!envelope?.success) {
        send(socket, { id: -1, ok: false, error: invalidRequest } satisfies Reply);
        return;
      }
      const { id, channel, payload } = envelope.data;
      send(socket, { id, ...(await dispatch(channel, payload)) } satisfies Reply);
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
