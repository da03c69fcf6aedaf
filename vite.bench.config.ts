import { defineConfig } from 'vite';
import display from './vite.config.ts';

/** The bench console's bundle, served beside the display at /bench/ (its own page, the display's CSP). */
export default defineConfig({
  ...display,
  root: 'renderer/bench',
  build: { ...display.build, outDir: '../../dist/renderer/bench', emptyOutDir: true },
});
