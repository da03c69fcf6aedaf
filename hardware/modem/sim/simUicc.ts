import { ModemError, type UiccTransport } from '../contract';
import type { SimCard } from './card';

/** The simulated module's own way to its card, as a modem's firmware has it: straight to the SimCard, while the module is on and present. */
export class SimUicc implements UiccTransport {
  constructor(
    private readonly card: SimCard,
    private readonly assertReady: () => void,
  ) {}

  async openChannel(aid: string): Promise<number> {
    this.assertReady();
    const channel = this.card.openChannel(aid);
    if (channel === null) throw new ModemError('interrupted', 'the card opened no channel to that application');
    return channel;
  }

  async transmit(channel: number, apdu: Uint8Array): Promise<Uint8Array> {
    this.assertReady();
    return this.card.transmit(channel, apdu);
  }

  async closeChannel(channel: number): Promise<void> {
    this.assertReady();
    this.card.closeChannel(channel);
  }
}
