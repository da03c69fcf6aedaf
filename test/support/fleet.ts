import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { AutomationClient } from '../../main/automation/client';
import { lanAddress } from '../../cloud/network';

/**
 * The fleet example of docs/fleet/compose.yaml, run as processes on this machine instead of
 * containers: the same commands and environment, with what only containers have translated —
 * a service's name is 127.0.0.1 and a fixed port is a free one (the processes share one port
 * space), `--data-dir` is a directory of the unit's own, and `--lan` is kept only where this
 * machine has a network address besides loopback.
 */
export const composeFile = join('docs', 'fleet', 'compose.yaml');

interface Service {
  command: string[];
  environment?: Record<string, string>;
}

export interface FleetUnit {
  url: string;
  car: AutomationClient;
  process: ChildProcess;
}

export interface Fleet {
  /** the shared cloud's address, or null when each unit has its own */
  cloudUrl: string | null;
  units: FleetUnit[];
  stop(): Promise<void>;
}

async function services(): Promise<{ cloud: Service; unit: Service }> {
  const compose = parse(await readFile(composeFile, 'utf8')) as { services: Record<string, Service> };
  return { cloud: compose.services.cloud!, unit: compose.services['head-unit']! };
}

/** A compose command as a process here: `node` is this Node, ports are free ones, names are loopback. */
function translate(command: string[], dataDir: string, cloudUrl: string | null): string[] {
  const args: string[] = [];
  for (let i = 1; i < command.length; i++) {
    const arg = command[i]!;
    const value = command[i + 1];
    const takesValue = value !== undefined && !value.startsWith('--');
    if (takesValue) i++;
    if (arg === '--port' || arg === '--cloud-port' || arg === '--smdp-port') args.push(arg, '0');
    else if (arg === '--data-dir') args.push(arg, dataDir);
    // (a car with a cloud of its own: the option goes, and the embedded cloud takes a free port)
    else if (arg === '--cloud-url') args.push(...(cloudUrl ? [arg, cloudUrl] : ['--cloud-port', '0']));
    else if (arg === '--lan' && !lanAddress()) continue;
    else args.push(arg, ...(takesValue ? [value] : []));
  }
  return args;
}

/** Starts a process and resolves with the first address it says it is ready at. */
function started(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const match = ready.exec(line);
      if (match) resolve({ process: child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${output}`)));
  });
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts `n` head units as the compose file describes them: on one shared cloud (`shared`), or
 * each with its embedded cloud. Every unit is driven over its automation API with the fleet's token.
 */
export async function startFleet(n: number, { shared }: { shared: boolean }): Promise<Fleet> {
  const { cloud, unit } = await services();
  const work = await mkdtemp(join(tmpdir(), 'idrive-fleet-'));
  const token = randomBytes(24).toString('base64url');
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(ended));
    await rm(work, { recursive: true, force: true });
  };
  try {
    let cloudUrl: string | null = null;
    if (shared) {
      const sharedCloud = await started(translate(cloud.command, work, null), process.env, /cloud ready at (\S+)/);
      children.push(sharedCloud.process);
      // (a cloud on the LAN address says so; the units here reach it on loopback all the same)
      cloudUrl = sharedCloud.url.replace(/\/\/[^/:]+/, '//127.0.0.1');
    }
    const environment = { ...unit.environment, IDRIVE_AUTOMATION_TOKEN: token };
    // (every start is waited for, failed or not: a unit still starting when another failed would
    // otherwise write into its data dir while the fleet's folder is removed)
    const starts = await Promise.allSettled(
      Array.from({ length: n }, async (_, i) => {
        const one = await started(translate(unit.command, join(work, `unit-${i}`), cloudUrl), { ...process.env, ...environment }, /head unit ready at (\S+)/);
        children.push(one.process);
        // (the unit listens on every interface; it is driven here over loopback)
        const url = one.url.replace(/\/\/[^/:]+/, '//127.0.0.1').replace(/\?.*$/, '');
        return { url, process: one.process, car: await AutomationClient.connect(url, { token }) };
      }),
    );
    const units = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) {
      for (const u of units) u.car.close();
      throw failed.reason;
    }
    return {
      cloudUrl,
      units,
      stop: async () => {
        for (const u of units) u.car.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
