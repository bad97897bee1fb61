// What the app's browser tests share: the release build served on one port, the HF-compatible
// test server on another (so every request really goes through CORS), one Chromium for the whole
// test file, and helpers that drive the app the way a person does and read what they would see.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach } from 'node:test';

import { chromium } from 'playwright-core';

import { serveStatic } from '../../scripts/serve.mjs';
import { LANGUAGES, STRINGS } from '../../web/strings.js';
import { CAPTION, TEST_CARD, TEST_TOKEN, startHfServer } from '../server/hf-server.mjs';
import { decodeJpeg } from './images.mjs';

// E2E_DIST points the tests at another build of the app (default: the release in dist/).
export const DIST = process.env.E2E_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
export const TEST_TIMEOUT_MS = 60_000;
// Generous: it bounds waits for the page, never a performance expectation.
export const WAIT_MS = 20_000;
export const TOKEN = TEST_TOKEN;
// The server keeps BLIP's trailing space; the person must see the caption trimmed.
export const SERVER_CAPTION = CAPTION.trim();
// Shrinks the app's waits before a retry a hundredfold, so no test sleeps for real minutes.
export const FAST_RETRIES = '?retryDelayScale=0.01';
// What the interface says, per language, from the app's own table: a test that finds its labels
// there fails when a translation is missing. Helpers take `ui` and default to English.
export { LANGUAGES };
export const UI = STRINGS;
const EN = STRINGS.en;

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

/**
 * Starts the servers and the browser for the calling test file and resets the HF server's
 * records before each test. `hfDelayScale` scales the server's own delays (the `slow` scenario);
 * `chromiumArgs` are added to the browser's command line.
 */
export function useHarness({ hfDelayScale = 0, chromiumArgs = [] } = {}) {
  const harness = new Harness();
  before(() => harness.start({ hfDelayScale, chromiumArgs }));
  after(() => harness.stop());
  beforeEach(() => harness.hf.reset());
  return harness;
}

class Harness {
  site;
  hf;
  browser;

  async start({ hfDelayScale, chromiumArgs }) {
    assert.ok(existsSync(path.join(DIST, 'index.html')), `${DIST} has no build: run ./scripts/build first`);
    this.site = await serveStatic({ root: DIST });
    this.hf = await startHfServer({ delayScale: hfDelayScale });
    this.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...chromiumArgs] });
  }

  async stop() {
    await this.browser?.close();
    await this.hf?.close();
    await this.site?.close();
  }

  /** The address of a scenario on an HF server, in the route shape the endpoint kind uses. */
  endpoint(scenario, route = '/models/test-model', server = this.hf) {
    return new URL(`/${scenario}${route}`, server.url).href;
  }

  postsReceived() {
    return this.hf.requests.filter((request) => request.method === 'POST');
  }

  /**
   * Opens the app in a fresh browser profile and fills the settings: `caption` and `generation`
   * are scenario names or full URLs, `settings` maps more field labels to values (see
   * fillFields). `language` is the browser's preferred language (its locale), and the labels of
   * `settings` are in that language. The test fails at the end if the page threw anything
   * uncaught or ever wrote the token to the console.
   */
  async openApp(t, {
    query = '',
    style = 'hf-inference',
    caption = 'caption-array',
    generation = 'gen-jpeg',
    token = TOKEN,
    settings = {},
    language = 'en',
    contextOptions = {},
  } = {}) {
    const ui = UI[language];
    const { page } = await openContext(t, this.browser, {
      secret: token,
      contextOptions: { locale: language, ...contextOptions },
    });

    await page.goto(new URL(query, this.site.url).href);
    assert.deepEqual(await waitForOutcome(page, ui.ready), { status: ui.ready });
    await recordStatusHistory(page);
    const asUrl = (target) => (/^https?:/.test(target) ? target : this.endpoint(target));
    await fillFields(page, {
      [ui.token]: token,
      [ui.endpointStyle]: style,
      [ui.captionUrl]: asUrl(caption),
      [ui.generationUrl]: asUrl(generation),
      ...settings,
    }, ui);
    return page;
  }
}

/* --- reading the page ------------------------------------------------------------------------ */

