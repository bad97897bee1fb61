#!/usr/bin/env node
// Writes the build's dist/sw.js: web/sw.js with the app shell filled in (every file the app needs
// with the SHA-256 of its bytes, and a version derived from all of them), minified like the other
// scripts. Any change to any shipped file changes sw.js, which is what makes browsers install the
// new build (they compare sw.js byte for byte).
//
//   node scripts/stamp-service-worker.mjs [dist]
//
// Not part of the shell: sw.js itself, and examples/ (pages that show how to embed the app, not
// pages of the app).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const dist = path.resolve(process.argv[2] ?? 'dist');
const EXCLUDED = [/^sw\.js$/, /^examples\//];
// Always stamped from the readable source, whose placeholder line is easy to find: stamping again
// after changing a file in dist/ gives the same result as a fresh build.
const SOURCE = new URL('../web/sw.js', import.meta.url);
const BUILD_LINE = /^const BUILD = .*;$/m;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const names = readdirSync(dist, { recursive: true })
  .map((name) => name.split(path.sep).join('/'))
  .filter((name) => statSync(path.join(dist, name)).isFile())
  .filter((name) => !EXCLUDED.some((pattern) => pattern.test(name)))
  .sort();

const files = Object.fromEntries(names.map((name) => [name, sha256(readFileSync(path.join(dist, name)))]));
const version = sha256(names.map((name) => `${name} ${files[name]}\n`).join('')).slice(0, 16);

const source = readFileSync(SOURCE, 'utf8');
if (!BUILD_LINE.test(source)) {
  console.error('stamp-service-worker: web/sw.js has no "const BUILD = …;" line to replace');
  process.exit(1);
}
const stamped = source.replace(BUILD_LINE, () => `const BUILD = ${JSON.stringify({ version, files })};`);
const minified = execFileSync('esbuild', ['--minify', '--log-level=warning'], { input: stamped });
writeFileSync(path.join(dist, 'sw.js'), minified);
console.log(`sw.js: build ${version}, ${names.length} shell files`);
