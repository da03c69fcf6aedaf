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
    'no-restricted-imports': ['error', {
      patterns: folders.map((group) => ({ group: [group], message })),
      paths: packages.map((name) => ({ name, message })),
    }],
  },
});
const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'net', 'crypto'];

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
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'bench/page/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer('shared', ['**/main/**', '**/renderer/**', '**/hardware/**', '**/cloud/**', 'node:*'], ['electron', ...nodeBuiltins],
    'shared/ is pure TypeScript that runs anywhere: it imports nothing else of ours, no Node, no Electron.'),
  layer('renderer', ['**/main/**', '**/hardware/**', '**/cloud/**', 'node:*'], ['electron', 'ws', 'fastify', ...nodeBuiltins],
    'The renderer talks to the core only through its Bridge; it imports shared/ only.'),
  layer('hardware', ['**/main/**', '**/renderer/**', '**/cloud/**'], ['electron'],
    'hardware/ imports shared/ only.'),
  layer('cloud', ['**/main/**', '**/renderer/**', '**/hardware/**'], ['electron'],
    'cloud/ imports shared/ only.'),
  {
    files: ['main/**/*.ts'],
    ignores: ['main/hosts/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only main/hosts/electron/ touches electron.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer; it serves its build.' }],
      }],
    },
  },
);
