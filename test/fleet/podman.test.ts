import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationClient } from '../../main/automation/client';
import { report } from '../../bench/stats';
import { addByEmail } from '../support/driver';

/**
 * The fleet as shipped, on a real container engine: Debian's podman (rootful) makes the base image
 * from Debian's repositories and the npm registry (docs/fleet/debian-base.sh), builds the image
 * from docs/fleet/Dockerfile on it, and podman-compose starts docs/fleet/compose.yaml as it is: the
 * cloud and three head units, which are reached through their published ports with the token and
 * all logged in at once; then `podman kube play` runs deploy/podman/fleet.yaml the same way. About
 * two minutes here; `npm run test:fleet` runs it alone. As root, with the packages .ci/run installs
 * (podman, podman-compose, runc, catatonit, CNI's dnsname plugin, debootstrap). Its figures go to
 * bench/results/fleet-podman.json.
 */
const run = promisify(execFile);
const base = 'localhost/idrive-node:22-bookworm';
const image = 'localhost/idrive-emulator';
const project = 'idrive-fleet';
const token = 'fleet-test-token-0123456789abcdef';
let env: NodeJS.ProcessEnv;
let confDir: string;
const figures: Record<string, number> = {};

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await work();
  figures[name] = Math.round(performance.now() - t);
  return result;
}

const podman = (...args: string[]) => run('podman', args, { env, maxBuffer: 64 * 2 ** 20 });
const compose = (...args: string[]) => run('podman-compose', ['-f', 'docs/fleet/compose.yaml', '-p', project, ...args], { env, maxBuffer: 64 * 2 ** 20 });

beforeAll(async () => {
  // The engine's limits within this machine's own: a container may not raise a limit above the
  // hard one it is started under (podman's rootful defaults ask for more than a sandbox may have).
  confDir = await mkdtemp(join(tmpdir(), 'idrive-podman-'));
  const hard = async (flag: string) => Number((await run('bash', ['-c', `ulimit -H${flag}`])).stdout.trim()) || 4096;
  const nofile = Math.min(await hard('n'), 65_536);
  const nproc = Math.min(await hard('u'), 4096);
  const runc = await run('bash', ['-c', 'command -v runc']).then(
    () => true,
    () => false,
  );
  await writeFile(
    join(confDir, 'containers.conf'),
    ['[containers]', `default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]`, ...(runc ? ['[engine]', 'runtime = "runc"'] : []), ''].join(
      '\n',
    ),
  );
  env = { ...process.env, CONTAINERS_CONF: join(confDir, 'containers.conf'), IDRIVE_AUTOMATION_TOKEN: token };
  await compose('down').catch(() => undefined);
  await shell(kube.down).catch(() => undefined);
}, 60_000);

/** The kube play fleet's commands, as docs/fleet.md gives them (the token from the environment). */
const kube = {
  network: 'podman network create idrive-fleet-kube',
  secret: 'printf \'{"token":"%s"}\' "$(printf %s "$IDRIVE_AUTOMATION_TOKEN" | base64 -w0)" | podman secret create idrive-automation-token -',
  play: 'podman kube play --network idrive-fleet-kube deploy/podman/fleet.yaml',
  down: 'podman kube down deploy/podman/fleet.yaml; podman secret rm idrive-automation-token; podman network rm idrive-fleet-kube',
};
const shell = (command: string) => run('bash', ['-c', command], { env, maxBuffer: 64 * 2 ** 20 });

/** Until a container has said a line like this one (its log followed as it is written, from the start). */
function untilLogged(container: string, line: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const logs = spawn('podman', ['logs', '-f', container], { env });
    let seen = '';
    const done = (error?: Error) => {
      logs.kill();
      if (error) reject(error);
      else resolve();
    };
    for (const stream of [logs.stdout, logs.stderr]) {
      createInterface({ input: stream }).on('line', (text) => {
        seen += `${text}\n`;
        if (line.test(text)) done();
      });
    }
    logs.once('exit', (code) => done(new Error(`${container} ended its log (${code}) before ${line}:\n${seen}`)));
  });
}

afterAll(async () => {
  await compose('down').catch(() => undefined);
  await shell(kube.down).catch(() => undefined);
  await report(
    'fleet-podman',
    Object.entries(figures).map(([name, value]) => ({ name, value, unit: name.endsWith('MiB') ? 'MiB' : 'ms' })),
    {},
  );
  await rm(confDir, { recursive: true, force: true });
}, 120_000);

