// npm run console -- <address>: the line console of a car that is already running (its display's
// address, as its start printed it; with ?token=… beyond loopback). The same commands as --console.
import { openAutomation } from './client';
import { runConsole } from './console';

const address = process.argv[2];
if (!address || !/^https?:\/\//.test(address)) {
  console.error("usage: npm run console -- <the car's address, e.g. http://127.0.0.1:4730/>");
  process.exit(2);
}
const car = await openAutomation(address).catch((error: unknown) => {
  console.error(`cannot reach the car at ${address}: ${(error as Error).message}`);
  process.exit(1);
});
car.socket.once('close', () => {
  console.error('the car closed the connection');
  process.exit(1);
});
await runConsole(
  (channel, payload) => car.send(String(channel), payload),
  process.stdin,
  process.stdout,
  () => car.socket.removeAllListeners('close').close(),
);
