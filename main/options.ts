import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { languageFromLocale, languages, type Language } from '../shared/i18n';
import { resolutions, type Resolution } from '../shared/view';
import { logFileOf, logLevels, type LogLevel } from './log';
import { version } from './version';
import { vpcdPort } from '../hardware/modem/sim/vpcd';

/** Start options, shared by `npm start`, the Electron host and the web host. */
export interface StartOptions {
  kiosk: boolean;
  /** `--bench-console`: the bench console opens beside the display (a second window in Electron) */
  benchConsole: boolean;
  resolution: Resolution | undefined;
  /** forced language; undefined: a new car follows the system locale */
  language: Language | undefined;
  systemLanguage: Language;
  dataDir: string;
  scenario: string | undefined;
  /** `--checkpoint`: the bench starts from this checkpoint (a name in the data dir's, or a checkpoint directory's path) */
  checkpoint: string | undefined;
  /**
   * Where the display and the automation API listen: 127.0.0.1, or what `--automation-host`
   * names (then every request needs the token printed at start-up).
   */
  host: string;
  /**
   * The token off loopback, from IDRIVE_AUTOMATION_TOKEN (a fleet's orchestrator sets it, as a
   * secret, not on the command line); undefined: a new random one each start.
   */
  automationToken: string | undefined;
  port: number;
  /** web: the web host only; electron: fail if Electron is missing; auto: Electron, else web */
  shell: 'auto' | 'electron' | 'web';
  open: boolean;
  console: boolean;
  bluetooth: BluetoothChoice;
  /** the BlueZ adapter, e.g. hci1 (default: the first) */
  btAdapter: string | undefined;
  /** sim: the simulated module; at: a real module on the serial port `modemDevice` (27.007 AT commands) */
  modem: 'sim' | 'at';
  /** with `modem: 'at'`, the module's AT port, e.g. /dev/ttyUSB2 */
  modemDevice: string | undefined;
  /** with `modem: 'at'`: the port's speed, and how long one APDU may take (a slow card's last profile segment) */
  modemSettings: { baudRate?: number; apduTimeoutMs?: number };
  /** the simulated module's AT port on a pseudo-terminal at this path (for minicom, lpac, scripts) */
  modemPty: string | undefined;
  /** a folder with the simulated eUICC's identity (CIs, CERT.EUM, CERT.EUICC and its key); undefined: the test PKI */
  euiccIdentity: string | undefined;
  /** the simulated eUICC as a PC/SC card for vsmartcard's vpcd (reverse mode) on this loopback host and port */
  euiccPcsc: { host: string; port: number } | undefined;
  /** PEM files of CAs the car's LPA trusts for ES9+ TLS, besides the system's and the test CI */
  smdpCa: string[];
  /** an outside TS.43 entitlement server for the Personal eSIM; undefined: the cloud's */
  entitlementUrl: string | undefined;
  /** a team's BMW ID cloud; undefined: start the embedded one */
  cloudUrl: string | undefined;
  cloudPort: number;
  /** also serve the cloud's phone pages on the LAN address, so a real phone can open the QR code */
  lan: boolean;
  /** how much goes to the log file in the data directory */
  logLevel: LogLevel;
  /** --version: say the version and where the car keeps its memory and log, then stop */
  showVersion: boolean;
}

/** What --version prints. */
export function versionText(options: Pick<StartOptions, 'dataDir'>): string {
  return `iDrive head-unit emulator ${version}
memory: ${options.dataDir}
log:    ${logFileOf(options.dataDir)}
`;
}

export const bluetoothChoices = ['sim', 'bluez', 'ble'] as const;
export type BluetoothChoice = (typeof bluetoothChoices)[number];

export const defaultPort = 4730;
export const defaultCloudPort = 4731;

