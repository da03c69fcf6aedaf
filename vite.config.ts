import { defineConfig, type Plugin } from 'vite';
import { metaContentSecurityPolicy } from './main/hosts/csp.ts';

/**
 * The display's CSP also as a <meta> in its HTML, made from the hosts' header: a page opened
 * without the header (a file, a tool that reads the HTML alone) keeps the same policy.
 */
function cspMeta(): Plugin {
  return {
    name: 'csp-meta',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy }, injectTo: 'head-prepend' },
    ],
  };
}

/** The display's bundle. Served by the web host, and by the Electron host's app:// protocol. */
export default defineConfig({
  root: 'renderer/head-unit',
  plugins: [cspMeta()],
  base: './',
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
});