// The app the page mounts; the page around it may show notices of its own.
const APP = '#app';

/**
 * Waits until the app's status line says `expectedStatus` or an error appears, and returns
 * whichever happened, so that an unexpected error fails with its own text rather than a timeout.
 * `element` picks the index-th <describe-generate> of the page instead of the page's own app.
 */
export async function waitForOutcome(page, expectedStatus, { element } = {}) {
  const outcome = await page.waitForFunction(
    ({ expected, element }) => {
      const root = element === undefined
        ? document.querySelector('#app')
        : document.querySelectorAll('describe-generate')[element]?.shadowRoot;
      const alert = root?.querySelector('[role="alert"]')?.textContent.trim();
      if (alert) return { alert };
      const status = root?.querySelector('[role="status"]')?.textContent.trim();
      return status === expected ? { status } : null;
    },
    { expected: expectedStatus, element },
    { timeout: WAIT_MS },
  );
  return outcome.jsonValue();
}

// Retry waits may pass in a few milliseconds; recording every change of the status line (and
// the "Model loading" bar's span when it was up at that moment) lets a test assert what was
// shown without racing it.
async function recordStatusHistory(page) {
  await page.evaluate(() => {
    const status = document.querySelector('#app [role="status"]');
    const bar = document.querySelector('#app progress');
    window.statusHistory = [];
    const record = () => window.statusHistory.push({ status: status.textContent, loadingBar: bar.hidden ? null : bar.max });
    new MutationObserver(record).observe(status, { childList: true, characterData: true, subtree: true });
    new MutationObserver(record).observe(bar, { attributes: true, attributeFilter: ['hidden'] });
  });
}

/** Every status line shown since the app was opened, each with the progress bar's max if it was up. */
export function statusHistory(page) {
  return page.evaluate(() => window.statusHistory);
}

export function statusLine(page) {
  return page.locator(APP).getByRole('status');
}

export function alertBox(page) {
  return page.locator(APP).getByRole('alert');
}

export function captionBox(page, ui = EN) {
  return page.getByLabel(ui.caption, { exact: true });
}

export function generatedImage(page, ui = EN) {
  return page.getByRole('region', { name: ui.generatedImage }).getByRole('img');
}

