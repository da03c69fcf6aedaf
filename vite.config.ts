import { defineConfig } from 'vite';

/** The display's bundle. Served by the web host, and by the Electron host's app:// protocol. */
export default defineConfig({
  root: 'renderer/head-unit',
  base: './',
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
});