export const helpText = `Usage: npm start -- [options]      (or: node dist/main/start.js [options])

Starts the iDrive head unit. Electron shows it in its own window; where the Electron binary is
missing, the web host serves it and opens Chromium in app mode (or prints the address).

Display
  --kiosk                  full screen, no window frame (a bench touch screen)
  --bench-console          open the bench console beside the display (Electron: a second window;
                           the web host prints its address, /bench/)
  --resolution <WxH>       ${resolutions.join(', ')} (default: the car's setting, 1920x720)
  --lang <en|ja>           force the language (default: from the system locale)
  --web                    serve the web host only, without trying Electron
  --electron               use Electron, and fail if it is missing
  --no-open                do not open a Chromium window for the web host; print the address

World and storage
  --data-dir <dir>         where the car keeps its memory (default: $XDG_DATA_HOME/idrive-emulator)
  --scenario <file.json>   preset the world and the car from a scenario file
  --checkpoint <name|dir>  start from a saved checkpoint of the whole bench: a name in the data
                           dir's checkpoints, or the path of a checkpoint directory

Network
  --port <n>               port of the display and automation API (default: ${defaultPort}; 0 picks one);
                           they listen on 127.0.0.1 only
  --automation-host <addr> let other machines drive the car: the display and automation API listen on
                           <addr> (e.g. 0.0.0.0), and every request needs the token printed at start
  --lan                    serve the phone pages of the QR login on this machine's LAN address, so a
                           real phone can open them; everything else stays on 127.0.0.1
  --cloud-port <n>         port of the embedded BMW ID cloud (default: ${defaultCloudPort}; 0 picks one)
  --cloud-url <url>        use this BMW ID cloud instead of the embedded one (e.g. npm run cloud elsewhere)

Hardware backends
  --bluetooth <sim|bluez|ble>
                           phones in range: sim (simulated, from the scenario), bluez (a real adapter
                           through bluetoothd and obexd on D-Bus), ble (BLE scanning through noble)
  --bt-adapter <hciN>      the BlueZ adapter to use (default: the first)
  --modem <sim|at:<port>[,baud=<n>][,apdu-timeout=<s>]>
                           the cellular module with the eSIM: sim (simulated), or a real module's AT
                           port, e.g. at:/dev/ttyUSB2 (3GPP TS 27.007 AT commands; see docs/hardware.md);
                           baud for a UART (default 115200), apdu-timeout in seconds (default 60)
  --modem-pty <path>       the simulated module's AT port (27.007) on a pseudo-terminal at <path>, for
                           lpac, minicom or scripts, while the car uses the module (the car holds it;
                           socat relays it where this build has no node-pty native module)
  --euicc-pcsc [host:port] the simulated eUICC (the car's) as a PC/SC card: vsmartcard's vpcd connects to
                           it on loopback (its reader.conf's DEVICENAME 127.0.0.1:35963, the default);
                           opensc-tool, pcsc_scan, lpac's pcsc driver and pySim-shell then reach it
  --euicc-identity <dir>   who the simulated eUICC is: ci*.pem (the CIs it trusts), eum.pem, euicc.pem
                           and euicc.key.pem (its EID from the certificate), e.g. the GSMA SGP.26 test
                           certificates; default: the project's test PKI

eSIM peers
  --smdp-ca <file.pem>     also trust this CA for the SM-DP+'s TLS certificate (ES9+); may be repeated.
                           The system's CAs, NODE_EXTRA_CA_CERTS and the test CI are always trusted
  --entitlement-url <url>  ask this TS.43 entitlement server for the Personal eSIM instead of the
                           BMW ID cloud's (it gets the BMW ID's bearer token)

Automation
  --console                read controller commands on stdin (type "help" there)

Log and information
  --log-level <level>      how much goes to <data dir>/logs/head-unit.log:
                           ${logLevels.join(', ')} (default: info)
  --version                the version, and where the car keeps its memory and log
  --help                   this text
`;

const Port = z.coerce.number().int().min(0).max(65535);