export function previewImage(page, ui = EN) {
  return page.getByRole('img', { name: ui.preview });
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

const OUTPUT_FORMATS = {
  jpeg: { fileName: 'describe-and-generate.jpg', magic: [0xff, 0xd8, 0xff] },
  png: { fileName: 'describe-and-generate.png', magic: [0x89, 0x50, 0x4e] },
  webp: { fileName: 'describe-and-generate.webp', magic: [0x52, 0x49, 0x46] }, // "RIFF"
};

/**
 * The server's test card is on screen at the expected natural size with the prompt as alt text,
 * and the download link hands over the picture itself, in the expected format.
 */
export async function assertGeneratedImageShown(page, { alt, format, size = TEST_CARD, ui = EN }) {
  const image = generatedImage(page, ui);
  assert.equal(await image.getAttribute('alt'), alt);
  const shown = await inspectDisplayedImage(image);
  assert.deepEqual({ width: shown.width, height: shown.height }, { width: size.width, height: size.height });
  assertCloseColour(shown.left, TEST_CARD.left, 'left half');
  assertCloseColour(shown.right, TEST_CARD.right, 'right half');

  const download = page.getByRole('link', { name: ui.downloadImage, exact: true });
  assert.equal(await download.getAttribute('download'), OUTPUT_FORMATS[format].fileName);
  const downloadedMagic = await download.evaluate(async (link) => {
    const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    return Array.from(bytes.subarray(0, 3));
  });
  assert.deepEqual(downloadedMagic, OUTPUT_FORMATS[format].magic);
}

/** Every setting and generation option, by label: to check that a failure changed none. */
export function fieldValues(page) {
  return page.evaluate(() => {
    const fields = document.querySelectorAll('.dg-panel input, .dg-panel select');
    return Object.fromEntries(Array.from(fields, (field) => [
      field.labels?.[0]?.textContent.trim() ?? field.id,
      field.type === 'checkbox' ? field.checked : field.value,
    ]));
  });
}

/* --- acting on the page ---------------------------------------------------------------------- */

/** Opens the settings panel (and, in compact mode, the options) unless it is already shown. */
export async function showSettings(page, ui = EN) {
  await openPanel(page, ui.settings, ui.token, ui);
}

export async function showGenerationOptions(page, ui = EN) {
  await openPanel(page, ui.generationOptions, ui.negativePrompt, ui);
}

async function openPanel(page, summary, someFieldLabel, ui) {
  const field = page.getByLabel(someFieldLabel, { exact: true });
  if (await field.isVisible()) return;
  const toggle = page.getByRole('button', { name: ui.options, exact: true });
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  if (!(await field.isVisible())) await page.locator('summary', { hasText: summary }).click();
}

const OPTION_KEYS = ['negativePrompt', 'steps', 'guidanceScale', 'width', 'height', 'seed', 'randomSeed'];
const SELECT_KEYS = ['endpointStyle', 'language'];

/**
 * Sets fields by their visible label in `ui`'s language, opening the panel that holds them
 * first: text for inputs, an option value for selects, true or false for checkboxes.
 */
export async function fillFields(page, values, ui = EN) {
  const optionLabels = new Set(OPTION_KEYS.map((key) => ui[key]));
  const selectLabels = new Set(SELECT_KEYS.map((key) => ui[key]));
  for (const [label, value] of Object.entries(values)) {
    if (optionLabels.has(label)) await showGenerationOptions(page, ui);
    else await showSettings(page, ui);
    const field = page.getByLabel(label, { exact: true });
    if (typeof value === 'boolean') await field.setChecked(value);
    else if (selectLabels.has(label)) await field.selectOption(value);
    else await field.fill(String(value));
  }
}

export async function chooseImage(page, { name = 'photo.jpg', mimeType = 'image/jpeg', buffer }, ui = EN) {
  await page.getByLabel(ui.image, { exact: true }).setInputFiles({ name, mimeType, buffer });
}

export async function chooseGoodImage(page, buffer, ui = EN) {
  await chooseImage(page, { buffer }, ui);
  assert.deepEqual(await waitForOutcome(page, ui.imageReady), { status: ui.imageReady });
}

/** Clicks a button and waits for `expectedStatus` or an alert; returns which one came. */
export async function click(page, buttonName, expectedStatus) {
  await page.getByRole('button', { name: buttonName, exact: true }).click();
  return waitForOutcome(page, expectedStatus);
}

/* --- reading what the server received -------------------------------------------------------- */

export function assertAuthorized(request) {
  assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!request.path.includes(TOKEN), 'the token must never appear in a URL');
}

export function mediaType(request) {
  return (request.headers['content-type'] ?? '').split(';')[0].trim();
}

export function jsonBody(request) {
  assert.equal(mediaType(request), 'application/json');
  return JSON.parse(request.body.toString('utf8'));
}

/** The photo a captioning request carried, for any endpoint style that sends one. */
export function uploadedPhoto(request, style) {
  if (style === 'custom-json') {
    const { inputs } = jsonBody(request);
    assert.equal(typeof inputs, 'string', 'a custom JSON caption request carries {"inputs": "<base64>"}');
    return decodeJpeg(Buffer.from(inputs, 'base64'));
  }
  assert.equal(mediaType(request), 'image/jpeg');
  return decodeJpeg(request.body);
}

export function promptOf(request) {
  return jsonBody(request).inputs;
}

/**
 * A fresh browser context (with Playwright's `contextOptions`: locale, colour scheme, viewport…)
 * and page that fail the test at the end if the page threw anything uncaught or wrote `secret`
 * to the console.
 */
export async function openContext(t, browser, { secret, contextOptions = {} } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const pageErrors = [];
  const consoleLines = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => consoleLines.push(message.text()));
  t.after(async () => {
    await context.close();
    assert.deepEqual(pageErrors, [], 'the page threw uncaught errors');
    if (secret) assert.deepEqual(consoleLines.filter((line) => line.includes(secret)), [], 'the token reached the console');
  });
  return { context, page };
}
