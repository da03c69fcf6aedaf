import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * A car's start loads only what it needs before its first screen: the rest of the bundle is in
 * chunks loaded when first used. Read from the build's own account of its outputs
 * (dist/main/bundle.json, written by scripts/build.mjs): what start.js imports statically, and
 * what those import, is what every start compiles and runs.
 */
type Outputs = Record<string, { imports: { path: string; kind: string }[]; inputs: string[] }>;
const outputs = JSON.parse(readFileSync('dist/main/bundle.json', 'utf8')) as Outputs;

function loadedAtStart(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of outputs[file]!.imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  return [...seen].flatMap((file) => outputs[file]!.inputs);
}

// The launcher (start.js) turns the compile cache on, then imports the app (main/launch.ts):
// what a start loads is that chunk and what it imports statically.
const launch = Object.keys(outputs).find((file) => outputs[file]!.inputs.includes('main/launch.ts'))!;
const atStart = loadedAtStart(launch);
const later = Object.values(outputs).flatMap((o) => o.inputs);

describe("the launcher's start", () => {
  it.each([
    ['the PKI (@peculiar/x509, its ASN.1 schemas)', /node_modules\/@peculiar\/x509\//],
    ["the eUICC's certificates (until a profile is downloaded)", /hardware\/modem\/sim\/euiccPki\.ts$/],
    ['the QR code encoder (until a QR login)', /node_modules\/qrcode\//],
    ['the embedded cloud (its sites and SM-DP+)', /^cloud\/server\.ts$/],
    ["the display's file server (@fastify/static, until a browser asks for the display)", /node_modules\/@fastify\/(static|send)\//],
  ])('leaves %s for when it is first used', (_what, input) => {
    // (the bundle holds it: the check cannot pass by a name drifting)
    expect(later.some((file) => input.test(file))).toBe(true);
    expect(atStart.filter((file) => input.test(file))).toEqual([]);
  });

  // The embedded cloud's own start: its sites and the SM-DP+'s listener, without the SM-DP+'s engine
  // and the PKI (loaded at its first ES9+ call; its TLS identity is kept between starts).
  it.each([
    ['the PKI (@peculiar/x509, its ASN.1 schemas)', /node_modules\/@peculiar\/x509\//],
    ["the SM-DP+'s engine (ES9+, binding, the profile maker)", /^cloud\/smdp\/(es9plus|bind)\.ts$/],
    ["the sites' Japanese line breaking (BudouX, linkedom, until their first page)", /node_modules\/(budoux|linkedom)\//],
  ])("leaves %s out of the embedded cloud's start", (_what, input) => {
    const server = Object.keys(outputs).find((file) => outputs[file]!.inputs.includes('cloud/server.ts'))!;
    expect(later.some((file) => input.test(file))).toBe(true);
    expect(loadedAtStart(server).filter((file) => input.test(file))).toEqual([]);
  });

  it("carries none of zod's locales but its default, English", () => {
    expect(later.filter((file) => /node_modules\/zod\/v4\/locales\//.test(file))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('turns the compile cache on before it imports the app', () => {
    expect(outputs['dist/main/start.js']!.inputs).toEqual(['main/start.ts']);
    expect(outputs['dist/main/start.js']!.imports).toEqual([{ path: launch, kind: 'dynamic-import' }]);
  });

  it('loads what its first screen needs', () => {
    for (const input of [/^main\/core\.ts$/, /^main\/hosts\/web\/server\.ts$/, /node_modules\/xstate\//, /node_modules\/zod\/v4\/classic\//]) {
      expect(
        atStart.some((file) => input.test(file)),
        String(input),
      ).toBe(true);
    }
  });
});
