// End-to-end tests: the release build in dist/ driven in Debian's Chromium against the local
// HF-compatible server. Page and server listen on different ports, so every request really goes
// through CORS. Each test asserts what the person sees and what the server received.
//
//   ./scripts/build && node --test tests/e2e/

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { serveStatic } from '../../scripts/serve.mjs';
import { CAPTION, TEST_CARD, TEST_TOKEN, startHfServer } from '../server/hf-server.mjs';
import {
  ROTATED_CLOCKWISE_LAYOUT,
  STORED_LAYOUT,
  corruptBytes,
  decodeJpeg,
  quadrantJpeg,
  quadrantsOf,
  withExifOrientation,
} from './images.mjs';

// E2E_DIST points the tests at another build of the app (default: the release in dist/).
const DIST = process.env.E2E_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const TOKEN = TEST_TOKEN;
// The server keeps BLIP's trailing space; the person must see the caption trimmed.
const SERVER_CAPTION = CAPTION.trim();
const TEST_TIMEOUT_MS = 60_000;
// Generous: it bounds waits for the page, never a performance expectation.
const WAIT_MS = 20_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let site;
let hf;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'index.html')), `${DIST} has no build: run ./scripts/build first`);
  site = await serveStatic({ root: DIST });
  hf = await startHfServer({ delayScale: 0 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await hf?.close();
  await site?.close();
});

beforeEach(() => hf.reset());

/* --- helpers ------------------------------------------------------------------------------- */

function endpoint(scenario) {
  return new URL(`/${scenario}/models/test-model`, hf.url).href;
}

function postsReceived() {
  return hf.requests.filter((request) => request.method === 'POST');
}

/**
 * Opens the app in a fresh browser profile and fills the settings. The test fails at the end if
 * the page threw anything uncaught or ever wrote the token to the console.
 */
async function openApp(t, { style = 'hf-inference', caption = 'caption-array', generation = 'gen-jpeg', token = TOKEN } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  const consoleLines = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => consoleLines.push(message.text()));
  t.after(async () => {
    await context.close();
    assert.deepEqual(pageErrors, [], 'the page threw uncaught errors');
    assert.deepEqual(consoleLines.filter((line) => line.includes(token)), [], 'the token reached the console');
  });

  await page.goto(site.url);
  assert.deepEqual(await waitForOutcome(page, 'Ready. Choose a photo to begin.'), {
    status: 'Ready. Choose a photo to begin.',
  });
  await showSettings(page);
  await page.getByLabel('Hugging Face token', { exact: true }).fill(token);
  await page.getByLabel('Endpoint style', { exact: true }).selectOption(style);
  await page.getByLabel('Captioning endpoint', { exact: true }).fill(endpoint(caption));
  await page.getByLabel('Generation endpoint', { exact: true }).fill(endpoint(generation));
  return page;
}

async function showSettings(page) {
  const tokenField = page.getByLabel('Hugging Face token', { exact: true });
  if (!(await tokenField.isVisible())) await page.locator('summary', { hasText: 'Settings' }).click();
}

/**
 * Waits until the status line says `expectedStatus` or an error appears, and returns whichever
 * happened, so that an unexpected error fails with its own text rather than a timeout.
 */
async function waitForOutcome(page, expectedStatus) {
  const outcome = await page.waitForFunction(
    (expected) => {
      const alert = document.querySelector('[role="alert"]')?.textContent.trim();
      if (alert) return { alert };
      const status = document.querySelector('[role="status"]')?.textContent.trim();
      return status === expected ? { status } : null;
    },
    expectedStatus,
    { timeout: WAIT_MS },
  );
  return outcome.jsonValue();
}

async function chooseImage(page, { name = 'photo.jpg', mimeType = 'image/jpeg', buffer }) {
  await page.getByLabel('Image', { exact: true }).setInputFiles({ name, mimeType, buffer });
}

async function chooseGoodImage(page, buffer) {
  await chooseImage(page, { buffer });
  assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });
}

async function click(page, buttonName, expectedStatus) {
  await page.getByRole('button', { name: buttonName, exact: true }).click();
  return waitForOutcome(page, expectedStatus);
}

function captionBox(page) {
  return page.getByLabel('Caption', { exact: true });
}

