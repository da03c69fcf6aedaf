import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { describe, expect, it } from 'vitest';

/**
 * The bench kiosk's systemd units (deploy/kiosk/): systemd's own verifier accepts them, and they
 * say what a kiosk needs: cage, the head unit in kiosk mode, an unprivileged user in the groups of
 * Bluetooth and the serial port, a restart on every exit, no blanking.
 */
const run = promisify(execFile);
const units = ['deploy/kiosk/idrive-kiosk.service', 'deploy/kiosk/idrive-kiosk-web.service'];

function settings(unit: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match) map.set(match[1]!, [...(map.get(match[1]!) ?? []), match[2]!]);
  }
  return map;
}

describe('the kiosk units', () => {
  it.each(units)('%s passes systemd-analyze verify', async (unit) => {
    const { stderr } = await run('systemd-analyze', ['verify', '--man=no', unit]);
    expect(stderr).toBe('');
  });

  it.each(units)('%s runs the head unit in kiosk mode under cage, unprivileged, restarted on every exit', async (path) => {
    const unit = settings(await readFile(path, 'utf8'));
    expect(unit.get('ExecStart')![0]).toMatch(/^\/usr\/bin\/cage -d -- .* --kiosk --data-dir \/var\/lib\/idrive$/);
    expect(unit.get('User')).toEqual(['idrive']);
    expect(unit.get('SupplementaryGroups')![0]!.split(' ')).toEqual(expect.arrayContaining(['bluetooth', 'dialout', 'video', 'input']));
    expect(unit.get('Restart')).toEqual(['always']);
    expect(unit.get('StartLimitIntervalSec')).toEqual(['0']);
    expect(unit.get('ExecStartPre')![0]).toContain('--blank 0');
    expect(unit.get('WantedBy')).toEqual(['graphical.target']);
  });

  it('starts the packaged build where the deb installs it', async () => {
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { name: string };
    const unit = settings(await readFile(units[0]!, 'utf8'));
    expect(unit.get('ExecStart')![0]).toContain(`"/opt/${config.productName}/${pkg.name}"`);
  });
});
