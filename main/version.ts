import pkg from '../package.json' with { type: 'json' };

/** The head unit's version (package.json's), as `--version` and Settings → About show it. */
export const version: string = pkg.version;