/** Parses argv; throws an Error whose message is meant for the user. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions | 'help' {
  const { values } = parseArgs({
    args: withDefaultValues(argv),
    strict: true,
    allowNegative: true,
    options: {
      kiosk: { type: 'boolean', default: false },
      'bench-console': { type: 'boolean', default: false },
      resolution: { type: 'string' },
      lang: { type: 'string' },
      web: { type: 'boolean', default: false },
      electron: { type: 'boolean', default: false },
      open: { type: 'boolean', default: true },
      'data-dir': { type: 'string' },
      scenario: { type: 'string' },
      checkpoint: { type: 'string' },
      'automation-host': { type: 'string', default: '127.0.0.1' },
      host: { type: 'string' },
      port: { type: 'string', default: String(defaultPort) },
      lan: { type: 'boolean', default: false },
      'cloud-port': { type: 'string', default: String(defaultCloudPort) },
      'cloud-url': { type: 'string' },
      console: { type: 'boolean', default: false },
      bluetooth: { type: 'string', default: 'sim' },
      'bt-adapter': { type: 'string' },
      modem: { type: 'string', default: 'sim' },
      'modem-pty': { type: 'string' },
      'euicc-identity': { type: 'string' },
      'euicc-pcsc': { type: 'string' },
      'smdp-ca': { type: 'string', multiple: true, default: [] },
      'entitlement-url': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      version: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.host !== undefined) throw new Error('--host is now --automation-host; off loopback it needs the token it prints at start-up');
  const pick = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return value as T;
  };
  const port = Port.safeParse(values.port);
  if (!port.success) throw new Error(`--port must be a number from 0 to 65535 (got "${values.port}")`);
  if (values.web && values.electron) throw new Error('--web and --electron cannot be used together');
  const cloudPort = Port.safeParse(values['cloud-port']);
  if (!cloudPort.success) throw new Error(`--cloud-port must be a number from 0 to 65535 (got "${values['cloud-port']}")`);
  const cloudUrl = values['cloud-url'];
  if (cloudUrl !== undefined && !/^https?:\/\/[^/]+(\/.*)?$/.test(cloudUrl)) throw new Error(`--cloud-url must be an http(s) address (got "${cloudUrl}")`);
  const entitlementUrl = values['entitlement-url'];
  if (entitlementUrl !== undefined && !/^https?:\/\/[^/]+(\/.*)?$/.test(entitlementUrl))
    throw new Error(`--entitlement-url must be an http(s) address (got "${entitlementUrl}")`);
  for (const simulatedOnly of ['euicc-identity', 'euicc-pcsc'] as const) {
    if (values[simulatedOnly] !== undefined && values.modem !== undefined && values.modem !== 'sim')
      throw new Error(`--${simulatedOnly} is the simulated eUICC's: a real module's card is its own`);
  }
  const automationToken = env.IDRIVE_AUTOMATION_TOKEN || undefined;
  if (automationToken !== undefined && !/^[A-Za-z0-9_-]{22,}$/.test(automationToken))
    throw new Error(
      'IDRIVE_AUTOMATION_TOKEN must be at least 22 characters of A-Z, a-z, 0-9, "-" and "_" (128 bits or more; e.g. openssl rand -base64 24 | tr +/ -_)',
    );
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return {
    kiosk: values.kiosk,
    benchConsole: values['bench-console'],
    resolution: pick('resolution', values.resolution, resolutions),
    language: pick('lang', values.lang, languages),
    systemLanguage: languageFromLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG),
    dataDir: values['data-dir'] ?? join(xdg, 'idrive-emulator'),
    scenario: values.scenario,
    checkpoint: values.checkpoint,
    host: values['automation-host'],
    automationToken,
    port: port.data,
    shell: values.web ? 'web' : values.electron ? 'electron' : 'auto',
    open: values.open,
    console: values.console,
    bluetooth: pick('bluetooth', values.bluetooth, bluetoothChoices) ?? 'sim',
    btAdapter: values['bt-adapter'],
    ...modemChoice(values.modem, values['modem-pty']),
    euiccIdentity: values['euicc-identity'],
    euiccPcsc: values['euicc-pcsc'] === undefined ? undefined : pcscAddress(values['euicc-pcsc']),
    smdpCa: values['smdp-ca'],
    entitlementUrl,
    cloudUrl: cloudUrl === undefined ? undefined : cloudUrl.endsWith('/') ? cloudUrl : `${cloudUrl}/`,
    cloudPort: cloudPort.data,
    lan: values.lan,
    logLevel: pick('log-level', values['log-level'], logLevels) ?? 'info',
    showVersion: values.version,
  };
}

/** `--euicc-pcsc` alone takes vpcd's default, 127.0.0.1:35963 (parseArgs knows no optional values). */
function withDefaultValues(argv: string[]): string[] {
  return argv.flatMap((arg, i) =>
    arg === '--euicc-pcsc' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) ? [arg, `127.0.0.1:${vpcdPort}`] : [arg],
  );
}

/** `host:port`, `port` or `[::1]:port`, on loopback only. */
function pcscAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[?([^\]]*?)\]?:)?(\d{1,5})$/.exec(value);
  const port = Port.safeParse(match?.[2]);
  const host = match?.[1] || '127.0.0.1';
  if (!match || !port.success || !/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/.test(host)) {
    throw new Error(`--euicc-pcsc must be a loopback host:port, e.g. 127.0.0.1:${vpcdPort} (got "${value}"): the car's eUICC is not offered to other machines`);
  }
  return { host, port: port.data };
}

/** `--modem sim` or `--modem at:<serial port>`; a real module has no simulated port to expose. */
function modemChoice(value: string | undefined, pty: string | undefined): Pick<StartOptions, 'modem' | 'modemDevice' | 'modemSettings' | 'modemPty'> {
  if (value === undefined || value === 'sim') return { modem: 'sim', modemDevice: undefined, modemSettings: {}, modemPty: pty };
  const [device, ...settings] = /^at:(.+)$/.exec(value)?.[1]?.split(',') ?? [];
  if (!device) throw new Error(`--modem must be sim or at:<serial port>, e.g. at:/dev/ttyUSB2 (got "${value}")`);
  if (pty !== undefined) throw new Error('--modem-pty exposes the simulated module: it cannot be used with --modem at:');
  const modemSettings: StartOptions['modemSettings'] = {};
  for (const setting of settings) {
    const [name, number] = [setting.split('=')[0], Number(setting.split('=')[1])];
    if (name === 'baud' && Number.isInteger(number) && number >= 300 && number <= 4_000_000) modemSettings.baudRate = number;
    else if (name === 'apdu-timeout' && number >= 1 && number <= 600) modemSettings.apduTimeoutMs = number * 1000;
    else throw new Error(`--modem at:${device}: "${setting}" is not baud=<300–4000000> or apdu-timeout=<1–600 seconds>`);
  }
  return { modem: 'at', modemDevice: device, modemSettings, modemPty: undefined };
}
