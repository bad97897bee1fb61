#!/usr/bin/env node
// Writes the build's app shell into dist/sw.js: every file the app needs with the SHA-256 of its
// bytes, and a version derived from all of them. Any change to any shipped file changes sw.js,
// which is what makes browsers install the new build (they compare sw.js byte for byte).
//
//   node scripts/stamp-service-worker.mjs [dist]
//
// Not part of the shell: sw.js itself, and examples/ (pages that show how to embed the app, not
// pages of the app).

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const dist = path.resolve(process.argv[2] ?? 'dist');
const EXCLUDED = [/^sw\.js$/, /^examples\//];
// The placeholder web/sw.js ships with, or the list of an earlier stamping: stamping again after
// changing a file in dist/ gives the same result as a fresh build.
const BUILD_LINE = /^const BUILD = [\s\S]*?};$/m;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const names = readdirSync(dist, { recursive: true })
  .map((name) => name.split(path.sep).join('/'))
  .filter((name) => statSync(path.join(dist, name)).isFile())
  .filter((name) => !EXCLUDED.some((pattern) => pattern.test(name)))
  .sort();

const files = Object.fromEntries(names.map((name) => [name, sha256(readFileSync(path.join(dist, name)))]));
const version = sha256(names.map((name) => `${name} ${files[name]}\n`).join('')).slice(0, 16);

const swPath = path.join(dist, 'sw.js');
const source = readFileSync(swPath, 'utf8');
if (!BUILD_LINE.test(source)) {
  console.error(`stamp-service-worker: ${swPath} has no "const BUILD = …;" to replace`);
  process.exit(1);
}
const stamped = `const BUILD = ${JSON.stringify({ version, files }, null, 2)};`;
writeFileSync(swPath, source.replace(BUILD_LINE, () => stamped));
console.log(`sw.js: build ${version}, ${names.length} shell files`);
