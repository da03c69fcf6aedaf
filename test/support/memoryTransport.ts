import type { Transport } from '../../shared/client';
import type { Dispatch } from '../../main/hosts/dispatch';

/**
 * A transport that carries requests to a dispatch in the same process, through JSON as on the
 * wire (VS Code's createProtocolPair): what cannot be serialised fails here as it would in IPC.
 */
export function memoryTransport(dispatch: Dispatch): Transport {
  return async (channel, payload) => {
    const wire = JSON.parse(JSON.stringify({ channel, payload: payload ?? null })) as { channel: string; payload: unknown };
    return JSON.parse(JSON.stringify(await dispatch(wire.channel, wire.payload)));
  };
}
