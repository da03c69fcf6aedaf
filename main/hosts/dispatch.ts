import type { z } from 'zod';
import { invalidRequest, type Contract, type Outcome, type ResultOf } from '../../shared/contract';

/** An error whose message is meant for the client (a timeout, a missing display), not an internal fault. */
export class RequestFailed extends Error {}

export type Handlers<C extends Contract> = {
  [K in keyof C]: (payload: z.output<C[K]['request']>) => Promise<ResultOf<C, K>> | ResultOf<C, K>;
};
export type Dispatch = (channel: unknown, payload: unknown) => Promise<Outcome>;

/**
 * The one way a request reaches the core, for every host: the channel must be one of the
 * contract's, the payload is parsed as unknown with the channel's schema, and a client that got
 * either wrong learns only `invalid request` and changes nothing. Faults inside a handler are
 * logged here and answered with a generic error, so internals never reach a client.
 */
export function createDispatch<C extends Contract>(contract: C, handlers: Handlers<C>, log: (message: string) => void): Dispatch {
  return async (channel, payload) => {
    if (typeof channel !== 'string' || !Object.hasOwn(contract, channel)) return { ok: false, error: invalidRequest };
    const parsed = contract[channel]!.request.safeParse(payload);
    if (!parsed.success) return { ok: false, error: invalidRequest };
    try {
      const handler = handlers[channel] as (payload: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof RequestFailed) return { ok: false, error: error.message };
      log(`${channel} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, error: 'internal error' };
    }
  };
}
