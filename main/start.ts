import module from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The launcher. Where Node keeps compiled code between starts (22.1 and newer:
 * `module.enableCompileCache`, in the system's temporary directory or NODE_COMPILE_CACHE), V8
 * reads the bundle's code as compiled at an earlier start instead of compiling it again; Node 20
 * has no such cache and starts as before. It is turned on before the app is imported, so that all
 * of the app is cached.
 */
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { launch } = await import('./launch');
await launch(dirname(fileURLToPath(import.meta.url))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
