// Draws the app's icon (build/icon.png, 512 px): the iDrive controller seen from above, a ring and
// its centre on BMW blue. electron-builder makes the Windows and macOS icons from it.
// Run: node scripts/icon.mjs
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const size = 512;
const png = new PNG({ width: size, height: size });
const blue = [28, 105, 212];
const white = [255, 255, 255];
const c = size / 2;
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const i = (y * size + x) * 4;
    // a rounded square (corner radius 96), antialiased at its edge
    const dx = Math.max(Math.abs(x + 0.5 - c) - (c - 96), 0);
    const dy = Math.max(Math.abs(y + 0.5 - c) - (c - 96), 0);
    const outside = Math.hypot(dx, dy) - 96;
    const alpha = Math.max(0, Math.min(1, 0.5 - outside));
    const r = Math.hypot(x + 0.5 - c, y + 0.5 - c);
    // the ring (radius 150, 26 wide) and the centre (radius 44)
    const ring = Math.max(0, Math.min(1, 13.5 - Math.abs(r - 150)));
    const dot = Math.max(0, Math.min(1, 44.5 - r));
    const mix = Math.max(ring, dot);
    for (let k = 0; k < 3; k++) png.data[i + k] = Math.round(blue[k] * (1 - mix) + white[k] * mix);
    png.data[i + 3] = Math.round(alpha * 255);
  }
}
writeFileSync(new URL('../build/icon.png', import.meta.url), PNG.sync.write(png));
