import { describe, expect, it } from 'vitest';
import { AtChannel } from '../../hardware/modem/at/channel';
import { maxLineLength, SimAtPort } from '../../hardware/modem/sim/atPort';
import type { EuiccFlash } from '../../hardware/modem/sim/simEuicc';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { instantTiming } from '../../hardware/modem/sim/timing';
import { decodeEid, encodeRequest, hex, isdRAid, toHex } from '../../shared/es10/es10c';

/**
 * The simulated module as card tools and AT scripts meet it first: the identification commands,
 * ATZ, and the basic channel of its card (ETSI TS 102 221) over AT+CSIM: the MF, EF.ICCID, EF.DIR,
 * and the ISD-R selectable there with ES10 working on it.
 */
const flash: EuiccFlash = {
  profiles: [
    {
      metadata: {
        iccid: '8981100000000000017',
        serviceProviderName: 'NTT DOCOMO',
        profileName: 'One Number',
        profileClass: 'operational',
        imsi: '440100000000001',
        size: 1000,
      },
      state: 'enabled',
      nickname: null,
      address: 'smdp.example',
    },
  ],
  notifications: [],
  nextSeq: 1,
};

function module(options: { flash?: EuiccFlash } = {}) {
  const modem = new SimModem({ timing: instantTiming, ...options });
  const channel: AtChannel = new AtChannel((data) => setImmediate(() => port.receive(data)));
  const port: SimAtPort = new SimAtPort(modem, (data) => setImmediate(() => channel.receive(data)));
  /** One APDU by AT+CSIM: its answer's data and status word, in hex. */
  const csim = async (apdu: string) => {
    const [line] = await channel.command(`AT+CSIM=${apdu.length},"${apdu}"`);
    const answer = /^\+CSIM: (\d+),"([0-9A-F]*)"$/.exec(line!)![2]!;
    return { data: answer.slice(0, -4), sw: answer.slice(-4) };
  };
  return { modem, channel, port, csim };
}

describe('the module’s first words with a tool', () => {
  it('answers ATZ, the identification commands, the IMEI, and the enabled profile’s IMSI and ICCID', async () => {
    const { channel, port } = module({ flash });
    await channel.command('ATE0');
    await channel.command('AT+CMEE=2');
    await expect(channel.command('ATZ')).resolves.toEqual([]);
    // (ATZ restored the defaults: echo on, +CME ERROR off)
    await channel.command('ATE0');
    await expect(channel.command('ATI')).resolves.toEqual(['iDrive emulator', 'Simulated LTE module', 'Revision: 1.0']);
    for (const command of ['AT+CGMI', 'AT+CGMM', 'AT+CGMR']) await expect(channel.command(command)).resolves.toHaveLength(1);
    const [imei] = await channel.command('AT+CGSN');
    expect(imei).toMatch(/^35999900\d{7}$/);
    const digits = [...imei!].map(Number);
    const luhn = digits.reverse().reduce((sum, d, i) => sum + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    expect(luhn % 10).toBe(0);
    await expect(channel.command('AT+CIMI')).resolves.toEqual(['440100000000001']);
    await expect(channel.command('AT+CCID')).resolves.toEqual(['+CCID: 8981100000000000017']);
    await expect(channel.command('AT+ICCID')).resolves.toEqual(['+ICCID: 8981100000000000017']);
    port.close();
  });

  it('says "SIM not inserted" for +CIMI and +CCID while no profile is enabled', async () => {
    const { channel, port } = module();
    await channel.command('ATE0');
    await channel.command('AT+CMEE=2');
    await expect(channel.command('AT+CIMI')).rejects.toThrow(/SIM not inserted/);
    await expect(channel.command('AT+CCID')).rejects.toThrow(/SIM not inserted/);
    port.close();
  });
});

describe('the basic channel over AT+CSIM', () => {
  it('has the MF with its FCP, EF.ICCID with the enabled profile’s ICCID, and EF.DIR naming the ISD-R', async () => {
    const { channel, port, csim } = module({ flash });
    await channel.command('ATE0');
    const mf = await csim('00A40004023F00');
    expect(mf.sw).toBe('9000');
    expect(mf.data).toMatch(/^62[0-9A-F]{2}8202782183023F00/);
    expect((await csim('00A4000C022FE2')).sw).toBe('9000');
    await expect(csim('00B000000A')).resolves.toEqual({ data: '981801000000000010F7', sw: '9000' }); // (TS 102 221: nibbles swapped, F-padded)
    expect((await csim('00A40004022F00')).sw).toBe('9000');
    const record = await csim('00B2010421');
    expect(record.sw).toBe('9000');
    expect(record.data).toContain(`4F10${isdRAid}`);
    expect((await csim('00A40004027FFF')).sw).toBe('6A82');
    port.close();
  });

  it('selects the ISD-R on the basic channel, answers its FCI, and runs ES10 there', async () => {
    const { modem, channel, port, csim } = module({ flash });
    await channel.command('ATE0');
    const selected = await csim(`00A4040010${isdRAid}`);
    expect(selected.sw).toBe('9000');
    expect(selected.data).toMatch(new RegExp(`^6F..8410${isdRAid}A5`));
    const request = encodeRequest({ kind: 'getEid' });
    const answer = await csim(`80E29100${request.length.toString(16).padStart(2, '0').toUpperCase()}${toHex(request)}`);
    expect(answer.sw).toBe('9000');
    expect(decodeEid(hex(answer.data))).toBe(await modem.euicc.eid());
    port.close();
  });
});

describe('the AT port’s line buffer', () => {
  it('answers ERROR to a 30 MB line without an end, keeps no more than a line, and goes on answering', async () => {
    const modem = new SimModem({ timing: instantTiming });
    const sent: string[] = [];
    const port = new SimAtPort(modem, (data) => sent.push(data));
    port.receive('ATE0\r');
    const chunk = 'A'.repeat(64 * 1024);
    for (let i = 0; i < 480; i++) port.receive(chunk); // 30 MB, no line end
    port.receive('\rAT\r');
    await expect.poll(() => sent.join('')).toMatch(/ERROR\r\n[\s\S]*OK\r\n$/);
    expect(sent.join('').match(/ERROR/g)).toHaveLength(1);
    expect((port as unknown as { buffer: string }).buffer.length).toBeLessThanOrEqual(maxLineLength);
    port.close();
  });
});

describe('logical channels of clients that went away', () => {
  it('takes back a channel an aborted client left open when a new client finds none free, and frees a closed port’s', async () => {
    const modem = new SimModem({ timing: instantTiming });
    const channel: AtChannel = new AtChannel((data) => setImmediate(() => port.receive(data)));
    const port: SimAtPort = new SimAtPort(modem, (data) => setImmediate(() => channel.receive(data)), { staleChannelMs: 0 });
    await channel.command('ATE0');
    // Three clients open a channel each and go away without +CCHC: the card has no more.
    for (let i = 0; i < 3; i++) await channel.command(`AT+CCHO="${isdRAid}"`);
    expect(modem.card.openChannel(isdRAid)).toBeNull();
    // A fourth client still gets one: the longest unused is taken back.
    await expect(channel.command(`AT+CCHO="${isdRAid}"`)).resolves.toEqual([expect.stringMatching(/^\+CCHO: \d$/)]);
    // The port closes (the relay goes): everything it held is free again.
    port.close();
    const free = [modem.card.openChannel(isdRAid), modem.card.openChannel(isdRAid), modem.card.openChannel(isdRAid)];
    expect(free.every((c) => c !== null)).toBe(true);
  });
});