describe('the fleet in podman', () => {
  it('builds the image on a base made from Debian’s repositories', async () => {
    await timed('base image (debootstrap, Node.js from the npm registry)', () => run('bash', ['docs/fleet/debian-base.sh', base], { env }));
    await timed('image build', () => podman('build', '-f', 'docs/fleet/Dockerfile', '--build-arg', `BASE=${base}`, '-t', image, '.'));
    const { stdout } = await podman('run', '--rm', image, 'node', 'dist/main/start.js', '--version');
    expect(stdout).toMatch(/^iDrive head-unit emulator \d/m);
    // (the image carries the bundles only, and V8's code for them: no node_modules, no sources)
    const listing = await podman('run', '--rm', image, 'ls', '/app');
    expect(listing.stdout.trim().split('\n').sort()).toEqual(['compile-cache', 'dist', 'package.json']);
    const cache = await podman('run', '--rm', image, 'find', '/app/compile-cache', '-type', 'f');
    expect(cache.stdout.trim().split('\n').length).toBeGreaterThan(1);
  }, 900_000);

  it('starts the compose file with podman-compose, and every car logs in through its published port with the token', async () => {
    await timed('compose up to every unit healthy', async () => {
      await compose('up', '-d');
      const { stdout } = await podman('ps', '-a', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Names}}');
      // podman runs health checks from systemd timers; where there is no systemd (a container, a
      // CI runner) nobody does: each container's own check is run here until it passes.
      for (const name of stdout.trim().split('\n')) {
        for (
          let attempt = 1;
          !(await podman('healthcheck', 'run', name).then(
            () => true,
            () => false,
          ));
          attempt++
        ) {
          if (attempt === 100) throw new Error(`${name} never passed its health check:\n${(await podman('logs', name)).stderr}`);
        }
      }
    });
    const { stdout } = await podman(
      'ps',
      '--filter',
      'label=com.docker.compose.service=head-unit',
      '--filter',
      `label=io.podman.compose.project=${project}`,
      '--format',
      '{{.Names}}',
    );
    const names = stdout.trim().split('\n');
    expect(names).toHaveLength(3);
    // The cars reach the cloud by its service name: the engine's network must answer names.
    const resolved = await podman('exec', names[0]!, 'node', '-e', "require('node:dns').lookup('cloud', (e) => process.exit(e ? 1 : 0))").then(
      () => true,
      () => false,
    );
    if (!resolved)
      throw new Error(
        'the containers cannot resolve "cloud": podman\'s network has no DNS (with CNI, install golang-github-containernetworking-plugin-dnsname; with netavark, aardvark-dns)',
      );
    const cars = await Promise.all(
      names.map(async (name) => {
        const port = (await podman('port', name, '4730')).stdout.trim().split(':').pop();
        return AutomationClient.connect(`http://127.0.0.1:${port}/`, { token });
      }),
    );
    try {
      await timed('3 cars logged in at once', () =>
        Promise.all(
          cars.map(async (car) => {
            await car.button('MENU');
            await addByEmail(car, 'hanako@example.com', 'onenumber-demo');
          }),
        ),
      );
      for (const car of cars) expect((await car.screen()).status.profile).toBe('Hanako Suzuki');
      // Without the token, a request through the published port is refused.
      const port = (await podman('port', names[0]!, '4730')).stdout.trim().split(':').pop();
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(403);
      const stats = await podman('stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', ...names);
      const mib = stats.stdout
        .trim()
        .split('\n')
        .map((line) => parseMemory(line.split(' ')[1]!));
      figures['head unit in a container, memory (max of 3), MiB'] = Math.max(...mib);
    } finally {
      for (const car of cars) car.close();
    }
  }, 300_000);

  it('runs deploy/podman/fleet.yaml with podman kube play, and every car logs in through its host port with the token', async () => {
    await compose('down');
    const cars = await timed('kube play up to every unit ready', async () => {
      for (const command of [kube.network, kube.secret, kube.play]) await shell(command);
      const units = [1, 2, 3].map((n) => `idrive-head-unit-${n}-head-unit`);
      // (ready once it has said everything its start says: the last line names its world)
      await Promise.all(units.map((name) => untilLogged(name, /^world "/)));
      return Promise.all([1, 2, 3].map((n) => AutomationClient.connect(`http://127.0.0.1:4730${n}/`, { token })));
    });
    try {
      await timed('3 cars (kube play) logged in at once', () =>
        Promise.all(
          cars.map(async (car) => {
            await car.button('MENU');
            await addByEmail(car, 'hanako@example.com', 'onenumber-demo');
          }),
        ),
      );
      for (const car of cars) expect((await car.screen()).status.profile).toBe('Hanako Suzuki');
      expect((await fetch('http://127.0.0.1:47302/')).status).toBe(403);
    } finally {
      for (const car of cars) car.close();
      await shell(kube.down);
    }
  }, 300_000);
});

/** podman's "57.3MB" (or kB, GB) in MiB. */
function parseMemory(text: string): number {
  const match = /^([\d.]+)\s*([kMG]i?B)$/.exec(text);
  if (!match) return NaN;
  const factor = { kB: 1e3, kiB: 1024, KiB: 1024, MB: 1e6, MiB: 2 ** 20, GB: 1e9, GiB: 2 ** 30 }[match[2]!] ?? NaN;
  return Math.round((Number(match[1]) * factor) / 2 ** 20);
}
