import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The arrows inside main/, one floor each: the store at the bottom, the domains (bmwId, bluetooth,
 * esim, phonebook) on it, then the machines, the screens, wiring/ (the composition), and the core
 * and the hosts on top. Lint enforces them (shown here failing on deliberate bad imports),
 * and no import circle is left (checked over the real files).
 */
const eslint = new ESLint();
async function lintErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layers inside main/', () => {
  it.each([
    ['main/store/x.ts', "import type { HeadUnitContext } from '../machines/context';", /store\/ is the bottom/],
    ['main/store/x.ts', "import { entryScreen } from '../screens/entry';", /store\/ is the bottom/],
    ['main/machines/x.ts', "import { interpret } from '../screens/controller';", /machines\/ import no screens/],
    ['main/machines/x.ts', "import type { Core } from '../core';", /machines\/ import no screens/],
    ['main/machines/x.ts', "import { startWebHost } from '../hosts/web/server';", /machines\/ import no screens/],
    ['main/screens/x.ts', "import { AreaFile } from '../store/areaFile';", /screens\/ draw from the machines/],
    ['main/store/x.ts', "import { ProfilesFile } from '../bmwId/profiles';", /store\/ is the bottom/],
    ['main/store/x.ts', "import { CarStore } from '../wiring/carStore';", /store\/ is the bottom/],
    ['main/esim/x.ts', "import { esimMachine } from '../machines/esim';", /A domain folder/],
    ['main/bmwId/x.ts', "import { bmwIdActors } from '../wiring/bmwId';", /A domain folder/],
    ['main/phonebook/x.ts', "import { composeView } from '../screens/compose';", /A domain folder/],
    ['main/machines/x.ts', "import { wireHeadUnit } from '../wiring/headUnit';", /machines\/ import no screens/],
    ['main/wiring/x.ts', "import { Core } from '../core';", /wiring\/ composes/],
    ['main/wiring/x.ts', "import { startWebHost } from '../hosts/web/server';", /wiring\/ composes/],
    ['main/screens/x.ts', "import { automationHandlers } from '../hosts/handlers';", /screens\/ draw from the machines/],
    ['main/screens/x.ts', "import { App } from '../../renderer/head-unit/App';", /never imports the renderer/],
    ['main/store/x.ts', "import { app } from 'electron';", /Only main\/hosts\/electron/],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await lintErrors(file, `${code}\nexport {};\n`);
    expect(
      errors.some((e) => message.test(e)),
      errors.join('; '),
    ).toBe(true);
  });

  it.each([
    ['main/screens/x.ts', "import type { HeadUnitContext } from '../machines/context';"],
    ['main/machines/x.ts', "import type { StoreProblem } from '../store/problems';"],
    ['main/core.ts', "import { interpretInput } from './screens/input';"],
    ['main/esim/x.ts', "import { AreaFile } from '../store/areaFile';"],
    ['main/bluetooth/x.ts', "import type { Contact } from '../phonebook/vcard';"],
    ['main/machines/x.ts', "import { defaultDeviceCap } from '../bluetooth/devices';"],
    ['main/wiring/x.ts', "import { loginMachine } from '../machines/login';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await lintErrors(file, `${code}\nexport {};\n`)).toEqual([]);
  });

  it('has no import circle', () => {
    const root = resolve('main');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) files.push(path);
      }
    };
    walk(root);
    const graph = new Map(
      files.map((file) => {
        const imports = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)]
          .map((m) => resolve(dirname(file), m[1]!))
          .map((target) => [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].find((candidate) => files.includes(candidate)))
          .filter((target): target is string => target !== undefined);
        return [file, imports];
      }),
    );
    // depth-first search for a back edge
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open')
          circles.push(
            [...path, file, next]
              .slice(path.indexOf(next) >= 0 ? path.indexOf(next) : 0)
              .map((f) => relative(root, f))
              .join(' → '),
          );
        else if (!state.has(next)) visit(next, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, []);
    expect(circles).toEqual([]);
  });
});

/** Each native or host library is imported only in the folder that adapts it (docs/facts.md "The layers"). */
describe('the libraries that adapt hardware and hosts', () => {
  const homes: Record<string, string[]> = {
    electron: ['main/hosts/electron/'],
    'dbus-next': ['hardware/bluetooth/bluez/'],
    '@abandonware/noble': ['hardware/bluetooth/ble/'],
    serialport: ['hardware/modem/at/'],
    'node-pty': ['hardware/modem/sim/'],
    'playwright-core': ['main/hosts/web/'],
    fastify: ['main/hosts/web/', 'cloud/'],
  };
  it('are imported in their home folders only', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) files.push(relative(resolve('.'), path));
      }
    };
    for (const folder of ['main', 'hardware', 'cloud', 'shared', 'renderer']) walk(resolve(folder));
    const strays: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [library, folders] of Object.entries(homes)) {
        const imported = new RegExp(`(?:from\\s+|import\\(\\s*|require\\(\\s*|\\)\\(\\s*)'${library.replace('/', '\\/')}(?:/[^']*)?'`).test(text);
        if (imported && !folders.some((folder) => file.startsWith(folder))) strays.push(`${file} imports ${library}`);
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(strays).toEqual([]);
  });
});
