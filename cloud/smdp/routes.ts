import Fastify, { type FastifyInstance } from 'fastify';
import * as z from 'zod';
import { advertisedAddress, capConnectionsPerAddress } from '../network';
import { Es9Error } from './errors';
import type { Smdp } from './es9plus';
import type { SmdpFaults } from './faults';
import { smdpTls, type SmdpTls } from './tls';
import type { Es9Function } from '../../shared/rsp/es9Fault';
import { zodOnly } from '../zodOnly';

/** The X-Admin-Protocol this SM-DP+ speaks (SGP.22 §6.5.1.1); requests must name a v2 one. */
const adminProtocol = 'gsma/rsp/v2.2.2';

const B64 = z.string().min(1).max(16_384);
const Id = z.string().regex(/^[0-9A-Fa-f]{2,32}$/);
const requests = {
  initiateAuthentication: z.object({ euiccChallenge: B64, euiccInfo1: B64, smdpAddress: z.string().min(1).max(255) }),
  authenticateClient: z.object({ transactionId: Id, authenticateServerResponse: B64 }),
  getBoundProfilePackage: z.object({ transactionId: Id, prepareDownloadResponse: B64 }),
  handleNotification: z.object({ pendingNotification: B64 }),
  cancelSession: z.object({ transactionId: Id, cancelSessionResponse: B64 }),
} satisfies Record<Es9Function, z.ZodType>;

function failed(subjectCode: string, reasonCode: string, message: string) {
  return { header: { functionExecutionStatus: { status: 'Failed', statusCodeData: { subjectCode, reasonCode, message } } } };
}
const success = { header: { functionExecutionStatus: { status: 'Executed-Success' } } };

/**
 * The SM-DP+ as the cloud holds it: the bench's faults at once, the engine (its PKI, the profile
 * maker) loaded when ES9+ is first called; both new when the world is loaded again.
 */
export interface SmdpHost {
  faults(): SmdpFaults;
  engine(): Promise<Smdp>;
}

/**
 * ES9+ over HTTPS (SGP.22 §6.5): POST with a JSON body, the DER structures base64, the
 * X-Admin-Protocol header both ways, results in `header.functionExecutionStatus` with SGP.22's
 * subject and reason codes and HTTP 200 (HandleNotification: 204, no body). A body that is not
 * JSON gets 400, one over 64 KB 413, a missing or v1 protocol header 400, each with its
 * functionExecutionStatus, never a server error.
 */
export function smdpRoutes(app: FastifyInstance, smdp: SmdpHost): void {
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode === 413 ? 413 : error.statusCode && error.statusCode < 500 ? 400 : 500;
    void reply
      .code(status)
      .header('X-Admin-Protocol', adminProtocol)
      .send(failed('1.2', status === 413 ? '2.3' : '2.1', status === 413 ? 'the request is too large' : 'the request is not JSON'));
  });
  app.setNotFoundHandler(
    (_request, reply) =>
      void reply
        .code(404)
        .header('X-Admin-Protocol', adminProtocol)
        .send(failed('1.1', '1.1', 'no such function')),
  );
  for (const name of Object.keys(requests) as (keyof typeof requests)[]) {
    app.post(`/gsma/rsp2/es9plus/${name}`, async (request, reply) => {
      void reply.header('X-Admin-Protocol', adminProtocol);
      if (!/^gsma\/rsp\/v2\.\d+\.\d+$/.test(String(request.headers['x-admin-protocol'] ?? '')))
        return reply.code(400).send(failed('1.2', '2.1', 'X-Admin-Protocol must be gsma/rsp/v2.x.y'));
      const body = requests[name].safeParse(request.body);
      if (!body.success) return failed('1.2', '2.1', 'the request is not what ES9+ expects');
      // (what the bench asked of it: held, or failed with the codes given)
      const fault = smdp.faults().take(name);
      if (fault?.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delaySeconds * 1000));
      if (fault?.mode === 'error') return failed(fault.subjectCode, fault.reasonCode, 'the SM-DP+ failed (a bench fault)');
      try {
        const engine = await smdp.engine();
        const answer = await (engine[name] as (b: unknown) => Promise<object | void>).call(engine, body.data);
        if (name === 'handleNotification') return reply.code(204).send();
        return { ...success, ...(answer ?? {}) };
      } catch (error) {
        if (error instanceof Es9Error) return failed(error.subjectCode, error.reasonCode, error.message);
        throw error;
      }
    });
  }
}

/**
 * The SM-DP+'s own HTTPS listener on `host` and `port` (0: any), or first on `preferred` (the port
 * of the last run, so that what the eUICCs and LPAs hold of its address stays good) when `port` is
 * 0 and that one is free; `onChange` told after every answer. Its TLS identity (see SmdpTls) is
 * `kept` when that names the advertised address, localhost and 127.0.0.1 and is usable, else a
 * new one. Resolves with its address as an activation code names it (`host:port`) and the TLS
 * identity it uses, for the cloud to keep.
 */
export async function listenSmdp(
  host: string,
  port: number,
  smdp: SmdpHost,
  onChange?: () => void,
  preferred?: number,
  kept?: SmdpTls,
): Promise<{ address: string; tls: SmdpTls; close(): Promise<void> }> {
  const advertised = advertisedAddress(host);
  const hosts = [...new Set([advertised, 'localhost', '127.0.0.1'])];
  // A TLS handshake that does not finish, or a silent socket, is cut off within 10 s; connections are
  // bounded per client address, so that one client's sockets cannot refuse every car's ES9+ calls.
  const serve = (tls: SmdpTls) =>
    Fastify({
      ...zodOnly,
      logger: false,
      https: { key: tls.key, cert: tls.cert, handshakeTimeout: 10_000 },
      bodyLimit: 64 * 1024,
      connectionTimeout: 10_000,
      requestTimeout: 30_000,
    });
  let tls = await smdpTls(hosts, kept);
  let app: ReturnType<typeof serve>;
  try {
    app = serve(tls);
  } catch {
    // (a kept key or certificate that TLS cannot use, a hand-edited file say: a new one)
    tls = await smdpTls(hosts);
    app = serve(tls);
  }
  app.server.maxConnections = 4096;
  capConnectionsPerAddress(app.server, 64);
  smdpRoutes(app, smdp);
  // (every ES9+ call may change an order: the cloud's state on disk follows)
  if (onChange) app.addHook('onResponse', async () => onChange());
  const listening = new URL(await listenPreferring(app, host, port, preferred));
  const hostPart = advertised.includes(':') ? `[${advertised}]` : advertised;
  return { address: `${hostPart}:${listening.port}`, tls, close: () => app.close() };
}

async function listenPreferring(app: ReturnType<typeof Fastify>, host: string, port: number, preferred: number | undefined): Promise<string> {
  if (port === 0 && preferred) {
    try {
      return await app.listen({ host, port: preferred });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  return app.listen({ host, port });
}
