#!/usr/bin/env node
// Paints the app's PNG icons from the same shapes as web/icons/icon.svg (a rounded square with a
// picture glyph: a sun and two hills), so the build needs no image tools and no binary files live
// in the repository. The output is the same bytes on every run.
//
//   node scripts/make-icons.mjs [out=dist/icons]
//
// icon-192.png, icon-512.png: the rounded square on transparency, for "any" purpose.
// icon-maskable-512.png: full-bleed background with the glyph inside the central safe circle
// (radius 40 %) that launchers may crop to.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

import { encodePng } from './png.mjs';

// In the SVG's 16 × 16 units; keep in step with web/icons/icon.svg.
const BACKGROUND = [0xc2, 0x41, 0x0c];
const GLYPH = [0xff, 0xff, 0xff];
const CORNER_RADIUS = 3;
const SUN = { x: 10.5, y: 5.5, r: 1.25 };
const HILLS = [[3.5, 11.5], [6.75, 7], [9, 10.25], [10.5, 8.25], [12.5, 11.5]];
const SUBSAMPLES = 3; // per axis: 9 samples per pixel smooth the edges (16 looked the same and cost 0.9 KB gzipped)

function insideRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, CORNER_RADIUS), 16 - CORNER_RADIUS);
  const cy = Math.min(Math.max(y, CORNER_RADIUS), 16 - CORNER_RADIUS);
  return x >= 0 && x <= 16 && y >= 0 && y <= 16 && (x - cx) ** 2 + (y - cy) ** 2 <= CORNER_RADIUS ** 2;
}

function insidePolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insideGlyph(x, y) {
  return (x - SUN.x) ** 2 + (y - SUN.y) ** 2 <= SUN.r ** 2 || insidePolygon(x, y, HILLS);
}

/** RGBA pixels of one icon. `glyphScale` shrinks the glyph around the centre (maskable icons). */
function paint(size, { maskable }) {
  const glyphScale = maskable ? 0.75 : 1;
  const rgba = Buffer.alloc(size * size * 4);
  const samples = SUBSAMPLES * SUBSAMPLES;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let background = 0;
      let glyph = 0;
      for (let s = 0; s < samples; s += 1) {
        const x = ((px + ((s % SUBSAMPLES) + 0.5) / SUBSAMPLES) * 16) / size;
        const y = ((py + (Math.floor(s / SUBSAMPLES) + 0.5) / SUBSAMPLES) * 16) / size;
        if (!maskable && !insideRoundedSquare(x, y)) continue;
        background += 1;
        if (insideGlyph(8 + (x - 8) / glyphScale, 8 + (y - 8) / glyphScale)) glyph += 1;
      }
      const offset = (py * size + px) * 4;
      if (background === 0) continue; // transparent
      const mix = glyph / background;
      for (let c = 0; c < 3; c += 1) rgba[offset + c] = Math.round(BACKGROUND[c] + (GLYPH[c] - BACKGROUND[c]) * mix);
      rgba[offset + 3] = Math.round((255 * background) / samples);
    }
  }
  return rgba;
}

const ICONS = [
  { name: 'icon-192.png', size: 192, maskable: false },
  { name: 'icon-512.png', size: 512, maskable: false },
  { name: 'icon-maskable-512.png', size: 512, maskable: true },
];

const out = path.resolve(process.argv[2] ?? 'dist/icons');
mkdirSync(out, { recursive: true });
for (const { name, size, maskable } of ICONS) {
  writeFileSync(path.join(out, name), encodePng(size, size, paint(size, { maskable }), { indexed: true }));
}
console.log(`icons: ${ICONS.map((icon) => icon.name).join(', ')} in ${out}`);
