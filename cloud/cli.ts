import { parseArgs } from 'node:util';
import { defaultScenario } from '../shared/scenario';
import { lanAddress, portProblem } from './network';
import { readScenario } from './scenarioFile';
import { startCloud } from './server';
import { headUnitClientId } from './oauth/routes';

/** `npm run cloud`: the BMW ID cloud on its own, for a team that points several cars at one server. */
const usage = `Usage: npm run cloud -- [--scenario file.json] [--host 127.0.0.1] [--port 4731] [--smdp-port 4732] [--lan]
  --smdp-port  the SM-DP+'s own port (ES9+ over HTTPS, test PKI); activation codes name it
  --lan        listen on every interface, so cars and phones on the network reach it (admin: this machine only)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4731' },
      'smdp-port': { type: 'string', default: '4732' },
      lan: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return void console.log(usage);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535\n${usage}`);
  const smdpPort = Number(values['smdp-port']);
  if (!Number.isInteger(smdpPort) || smdpPort < 0 || smdpPort > 65535) throw new Error(`--smdp-port must be a number from 0 to 65535\n${usage}`);
  if (values.lan && !lanAddress()) throw new Error('--lan: this machine has no network address besides loopback');
  const scenario = values.scenario ? await readScenario(values.scenario) : defaultScenario;
  // Cars on other machines use every endpoint, so --lan listens everywhere (loopback included,
  // where the admin endpoints answer) and advertises the LAN address.
  const cloud = await startCloud({ scenario, host: values.lan ? '0.0.0.0' : values.host, port, smdpPort }).catch((error: unknown) => {
    throw portProblem(error, `the cloud's port ${port} or its SM-DP+'s ${smdpPort}`, '--port or --smdp-port');
  });
  console.log(`cloud ready at ${cloud.url} (${scenario.accounts.length} BMW ID accounts); its SM-DP+ at https://${cloud.smdpAddress}/ (ES9+, test PKI)`);
  console.log(`registered client ids: ${headUnitClientId}; a car uses it with: npm start -- --cloud-url ${cloud.url}`);
  const stop = () => void cloud.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
