// What the reduced hand-over of browser-decoded pictures saves: prepares a large picture that only
// the browser decodes (an 8000x6000 one-frame animated WebP by default) in the built app, once
// with web/worker.js as shipped and once with its hand-over forced to full size, alternating, each
// run in a fresh headless Chromium. Prints the median time to "Image ready." and the median growth
// of Chromium's resident memory (all its processes, sampled every 20 ms): at its peak and after.
//
//   ./scripts/build && node bench/handover.mjs [--runs N] [--size WxH]

import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serveStatic } from '../scripts/serve.mjs';
import { animatedWebp, encodeInBrowser } from '../tests/e2e/images.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', 3));
const [width, height] = option('--size', '8000x6000').split('x').map(Number);

// The full-size variant: the shipped dist/ with a worker whose handoverSize returns the picture's size.
const fullSite = path.join(root, 'build/bench/handover-full');
rmSync(fullSite, { recursive: true, force: true });
cpSync(path.join(root, 'dist'), fullSite, { recursive: true });
const worker = readFileSync(path.join(root, 'web/worker.js'), 'utf8');
const fullWorker = worker.replace(/function handoverSize\(\{ width, height \}, maxSide\) \{/, '$& return { width, height };');
if (fullWorker === worker) throw new Error('web/worker.js has no handoverSize({ width, height }, maxSide) to disable');
writeFileSync(path.join(fullSite, 'worker.js'), fullWorker);

const megabytes = () =>
  execFileSync('ps', ['-C', 'chromium', '-o', 'rss=']).toString().trim().split('\n').reduce((sum, kb) => sum + Number(kb), 0) / 1024;

async function prepareOnce(siteRoot) {
  const site = await serveStatic({ root: siteRoot });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => document.querySelector('#app [role=status]')?.textContent.trim() === 'Ready. Choose a photo to begin.');
    // A lossless still wrapped as a one-frame animation: the core leaves animated WebP to the browser.
    const file = animatedWebp(await encodeInBrowser(page, { width, height, type: 'image/webp', quality: 1 }), width, height);
    await page.evaluate((base64) => {
      window.benchFile = new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'large.webp', { type: 'image/webp' });
    }, file.toString('base64'));
    await new Promise((resolve) => setTimeout(resolve, 1000));  // let the encoder's memory settle
    const before = megabytes();
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, megabytes()); }, 20);
    const outcome = await page.evaluate(chooseAndWait);
    await new Promise((resolve) => setTimeout(resolve, 300));
    clearInterval(sampler);
    if (outcome.alert) throw new Error(`the app refused the picture: ${outcome.alert}`);
    return { ms: outcome.ms, info: outcome.info, peakMb: peak - before, afterMb: megabytes() - before };
  } finally {
    await browser.close();
    await site.close();
  }
}

// In the page: chooses window.benchFile and waits for the app to finish preparing it.
async function chooseAndWait() {
  const input = document.querySelector('#app input[type=file]');
  const files = new DataTransfer();
  files.items.add(window.benchFile);
  input.files = files.files;
  const status = document.querySelector('#app [role=status]'), alert = document.querySelector('#app [role=alert]');
  const start = performance.now();
  input.dispatchEvent(new Event('change', { bubbles: true }));
  while (status.textContent.trim() !== 'Image ready.' && !alert.textContent) await new Promise((resolve) => setTimeout(resolve, 5));
  return { ms: performance.now() - start, info: document.querySelector('#app .dg-image-info').textContent, alert: alert.textContent };
}

const VARIANTS = [['reduced hand-over (shipped)', path.join(root, 'dist')], ['full-size hand-over', fullSite]];
const results = new Map(VARIANTS.map(([label]) => [label, []]));
for (let run = 0; run < runs; run += 1) {
  for (const [label, siteRoot] of VARIANTS) results.get(label).push(await prepareOnce(siteRoot));
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`\n${width}x${height} animated WebP (decoded by the browser), medians of ${runs} runs, each in a fresh Chromium:`);
for (const [label, samples] of results) {
  console.log(`  ${label.padEnd(28)} ${median(samples.map((s) => s.ms)).toFixed(0).padStart(6)} ms  ` +
              `memory peak +${median(samples.map((s) => s.peakMb)).toFixed(0)} MB, after +${median(samples.map((s) => s.afterMb)).toFixed(0)} MB  (${samples[0].info})`);
}
