import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No tofu: every character the car's display and the STEP 1 pages can draw (their sources' text,
 * comments aside) has a glyph in a font of this machine, the fonts .ci/run installs (fontconfig's
 * own coverage, `fc-list`). A symbol no font carries is drawn as an empty box, as the Bluetooth
 * rune before the phone's name once was.
 */
const sources = ['renderer', 'shared/i18n', 'cloud', 'main/screens'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(tsx?|css|html)$/.test(entry.name) ? [path] : [];
  });
}

describe('the fonts', () => {
  it('have a glyph for every character the display and the pages can draw', () => {
    const ranges = execFileSync('fc-list', ['--format', '%{charset}\n'], { maxBuffer: 64 * 2 ** 20 })
      .toString()
      .split(/\s+/)
      .filter(Boolean)
      .map((range) => range.split('-').map((hex) => parseInt(hex, 16)));
    const covered = (cp: number) => ranges.some(([from = 0, to = from]) => cp >= from && cp <= to);
    const missing = new Map<string, string>();
    let seen = 0;
    for (const file of sources.flatMap(files)) {
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
        .join('\n');
      for (const char of text) {
        const cp = char.codePointAt(0)!;
        if (cp < 0x80) continue;
        seen++;
        if (!covered(cp) && !missing.has(char)) missing.set(char, `U+${cp.toString(16).toUpperCase()} in ${file}`);
      }
    }
    expect(seen).toBeGreaterThan(1000); // (the Japanese catalogs were read)
    expect([...missing.values()]).toEqual([]);
  });
});
