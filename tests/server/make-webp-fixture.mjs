#!/usr/bin/env node
// Regenerates tests/fixtures/generated.webp, the WebP picture the `gen-webp` scenario answers.
// Node has no WebP encoder and the project adds no native modules, so a headless Chromium paints
// the same test card the server draws for JPEG/PNG (64x48, left half red, right half blue) and
// encodes it with canvas.toBlob('image/webp', 1), which Chromium writes as lossless WebP (VP8L).
//
//   node tests/server/make-webp-fixture.mjs [path-to-chromium=/usr/bin/chromium]

import { writeFile } from 'node:fs/promises';
import process from 'node:process';
import { chromium } from 'playwright-core';

const executablePath = process.argv[2] ?? '/usr/bin/chromium';
const output = new URL('../fixtures/generated.webp', import.meta.url);

const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const page = await browser.newPage();
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    context.fillStyle = 'rgb(220, 30, 30)';
    context.fillRect(0, 0, 32, 48);
    context.fillStyle = 'rgb(30, 60, 220)';
    context.fillRect(32, 0, 32, 48);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/webp', 1));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') {
    throw new Error('Chromium did not produce WebP (canvas.toBlob fell back to another format)');
  }
  await writeFile(output, bytes);
  console.log(`wrote ${bytes.length} bytes (${bytes.toString('latin1', 12, 16)}) to ${output.pathname}`);
} finally {
  await browser.close();
}
