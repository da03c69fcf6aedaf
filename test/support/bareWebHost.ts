import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Core } from '../../main/core';
import { RequestFailed } from '../../main/hosts/dispatch';
import { fixedCar } from '../../main/hosts/handlers';
import { startWebHost, type WebHost, type WebHostOptions } from '../../main/hosts/web/server';
import { simulatedParts } from '../../main/world';
import { defaultScenario } from '../../shared/scenario';

/**
 * A core and its web host on a free port, with a stand-in display page and no display for
 * screenshots: for tests of the host itself (its channels, its limits), not of the display.
 */
export async function bareWebHost(dir: string, options: Partial<WebHostOptions> = {}): Promise<{ core: Core; host: WebHost }> {
  await mkdir(join(dir, 'renderer'), { recursive: true });
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  const core = new Core({ dataDir: join(dir, 'data'), language: 'en', parts: simulatedParts(defaultScenario) });
  await core.ready;
  const host = await startWebHost({
    car: fixedCar(core),
    host: '127.0.0.1',
    port: 0,
    rendererDir: join(dir, 'renderer'),
    log: () => {},
    display: async () => {
      throw new RequestFailed('no display');
    },
    ...options,
  });
  return { core, host };
}
