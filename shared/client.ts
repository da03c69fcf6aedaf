import type { Contract, Outcome, RequestOf, ResultOf } from './contract';

/** Sends one request and resolves with the reply; hosts provide it (preload, WebSocket, in memory). */
export type Transport = (channel: string, payload: unknown) => Promise<Outcome>;

export type Client<C extends Contract> = {
  [K in keyof C & string]: (payload: RequestOf<C, K>) => Promise<ResultOf<C, K>>;
};

/** A typed client for a contract: one named function per channel, rejecting with the host's error text. */
export function createClient<C extends Contract>(contract: C, transport: Transport): Client<C> {
  const client = {} as Record<string, (payload: unknown) => Promise<unknown>>;
  for (const channel of Object.keys(contract)) {
    client[channel] = async (payload) => {
      const reply = await transport(channel, payload);
      if (!reply.ok) throw new Error(reply.error);
      return reply.result;
    };
  }
  return client as Client<C>;
}