function generatedImage(page) {
  return page.getByRole('region', { name: 'Generated image' }).getByRole('img');
}

/** Natural size and the colours in the middle of the left and right halves, as displayed. */
async function inspectDisplayedImage(image) {
  return image.evaluate((img) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const rgbAt = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data.subarray(0, 3));
    const middle = Math.floor(img.naturalHeight / 2);
    return {
      width: img.naturalWidth,
      height: img.naturalHeight,
      left: rgbAt(Math.floor(img.naturalWidth / 4), middle),
      right: rgbAt(Math.floor((img.naturalWidth * 3) / 4), middle),
    };
  });
}

function assertCloseColour(actual, expected, where) {
  const close = actual.every((channel, i) => Math.abs(channel - expected[i]) <= 40);
  assert.ok(close, `${where}: expected about rgb(${expected}), saw rgb(${actual})`);
}

function assertAuthorized(request) {
  assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!request.path.includes(TOKEN), 'the token must never appear in a URL');
}

function mediaType(request) {
  return (request.headers['content-type'] ?? '').split(';')[0].trim();
}

/** The photo a captioning request carried, for either endpoint style. */
function uploadedPhoto(request, style) {
  if (style === 'hf-inference') {
    assert.equal(mediaType(request), 'image/jpeg');
    return decodeJpeg(request.body);
  }
  assert.equal(mediaType(request), 'application/json');
  const { inputs } = JSON.parse(request.body.toString('utf8'));
  assert.equal(typeof inputs, 'string', 'a custom JSON caption request carries {"inputs": "<base64>"}');
  return decodeJpeg(Buffer.from(inputs, 'base64'));
}

function promptOf(request) {
  assert.equal(mediaType(request), 'application/json');
  return JSON.parse(request.body.toString('utf8')).inputs;
}

const OUTPUT_FORMATS = {
  jpeg: { fileName: 'describe-and-generate.jpg', magic: [0xff, 0xd8, 0xff] },
  png: { fileName: 'describe-and-generate.png', magic: [0x89, 0x50, 0x4e] },
};

/** The server's test card is on screen with the prompt as alt text, and offered for download. */
async function assertGeneratedImageShown(page, { alt, format }) {
  const image = generatedImage(page);
  assert.equal(await image.getAttribute('alt'), alt);
  const shown = await inspectDisplayedImage(image);
  assert.deepEqual({ width: shown.width, height: shown.height }, { width: TEST_CARD.width, height: TEST_CARD.height });
  assertCloseColour(shown.left, TEST_CARD.left, 'left half');
  assertCloseColour(shown.right, TEST_CARD.right, 'right half');

  const download = page.getByRole('link', { name: 'Download image', exact: true });
  assert.equal(await download.getAttribute('download'), OUTPUT_FORMATS[format].fileName);
  // The link must hand over the picture itself, not just point somewhere.
  const downloadedMagic = await download.evaluate(async (link) => {
    const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    return Array.from(bytes.subarray(0, 3));
  });
  assert.deepEqual(downloadedMagic, OUTPUT_FORMATS[format].magic);
}

/* --- the three flows in both endpoint styles ----------------------------------------------- */

// hf-inference answers JPEG bytes; the lesson's JSON endpoints answer a base64 PNG string.
const STYLES = [
  { style: 'hf-inference', caption: 'caption-array', generation: 'gen-jpeg', format: 'jpeg' },
  { style: 'custom-json', caption: 'custom-caption', generation: 'custom-generate', format: 'png' },
];

