import { Message, type Bus, type DBusMessage } from './dbus';

const agentInterface = 'org.bluez.Agent1';

/**
 * The head unit's own BlueZ pairing agent (org.bluez.Agent1, capability DisplayYesNo), served on
 * the car's connection. Secure Simple Pairing by numeric comparison only: RequestConfirmation
 * asks the driver, and is refused unless the pairing screen is open. A head unit has no keyboard
 * for a PIN or passkey, so those requests are always refused; RequestAuthorization (Just Works)
 * likewise, since it would pair without the driver comparing anything. AuthorizeService lets a
 * trusted device use the profiles a head unit uses, nothing else.
 */
export interface AgentPolicy {
  /** the pairing screen is open */
  pairable(): boolean;
  /** the device is paired and trusted */
  trusted(devicePath: string): boolean;
  /** asks the driver; resolves true to confirm */
  confirm(devicePath: string, passkey: number): Promise<boolean>;
  /** BlueZ gave up on the request (the phone cancelled, or it timed out) */
  cancelled(): void;
}

/** Service UUIDs (16-bit) of the profiles a head unit uses: HFP, A2DP, AVRCP, PBAP, MAP. */
const headUnitServices = new Set([
  0x111e,
  0x111f, // HFP (hands-free, audio gateway)
  0x110a,
  0x110b,
  0x110d, // A2DP
  0x110c,
  0x110e,
  0x110f, // AVRCP
  0x112e,
  0x112f,
  0x1130, // PBAP
  0x1132,
  0x1133,
  0x1134, // MAP
]);

export function isHeadUnitService(uuid: string): boolean {
  const match = /^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/i.exec(uuid);
  return match !== null && headUnitServices.has(parseInt(match[1]!, 16));
}

export function serveAgent(bus: Bus, path: string, policy: AgentPolicy): () => void {
  const reject = (msg: DBusMessage, why: string) => bus.send(Message.newError(msg as never, 'org.bluez.Error.Rejected', why));
  const ok = (msg: DBusMessage) => bus.send(Message.newMethodReturn(msg, '', []));
  const handler = (msg: DBusMessage): boolean => {
    if (msg.path !== path || msg.interface !== agentInterface) return false;
    const [device] = (msg.body ?? []) as [string, ...unknown[]];
    switch (msg.member) {
      case 'RequestConfirmation': {
        if (!policy.pairable()) {
          reject(msg, 'the car is not pairable now');
          break;
        }
        const passkey = Number(msg.body[1]);
        policy.confirm(device, passkey).then(
          (accepted) => (accepted ? ok(msg) : reject(msg, 'the driver refused the code')),
          () => reject(msg, 'the pairing was abandoned'),
        );
        break;
      }
      case 'AuthorizeService': {
        const uuid = String(msg.body[1]);
        if (policy.trusted(device) && isHeadUnitService(uuid)) ok(msg);
        else reject(msg, 'service not allowed');
        break;
      }
      case 'Cancel':
        policy.cancelled();
        ok(msg);
        break;
      case 'Release':
        ok(msg);
        break;
      case 'DisplayPasskey':
      case 'DisplayPinCode':
      case 'RequestPinCode':
      case 'RequestPasskey':
      case 'RequestAuthorization':
      default:
        reject(msg, `${msg.member} is not supported by this head unit`);
    }
    return true;
  };
  bus.addMethodHandler(handler);
  return () => bus.removeMethodHandler(handler);
}
