import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorReasons, type ErrorReason } from '../../shared/esim';
import { Es9Error, type Smdp } from './es9plus';

const Reason = z.custom<ErrorReason>((v) => (Object.values(errorReasons) as unknown[]).includes(v));

const B64 = z.string().min(1).max(4096);
const Pem = z.string().min(1).max(2048);
const Id = z.string().min(1).max(128);

const InitiateAuthentication = z.object({ euiccChallenge: B64, smdpAddress: z.string().max(255) });
const AuthenticateClient = z.object({
  transactionId: Id,
  authenticateServerResponse: z.object({
    euiccSigned1: z.object({ transactionId: Id, serverAddress: z.string().max(255), serverChallenge: B64, matchingId: z.string().max(128), eid: z.string().regex(/^\d{32}$/), freeMemory: z.number().int().min(0) }),
    euiccSignature1: B64,
    euiccCertificate: Pem,
  }),
});
const GetBoundProfilePackage = z.object({
  transactionId: Id,
  prepareDownloadResponse: z.object({ euiccSigned2: z.object({ transactionId: Id, euiccOtpk: z.string().min(1).max(128) }), euiccSignature2: B64 }),
});
const HandleNotification = z.object({
  notification: z.object({
    seqNumber: z.number().int().min(0),
    event: z.enum(['install', 'enable', 'disable', 'delete']),
    iccid: z.string().regex(/^\d{19,20}$/),
    notificationAddress: z.string().max(255),
    result: z.union([z.object({ transactionId: Id, iccid: z.string() }), z.object({ transactionId: Id, errorReason: Reason })]).optional(),
  }),
});
const CancelSession = z.object({ transactionId: Id, reason: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(127)]) });

const success = { functionExecutionStatus: { status: 'Executed-Success' } };
function failed(subjectCode: string, reasonCode: string, message: string) {
  return { header: { functionExecutionStatus: { status: 'Failed', statusCodeData: { subjectCode, reasonCode, message } } } };
}

/**
 * ES9+ over HTTP (SGP.22 §6.5): JSON in, JSON out, results in `header.functionExecutionStatus`
 * with SGP.22's subject and reason codes, as an LPA expects. Invalid bodies get 1.2 / 2.1.
 */
export function smdpRoutes(app: FastifyInstance, smdp: () => Smdp): void {
  const route = <S extends z.ZodType>(name: string, schema: S, run: (body: z.output<S>) => Promise<object> | object) => {
    app.post(`/gsma/rsp2/es9plus/${name}`, async (request, reply) => {
      void reply.header('X-Admin-Protocol', 'gsma/rsp/v2.2.0');
      const body = schema.safeParse(request.body);
      if (!body.success) return failed('1.2', '2.1', 'invalid request');
      try {
        return { header: success, ...(await run(body.data)) };
      } catch (error) {
        if (error instanceof Es9Error) return failed(error.subjectCode, error.reasonCode, error.message);
        throw error;
      }
    });
  };
  route('initiateAuthentication', InitiateAuthentication, (b) => smdp().initiateAuthentication(b.euiccChallenge));
  route('authenticateClient', AuthenticateClient, (b) => smdp().authenticateClient(b.transactionId, b.authenticateServerResponse));
  route('getBoundProfilePackage', GetBoundProfilePackage, (b) => smdp().getBoundProfilePackage(b.transactionId, b.prepareDownloadResponse));
  route('handleNotification', HandleNotification, (b) => {
    smdp().handleNotification(b.notification);
    return {};
  });
  route('cancelSession', CancelSession, (b) => {
    smdp().cancelSession(b.transactionId, b.reason);
    return {};
  });
  /** The SM-DP+'s certificate, standing in for the GSMA CI root a real eUICC is made with. */
  app.get('/gsma/rsp2/certificate', (_request, reply) => reply.type('application/x-pem-file').send(smdp().certificate));
}