for (const { style, caption, generation, format } of STYLES) {
  describe(`${style} endpoints`, { timeout: TEST_TIMEOUT_MS }, () => {
    test('"Generate caption" sends the downscaled photo and shows the caption', async (t) => {
      const page = await openApp(t, { style, caption, generation });
      await chooseGoodImage(page, quadrantJpeg(1600, 1200));

      assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });

      assert.equal(await captionBox(page).inputValue(), SERVER_CAPTION);
      const posts = postsReceived();
      assert.equal(posts.length, 1);
      assert.equal(posts[0].scenario, caption);
      assertAuthorized(posts[0]);
      const photo = uploadedPhoto(posts[0], style);
      assert.deepEqual({ width: photo.width, height: photo.height }, { width: 1024, height: 768 });
      assert.deepEqual(quadrantsOf(photo), STORED_LAYOUT);
    });

    test('a photo tagged with EXIF orientation 6 reaches the server upright', async (t) => {
      const page = await openApp(t, { style, caption, generation });
      await chooseGoodImage(page, withExifOrientation(quadrantJpeg(1600, 1200), 6));

      assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });

      const photo = uploadedPhoto(postsReceived()[0], style);
      assert.deepEqual({ width: photo.width, height: photo.height }, { width: 768, height: 1024 });
      assert.deepEqual(quadrantsOf(photo), ROTATED_CLOCKWISE_LAYOUT);
    });

    test('"Generate image" paints the caption as edited, not as generated', async (t) => {
      const page = await openApp(t, { style, caption, generation });
      await chooseGoodImage(page, quadrantJpeg(640, 480));
      assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
      const edited = 'a watercolour lighthouse at dusk';
      await captionBox(page).fill(edited);

      assert.deepEqual(await click(page, 'Generate image', 'Picture ready.'), { status: 'Picture ready.' });

      const posts = postsReceived();
      assert.equal(posts.length, 2);
      assert.equal(posts[1].scenario, generation);
      assertAuthorized(posts[1]);
      assert.equal(promptOf(posts[1]), edited);
      await assertGeneratedImageShown(page, { alt: edited, format });
    });

    test('"Caption and generate" captions the photo, then paints that caption', async (t) => {
      const page = await openApp(t, { style, caption, generation });
      await chooseGoodImage(page, quadrantJpeg(1600, 1200));

      const outcome = await click(page, 'Caption and generate', 'Caption and picture ready.');
      assert.deepEqual(outcome, { status: 'Caption and picture ready.' });

      const posts = postsReceived();
      assert.deepEqual(posts.map((request) => request.scenario), [caption, generation]);
      posts.forEach(assertAuthorized);
      const photo = uploadedPhoto(posts[0], style);
      assert.deepEqual({ width: photo.width, height: photo.height }, { width: 1024, height: 768 });
      assert.equal(promptOf(posts[1]), SERVER_CAPTION);
      assert.equal(await captionBox(page).inputValue(), SERVER_CAPTION);
      await assertGeneratedImageShown(page, { alt: SERVER_CAPTION, format });
    });
  });
}

/* --- failures ------------------------------------------------------------------------------ */

