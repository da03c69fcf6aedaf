import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Two network namespaces joined by a veth pair: `car` (where the emulator runs, with loopback and
 * 10.231.<n>.1) and `peer` (another machine on the bench's network, 10.231.<n>.2). Nothing of the
 * machine's own network is touched; `remove()` deletes both (and the pair with them). Needs root.
 */
export interface Bench {
  car: string;
  peer: string;
  carAddress: string;
  /** runs a command inside a namespace and returns its stdout */
  exec(namespace: string, command: string[]): Promise<string>;
  /** starts a long-running command inside a namespace */
  spawn(namespace: string, command: string[]): ChildProcess;
  remove(): Promise<void>;
}

export async function createBench(n: number): Promise<Bench> {
  const tag = `${process.pid % 100000}-${n}`;
  const car = `idrive-car-${tag}`;
  const peer = `idrive-peer-${tag}`;
  const carAddress = `10.231.${n}.1`;
  const ip = (...args: string[]) => run('ip', args);
  await ip('netns', 'add', car);
  await ip('netns', 'add', peer);
  await ip('link', 'add', `vc${tag}`.slice(0, 15), 'netns', car, 'type', 'veth', 'peer', 'name', `vp${tag}`.slice(0, 15), 'netns', peer);
  for (const [ns, link, address] of [
    [car, `vc${tag}`.slice(0, 15), carAddress],
    [peer, `vp${tag}`.slice(0, 15), `10.231.${n}.2`],
  ] as const) {
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', link);
    await ip('-n', ns, 'link', 'set', link, 'up');
  }
  return {
    car,
    peer,
    carAddress,
    exec: async (namespace, command) => (await run('ip', ['netns', 'exec', namespace, ...command], { cwd: process.cwd() })).stdout,
    spawn: (namespace, command) => spawn('ip', ['netns', 'exec', namespace, ...command], { stdio: ['pipe', 'pipe', 'pipe'] }),
    remove: async () => {
      await ip('netns', 'del', car).catch(() => undefined);
      await ip('netns', 'del', peer).catch(() => undefined);
    },
  };
}
