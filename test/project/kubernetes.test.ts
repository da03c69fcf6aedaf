import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readyPath } from '../../main/hosts/web/server';

/**
 * deploy/kubernetes as kubectl renders it (`kubectl kustomize`), checked against the compose file:
 * the two run the same commands, so what the fleet test proves of one holds for the other.
 */
interface Container {
  command: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } }; value?: string }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet?: { path: string; port: string }; tcpSocket?: { port: string } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Resource {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    clusterIP?: string;
    selector?: { matchLabels?: Record<string, string> } & Record<string, unknown>;
    template?: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
    volumeClaimTemplates?: { metadata: { name: string } }[];
    ports?: { port: number }[];
  };
}

async function rendered(): Promise<Resource[]> {
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', 'deploy/kubernetes']);
  return parseAllDocuments(stdout).map((doc) => doc.toJS() as Resource);
}
const compose = async () => (parse(await readFile('docs/fleet/compose.yaml', 'utf8')) as { services: Record<string, { command: string[] }> }).services;
/** A command with the values of the options that name places (which differ by engine) left out. */
const withoutPlaces = (command: string[]) => command.filter((arg, i) => !['--cloud-url', '--data-dir'].includes(command[i - 1] ?? ''));
const find = (resources: Resource[], kind: string, name: string) => {
  const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${resources.map((r) => `${r.kind}/${r.metadata.name}`).join(', ')}`);
  return found;
};

describe('the Kubernetes manifests', () => {
  it('render with kubectl into the cloud and a StatefulSet of head units, running the compose file’s commands', async () => {
    const resources = await rendered();
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}`).sort()).toEqual([
      'Deployment/idrive-cloud',
      'Service/idrive-cloud',
      'Service/idrive-head-unit',
      'StatefulSet/idrive-head-unit',
    ]);
    const services = await compose();
    const cloud = find(resources, 'Deployment', 'idrive-cloud').spec.template!.spec.containers[0]!;
    const unit = find(resources, 'StatefulSet', 'idrive-head-unit').spec.template!.spec.containers[0]!;
    expect(cloud.command).toEqual(services.cloud!.command);
    expect(withoutPlaces(unit.command)).toEqual(withoutPlaces(services['head-unit']!.command));
    // the units reach the cloud by its Service, on the port the cloud listens on
    const cloudUrl = new URL(unit.command[unit.command.indexOf('--cloud-url') + 1]!);
    expect(cloudUrl.hostname).toBe('idrive-cloud');
    expect(find(resources, 'Service', 'idrive-cloud').spec.ports!.map((p) => p.port)).toContain(Number(cloudUrl.port));
  });

  it('keep the token in a Secret made by the operator, probe readiness without it, and keep each car’s memory', async () => {
    const resources = await rendered();
    expect(resources.some((r) => r.kind === 'Secret')).toBe(false);
    const set = find(resources, 'StatefulSet', 'idrive-head-unit');
    const unit = set.spec.template!.spec.containers[0]!;
    const token = unit.env!.find((e) => e.name === 'IDRIVE_AUTOMATION_TOKEN')!;
    expect(token.value).toBeUndefined();
    expect(token.valueFrom?.secretKeyRef?.name).toBe('idrive-automation-token');
    // the probe asks the path that answers without the token, on the port the unit listens on
    expect(unit.readinessProbe.httpGet?.path).toBe(readyPath);
    const port = unit.ports.find((p) => p.name === unit.readinessProbe.httpGet!.port)!.containerPort;
    expect(unit.command[unit.command.indexOf('--port') + 1]).toBe(String(port));
    // the data dir lies on the volume each unit claims
    const dataDir = unit.command[unit.command.indexOf('--data-dir') + 1]!;
    const mount = unit.volumeMounts!.find((m) => dataDir.startsWith(`${m.mountPath}/`))!;
    expect(set.spec.volumeClaimTemplates!.map((v) => v.metadata.name)).toContain(mount.name);
    // a headless Service gives each unit a name of its own
    const headless = find(resources, 'Service', 'idrive-head-unit');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toMatchObject(set.spec.template!.metadata.labels);
  });

  it('have a podman kube play twin that runs the same commands, a pod per unit on a host port of its own', async () => {
    const pods = parseAllDocuments(await readFile('deploy/podman/fleet.yaml', 'utf8')).map(
      (doc) => doc.toJS() as { kind: string; metadata: { name: string }; spec: { containers: (Container & { ports: { hostPort: number }[] })[] } },
    );
    expect(pods.every((p) => p.kind === 'Pod')).toBe(true);
    const resources = await rendered();
    const cloud = pods.find((p) => p.metadata.name === 'idrive-cloud')!.spec.containers[0]!;
    expect(cloud.command).toEqual(find(resources, 'Deployment', 'idrive-cloud').spec.template!.spec.containers[0]!.command);
    const units = pods.filter((p) => p.metadata.name.startsWith('idrive-head-unit-')).map((p) => p.spec.containers[0]!);
    expect(units).toHaveLength(3);
    const unit = find(resources, 'StatefulSet', 'idrive-head-unit').spec.template!.spec.containers[0]!;
    for (const podUnit of units) {
      expect(withoutPlaces(podUnit.command)).toEqual(withoutPlaces(unit.command));
      // (no Services under kube play: the cloud by its pod's name)
      expect(podUnit.command[podUnit.command.indexOf('--cloud-url') + 1]).toBe('http://idrive-cloud:4731');
      expect(podUnit.env!.find((e) => e.name === 'IDRIVE_AUTOMATION_TOKEN')!.valueFrom?.secretKeyRef?.name).toBe('idrive-automation-token');
    }
    expect(units.map((u) => u.ports[0]!.hostPort)).toEqual([47301, 47302, 47303]);
  });
});