describe('failures', { timeout: TEST_TIMEOUT_MS }, () => {
  test('a wrong token shows the server\'s 401 reason, and the right one then works', async (t) => {
    const wrongToken = 'hf_wrong_token';
    const page = await openApp(t, { caption: 'auth', generation: 'auth', token: wrongToken });
    await chooseGoodImage(page, quadrantJpeg(800, 600));

    const { alert } = await click(page, 'Generate caption', 'Caption ready.');

    assert.match(alert, /Invalid credentials in Authorization header/);
    assert.match(alert, /401/);
    assert.ok(!alert.includes(wrongToken), 'the token must never appear in an error');
    assert.equal(postsReceived()[0].headers.authorization, `Bearer ${wrongToken}`);
    assert.equal(await captionBox(page).inputValue(), '');

    await page.getByLabel('Hugging Face token', { exact: true }).fill(TOKEN);
    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    assert.equal(await captionBox(page).inputValue(), SERVER_CAPTION);
    assert.equal(await page.getByRole('alert').textContent(), '');
  });

  test('a corrupt upload shows a clear error and loses nothing', async (t) => {
    const page = await openApp(t);
    await chooseGoodImage(page, quadrantJpeg(1600, 1200));
    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    const preview = page.getByRole('img', { name: 'Preview of the chosen image' });
    const previewBefore = await preview.getAttribute('src');

    await chooseImage(page, { name: 'photo.jpg', buffer: corruptBytes(4096) });
    const { alert } = await waitForOutcome(page, 'Image ready.');

    assert.match(alert, /image|format|decode/i);
    assert.equal(postsReceived().length, 1, 'a file that cannot be prepared is never sent');
    assert.ok(await preview.isVisible());
    assert.equal(await preview.getAttribute('src'), previewBefore);
    assert.equal(await captionBox(page).inputValue(), SERVER_CAPTION);

    // The previous photo is still the one that gets described...
    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    const resent = uploadedPhoto(postsReceived()[1], 'hf-inference');
    assert.deepEqual({ width: resent.width, height: resent.height }, { width: 1024, height: 768 });

    // ...and a good photo chosen afterwards replaces it.
    await chooseGoodImage(page, quadrantJpeg(640, 480, ROTATED_CLOCKWISE_LAYOUT));
    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    const replaced = uploadedPhoto(postsReceived()[2], 'hf-inference');
    assert.deepEqual({ width: replaced.width, height: replaced.height }, { width: 640, height: 480 });
    assert.deepEqual(quadrantsOf(replaced), ROTATED_CLOCKWISE_LAYOUT);
  });

  test('"Generate image" with an empty caption says what is missing and sends nothing', async (t) => {
    const page = await openApp(t);

    const { alert } = await click(page, 'Generate image', 'Picture ready.');

    assert.match(alert, /caption/i);
    assert.equal(postsReceived().length, 0);
    assert.ok(await page.getByRole('button', { name: 'Generate image', exact: true }).isEnabled());
  });

  test('a failed generation keeps the caption and the previous picture', async (t) => {
    const page = await openApp(t);
    await captionBox(page).fill('a quiet harbour');
    assert.deepEqual(await click(page, 'Generate image', 'Picture ready.'), { status: 'Picture ready.' });
    const pictureBefore = await generatedImage(page).getAttribute('src');

    await page.getByLabel('Generation endpoint', { exact: true }).fill(endpoint('unauthorized'));
    await captionBox(page).fill('a stormy harbour');
    const { alert } = await click(page, 'Generate image', 'Picture ready.');

    assert.match(alert, /Invalid credentials in Authorization header/);
    assert.equal(await captionBox(page).inputValue(), 'a stormy harbour');
    assert.equal(await generatedImage(page).getAttribute('src'), pictureBefore);
    assert.equal(await generatedImage(page).getAttribute('alt'), 'a quiet harbour');
    assert.ok(await page.getByRole('button', { name: 'Caption and generate', exact: true }).isEnabled());
  });
});

/* --- ways to give a photo, and ways to host the app ----------------------------------------- */

describe('input and hosting', { timeout: TEST_TIMEOUT_MS }, () => {
  /** Hands a file to the page the way a drop or a paste does: through a DataTransfer. */
  async function dispatchWithFile(page, { eventType, selector, file }) {
    await page.evaluate(
      ({ eventType, selector, name, bytes }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
        const target = document.querySelector(selector);
        const init = { bubbles: true, cancelable: true };
        const event = eventType === 'paste'
          ? new ClipboardEvent('paste', { ...init, clipboardData: transfer })
          : new DragEvent(eventType, { ...init, dataTransfer: transfer });
        target.dispatchEvent(event);
      },
      { eventType, selector, name: file.name, bytes: Array.from(file.buffer) },
    );
  }

  async function captionedPhotoSize(page) {
    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    const photo = uploadedPhoto(postsReceived().at(-1), 'hf-inference');
    return { width: photo.width, height: photo.height };
  }

  test('a photo can be dropped on the drop zone or pasted anywhere in the app', async (t) => {
    const page = await openApp(t);
    const dropZone = '#app .dg-dropzone';

    await dispatchWithFile(page, { eventType: 'drop', selector: dropZone, file: { name: 'dropped.jpg', buffer: quadrantJpeg(320, 240) } });
    assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });
    assert.deepEqual(await captionedPhotoSize(page), { width: 320, height: 240 });

    await page.getByRole('heading', { name: 'Result' }).click();
    await dispatchWithFile(page, { eventType: 'paste', selector: '#app [role="status"]', file: { name: 'image.jpg', buffer: quadrantJpeg(200, 300) } });
    assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });
    assert.deepEqual(await captionedPhotoSize(page), { width: 200, height: 300 });
  });

  test('the build works when hosted under a sub-path', async (t) => {
    const parent = await serveStatic({ root: path.dirname(path.resolve(DIST)) });
    t.after(() => parent.close());
    const context = await browser.newContext();
    t.after(() => context.close());
    const page = await context.newPage();

    await page.goto(new URL(`${path.basename(path.resolve(DIST))}/`, parent.url).href);

    assert.deepEqual(await waitForOutcome(page, 'Ready. Choose a photo to begin.'), {
      status: 'Ready. Choose a photo to begin.',
    });
  });

  test('two apps mounted on one page keep their own fields, and destroy() removes one', async (t) => {
    const page = await openApp(t);
    await page.evaluate(async () => {
      const { mountApp } = await import('./main.js');
      const second = document.createElement('div');
      second.id = 'second';
      document.body.append(second);
      window.secondApp = mountApp(second);
    });
    const captions = page.getByLabel('Caption', { exact: true });
    assert.equal(await captions.count(), 2);

    await captions.nth(0).fill('first caption');
    await captions.nth(1).fill('second caption');
    assert.equal(await page.locator('#app').getByLabel('Caption', { exact: true }).inputValue(), 'first caption');
    assert.equal(await page.locator('#second').getByLabel('Caption', { exact: true }).inputValue(), 'second caption');

    await page.evaluate(() => window.secondApp.destroy());
    assert.equal(await captions.count(), 1);
    assert.equal(await page.locator('#second').innerHTML(), '');
  });
});

