import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom (docs/facts.md "The layers"): shared/ imports nothing of ours; hardware/ and cloud/ import
 * shared/; renderer/ imports shared/ only; main/ imports the rest. Each native or host library
 * stays in the one folder that adapts it.
 */
const layer = (from, folders, packages, message) => ({
  files: [`${from}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: folders.map((group) => ({ group: [group], message })),
        paths: packages.map((name) => ({ name, message })),
      },
    ],
  },
});
const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'net', 'crypto'];
/** main/'s domain folders: what the car knows of BMW IDs, Bluetooth, the eSIM and address books. */
const domains = ['bmwId', 'bluetooth', 'esim', 'phonebook'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      'no-restricted-syntax': [
        'error',
        {
          // (zod's `z` object holds every locale, ~340 KB a bundle cannot shake off; its namespace can)
          selector: "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z']",
          message: "Import zod as a namespace (import * as z from 'zod'): the `z` export carries all of zod's locales into the bundle.",
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'bench/page/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer(
    'shared',
    ['**/main/**', '**/renderer/**', '**/hardware/**', '**/cloud/**', 'node:*'],
    ['electron', ...nodeBuiltins],
    'shared/ is pure TypeScript that runs anywhere: it imports nothing else of ours, no Node, no Electron.',
  ),
  layer(
    'renderer',
    ['**/main/**', '**/hardware/**', '**/cloud/**', 'node:*'],
    ['electron', 'ws', 'fastify', ...nodeBuiltins],
    'The renderer talks to the core only through its Bridge; it imports shared/ only.',
  ),
  layer('hardware', ['**/main/**', '**/renderer/**', '**/cloud/**'], ['electron'], 'hardware/ imports shared/ only.'),
  layer('cloud', ['**/main/**', '**/renderer/**', '**/hardware/**'], ['electron'], 'cloud/ imports shared/ only.'),
  // Inside main/, one floor each (docs/architecture.md "Inside main/"): store/ at the bottom, the
  // domains on it, then the machines, the screens, wiring/ (the composition), and core, boot and
  // the hosts on top. (In a flat config a later block replaces an earlier no-restricted-imports
  // for its files, so each layer repeats main/'s own limits.)
  mainLayer('main/**/*.ts', []),
  mainLayer('main/store/**/*.ts', [
    [
      ['**/machines/**', '**/screens/**', '**/hosts/**', '**/core', '**/boot', '**/wiring/**', ...domains.map((d) => `**/${d}/**`)],
      'store/ is the bottom of main/: area files and their machinery, for the domains to use; it imports no domain, machine, screen, host or composition.',
    ],
  ]),
  mainLayer(`main/{${domains.join(',')}}/**/*.ts`, [
    [
      ['**/machines/**', '**/screens/**', '**/hosts/**', '**/core', '**/boot', '**/wiring/**'],
      'A domain folder (its clients, files and rules) imports the store, shared/, hardware/ and other domains, never the machines, screens, hosts or composition: wiring/ joins it to them.',
    ],
  ]),
  mainLayer('main/machines/**/*.ts', [
    [
      ['**/screens/**', '**/hosts/**', '**/core', '**/boot', '**/wiring/**'],
      'machines/ import no screens, hosts or composition: what they need from the screens is provided to them (see screens/input.ts).',
    ],
  ]),
  mainLayer('main/screens/**/*.ts', [
    [['**/store/**', '**/hosts/**', '**/core', '**/boot', '**/wiring/**'], 'screens/ draw from the machines; they never read the store or the hosts.'],
  ]),
  mainLayer('main/wiring/**/*.ts', [
    [['**/hosts/**', '**/core', '**/boot'], 'wiring/ composes the machines with their actors and the store; the core and the hosts are above it.'],
  ]),
);

/** main/'s limits for `files`, plus a layer's own forbidden import patterns. */
function mainLayer(files, forbidden) {
  return {
    files: [files],
    ignores: ['main/hosts/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/hosts/electron/ touches electron.' }],
          patterns: [
            { group: ['**/renderer/**'], message: 'main/ never imports the renderer; it serves its build.' },
            ...forbidden.map(([group, message]) => ({ group, message })),
          ],
        },
      ],
    },
  };
}
