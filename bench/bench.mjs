// Runs the preparation benchmark (see scripts/bench, which builds what this needs first):
// native core, the app's worker path in each wasm variant, and Chromium's own pipeline.
//
//   node bench/bench.mjs [--runs N] [--large]   (--large adds a 200 MP photo)

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serveStatic } from '../scripts/serve.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const baseRuns = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;

const large = process.argv.includes('--large');

const INPUTS = [
  { file: 'photo-12mp.jpg', label: '12 MP JPEG (4032x3024)', runs: baseRuns },
  { file: 'photo-12mp-p3.jpg', label: '12 MP JPEG with a Display P3 profile', runs: baseRuns },
  { file: 'photo-2mp.jpg', label: '2 MP JPEG (1632x1224)', runs: baseRuns + 4 },
  { file: 'screenshot-512.png', label: '512 px PNG (alpha)', runs: baseRuns + 6 },
  { file: 'screenshot-2880.png', label: '2880x1800 PNG screenshot', runs: baseRuns },
  ...(large ? [{ file: 'photo-200mp.jpg', label: '200 MP JPEG (16320x12240)', runs: Math.ceil(baseRuns / 3) }] : []),
];
// The release configuration plus the variants scripts/bench builds beside it, where present;
// each runs the app's own web/worker.js.
const VARIANTS = [
  { name: 'wasm', dir: 'build/wasm', label: 'app worker, release wasm' },
  { name: 'simd', dir: 'build/wasm-simd', label: 'app worker, -msimd128' },
].filter(({ dir }) => existsSync(path.join(root, dir, 'describe_generate.wasm')));

const site = path.join(root, 'build/bench/site');
const inputs = path.join(root, 'build/bench/inputs');
rmSync(site, { recursive: true, force: true });
mkdirSync(inputs, { recursive: true });
execFileSync(path.join(root, 'build/native/dg_bench'), ['generate', inputs, ...(large ? ['--large'] : [])]);
cpSync(inputs, path.join(site, 'inputs'), { recursive: true });
for (const file of ['page.html', 'page.js']) cpSync(path.join(root, 'bench', file), path.join(site, file));
for (const { name, dir } of VARIANTS) {
  cpSync(path.join(root, 'web/worker.js'), path.join(site, name, 'worker.js'));
  for (const file of ['describe_generate.js', 'describe_generate.wasm']) cpSync(path.join(root, dir, file), path.join(site, name, file));
}

const native = execFileSync(path.join(root, 'build/native/dg_bench'), [
  'time', String(baseRuns), ...INPUTS.map(({ file }) => path.join(inputs, file)),
]).toString().trim().split('\n').map((line) => JSON.parse(line));

const server = await serveStatic({ root: site });
// A fresh temporary profile each time: playwright's launch() creates and removes it.
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const openPage = async (context) => {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}page.html`);
  await page.waitForFunction(() => window.benchReady === true);
  return page;
};
let results;
const firstPhotos = [];  // per input: the release worker's first photo, warmed up and not
try {
  const page = await openPage(browser);
  results = await page.evaluate(
    (config) => window.runBench(config),
    { inputs: INPUTS.map(({ file, runs }) => ({ file, runs })), variants: VARIANTS.map(({ name }) => ({ name, url: `${name}/worker.js` })) },
  );
  for (const { file } of INPUTS) {
    const times = {};
    for (const warm of [true, false]) {
      const context = await browser.newContext();  // nothing compiled yet (see firstPhoto in page.js)
      times[warm ? 'warm' : 'cold'] = await (await openPage(context)).evaluate(
        (config) => window.firstPhoto(config), { file, url: 'wasm/worker.js', warm },
      ).catch(() => undefined);  // refused (over a limit): the runs above report why
      await context.close();
    }
    firstPhotos.push(times);
  }
} finally {
  await browser.close();
  await server.close();
}

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
console.log(`\nPreparing an upload (longest side 1024 px, JPEG quality 90); medians of ${baseRuns}+ runs after a warm-up.\n`);
let failed = false;
for (const [i, { inputBytes, paths }] of results.entries()) {
  const { label } = INPUTS[i];
  const chromiumMs = paths.chromium.medianMs;
  console.log(`${label}, ${kb(inputBytes)}`);
  const row = (name, ms, body, extra = '') =>
    console.log(`  ${name.padEnd(36)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / chromiumMs).toFixed(2).padStart(5)}x Chromium  body ${body}${extra}`);
  row('native core (same C++, -O3)', native[i].medianMs, kb(native[i].uploadBytes));
  const first = firstPhotos[i];
  if (first.warm !== undefined) {
    console.log(`  ${'app worker, its first photo'.padEnd(36)} ${first.warm.toFixed(1).padStart(7)} ms  ` +
                `(${first.cold.toFixed(1)} ms without the warm-up; a fresh page each)`);
  }
  for (const { name, label: variantLabel } of VARIANTS) {
    const p = paths[name];
    if (p.refused) {
      console.log(`  ${variantLabel.padEnd(36)} refused: ${p.refused}`);
      continue;
    }
    row(variantLabel, p.medianMs, `${kb(p.bodyBytes)} raw (${kb(Math.ceil(p.bodyBytes / 3) * 4)} as base64)`,
        `, ${p.width}x${p.height}, longest main-thread task ${p.longestTaskMs.toFixed(0)} ms`);
    if (p.longestTaskMs > 50) failed = true;
  }
  const c = paths.chromium;
  row('Chromium pipeline (main thread)', chromiumMs, `${kb(c.bodyBytes)} raw (${kb(c.base64Bytes)} as base64)`,
      `, ${c.width}x${c.height}, longest main-thread task ${c.longestTaskMs.toFixed(0)} ms`);
  console.log('');
}
if (failed) {
  console.error('a main-thread task over 50 ms happened during the app worker path');
  process.exitCode = 1;
}