/* --- cancelling --------------------------------------------------------------------------- */

describe('cancelling', { timeout: TEST_TIMEOUT_MS }, () => {
  let slowServer;
  // Its 'slow' scenario answers only after minutes, so only a real cancel can end the request.
  before(async () => {
    slowServer = await startHfServer({ delayScale: 60 });
  });
  after(() => slowServer?.close());

  test('"Cancel" aborts a running request and leaves the page as it was', async (t) => {
    const page = await openApp(t);
    await captionBox(page).fill('a lighthouse');
    await page.getByLabel('Generation endpoint', { exact: true }).fill(new URL('/slow/models/test-model', slowServer.url).href);

    await page.getByRole('button', { name: 'Generate image', exact: true }).click();
    await slowServer.waitForRequest((request) => request.method === 'POST', WAIT_MS);
    assert.ok(await page.getByRole('button', { name: 'Generate image', exact: true }).isDisabled());
    const outcome = await click(page, 'Cancel', 'Cancelled.');

    assert.deepEqual(outcome, { status: 'Cancelled.' });
    const aborted = await slowServer.waitForRequest((request) => request.method === 'POST' && request.closedEarly, WAIT_MS);
    assert.equal(aborted.scenario, 'slow');
    assert.equal(await captionBox(page).inputValue(), 'a lighthouse');
    assert.ok(await page.getByRole('button', { name: 'Generate image', exact: true }).isEnabled());
    assert.ok(!(await page.getByRole('button', { name: 'Cancel', exact: true }).isVisible()));
  });
});

/* --- settings ------------------------------------------------------------------------------ */

describe('settings', { timeout: TEST_TIMEOUT_MS }, () => {
  async function storedValues(page) {
    return page.evaluate(() => Object.values(localStorage).join('\n'));
  }

  test('the token is stored only while "Remember on this device" is ticked', async (t) => {
    const page = await openApp(t);
    const remember = page.getByLabel('Remember on this device', { exact: true });
    assert.ok(!(await storedValues(page)).includes(TOKEN));

    await remember.check();
    assert.ok((await storedValues(page)).includes(TOKEN));
    await page.reload();
    await showSettings(page);
    assert.equal(await page.getByLabel('Hugging Face token', { exact: true }).inputValue(), TOKEN);
    assert.ok(await remember.isChecked());

    await remember.uncheck();
    assert.ok(!(await storedValues(page)).includes(TOKEN));
    await page.reload();
    await showSettings(page);
    assert.equal(await page.getByLabel('Hugging Face token', { exact: true }).inputValue(), '');
  });

  test('endpoints and style are remembered across visits', async (t) => {
    const page = await openApp(t, { style: 'custom-json', caption: 'custom-caption', generation: 'custom-generate' });

    await page.reload();
    await showSettings(page);

    assert.equal(await page.getByLabel('Endpoint style', { exact: true }).inputValue(), 'custom-json');
    assert.equal(await page.getByLabel('Captioning endpoint', { exact: true }).inputValue(), endpoint('custom-caption'));
    assert.equal(await page.getByLabel('Generation endpoint', { exact: true }).inputValue(), endpoint('custom-generate'));
    assert.equal(await page.getByLabel('Hugging Face token', { exact: true }).inputValue(), '');
  });
});
