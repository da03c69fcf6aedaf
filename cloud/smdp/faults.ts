import type { FastifyInstance } from 'fastify';
import { Es9Fault, type Es9Function } from '../../shared/rsp/es9Fault';
import { loopbackOnly } from '../admin';
import { OAuthError } from '../oauth/errors';

/** The SM-DP+'s fault the bench set (see Es9Fault), as each ES9+ call meets it. */
export class SmdpFaults {
  private fault: Es9Fault = { mode: 'none' };

  set(fault: Es9Fault): Es9Fault {
    this.fault = fault;
    return fault;
  }

  current(): Es9Fault {
    return this.fault;
  }

  /** What a call of `name` meets: the slowness, or the error for its function (spent unless `every`); null: nothing. */
  take(name: Es9Function): Exclude<Es9Fault, { mode: 'none' }> | null {
    const fault = this.fault;
    if (fault.mode === 'none' || (fault.mode === 'error' && fault.function !== name)) return null;
    if (fault.mode === 'error' && !fault.every) this.fault = { mode: 'none' };
    return fault;
  }
}

/** `GET /admin/smdp/fault` and `PUT /admin/smdp/fault` (an Es9Fault), from this machine only. */
export function smdpFaultRoutes(app: FastifyInstance, faults: () => SmdpFaults): void {
  app.get('/admin/smdp/fault', (request) => {
    loopbackOnly(request);
    return faults().current();
  });
  app.put('/admin/smdp/fault', (request) => {
    loopbackOnly(request);
    const parsed = Es9Fault.safeParse(request.body);
    if (!parsed.success)
      throw new OAuthError(
        'invalid_request',
        'a fault is { mode: "none" }, { mode: "slow", delaySeconds } or { mode: "error", function, subjectCode, reasonCode, every? }',
      );
    return faults().set(parsed.data);
  });
}
