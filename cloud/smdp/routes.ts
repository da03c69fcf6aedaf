import Fastify, { type FastifyInstance } from 'fastify';
import * as z from 'zod';
import { issue, loadIdentity, toPem } from '../../shared/rsp/pki';
import { testPki } from '../../shared/rsp/testPki';
import * as x509 from '../../shared/rsp/x509';
import { advertisedAddress, capConnectionsPerAddress } from '../network';
import { Es9Error, type Smdp, type SmdpIdentities } from './es9plus';
import type { Es9Function } from '../../shared/rsp/es9Fault';

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
 * ES9+ over HTTPS (SGP.22 §6.5): POST with a JSON body, the DER structures base64, the
 * X-Admin-Protocol header both ways, results in `header.functionExecutionStatus` with SGP.22's
 * subject and reason codes and HTTP 200 (HandleNotification: 204, no body). A body that is not
 * JSON gets 400, one over 64 KB 413, a missing or v1 protocol header 400, each with its
 * functionExecutionStatus, never a server error.
 */
export function smdpRoutes(app: FastifyInstance, smdp: () => Smdp): void {
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
      const fault = smdp().faults.take(name);
      if (fault?.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delaySeconds * 1000));
      if (fault?.mode === 'error') return failed(fault.subjectCode, fault.reasonCode, 'the SM-DP+ failed (a bench fault)');
      try {
        const answer = await (smdp()[name] as (b: unknown) => Promise<object | void>)(body.data);
        if (name === 'handleNotification') return reply.code(204).send();
        return { ...success, ...(answer ?? {}) };
      } catch (error) {
        if (error instanceof Es9Error) return failed(error.subjectCode, error.reasonCode, error.message);
        throw error;
      }
    });
  }
}

/** The SM-DP+'s identities from the project's TEST-ONLY PKI. */
export async function testIdentities(): Promise<SmdpIdentities> {
  return { dpAuth: await loadIdentity(testPki.dpAuth), dpPb: await loadIdentity(testPki.dpPb), ci: new x509.X509Certificate(testPki.ci.certificate) };
}

/**
 * The SM-DP+'s own HTTPS listener on `host` (TLS with a certificate the test CI issues at start,
 * SGP.22's CERT.DP.TLS, for the advertised address, localhost and 127.0.0.1), `onChange` told
 * after every answer. Resolves with its address as an activation code names it (`host:port`).
 */
/**
 * The SM-DP+'s HTTPS listener on `port` (0: any), or first on `preferred` (the port of the last run,
 * so that what the eUICCs and LPAs hold of its address stays good) when `port` is 0 and that one is free.
 */
export async function listenSmdp(
  host: string,
  port: number,
  smdp: () => Smdp,
  onChange?: () => void,
  preferred?: number,
): Promise<{ address: string; close(): Promise<void> }> {
  const advertised = advertisedAddress(host);
  const tls = await issue(await loadIdentity(testPki.ci), { role: 'dpTls', hosts: [...new Set([advertised, 'localhost', '127.0.0.1'])] });
  const key = toPem('PRIVATE KEY', new Uint8Array(await crypto.subtle.exportKey('pkcs8', tls.privateKey)));
  // A TLS handshake that does not finish, or a silent socket, is cut off within 10 s; connections are
  // bounded per client address, so that one client's sockets cannot refuse every car's ES9+ calls.
  const app = Fastify({
    logger: false,
    https: { key, cert: tls.certificate.toString('pem'), handshakeTimeout: 10_000 },
    bodyLimit: 64 * 1024,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
  });
  app.server.maxConnections = 4096;
  capConnectionsPerAddress(app.server, 64);
  smdpRoutes(app, smdp);
  // (every ES9+ call may change an order: the cloud's state on disk follows)
  if (onChange) app.addHook('onResponse', async () => onChange());
  const listening = new URL(await listenPreferring(app, host, port, preferred));
  const hostPart = advertised.includes(':') ? `[${advertised}]` : advertised;
  return { address: `${hostPart}:${listening.port}`, close: () => app.close() };
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
