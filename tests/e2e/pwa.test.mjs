// The installable, offline app: the service worker keeps one complete build, the app opens from
// it with no network at all, a new deploy replaces it as a whole, and requests to inference
// endpoints (or carrying a token) never go near it. Each test serves its own copy of the build,
// because service worker registrations and caches belong to an origin, and some tests stop the
// server or deploy a new build into that copy.
//
//   ./scripts/build && node --test tests/e2e/pwa.test.mjs

import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { serveStatic } from '../../scripts/serve.mjs';
import {
  TEST_TIMEOUT_MS,
  TOKEN,
  WAIT_MS,
  assertAuthorized,
  chooseGoodImage,
  click,
  fillFields,
  previewImage,
  useHarness,
  waitForOutcome,
  openContext,
} from './harness.mjs';
import { copyOfDist, restampServiceWorker, shellFiles } from './hosting-support.mjs';
import { quadrantJpeg } from './images.mjs';

const harness = useHarness();
const READY = 'Ready. Choose a photo to begin.';
const OFFLINE_NOTICE = 'You are offline: describing and generating need a connection.';

/* --- helpers ------------------------------------------------------------------------------- */

async function serveCopy(t, dir) {
  const server = await serveStatic({ root: dir });
  t.after(() => server.close());
  return server;
}

function buildVersion(dir) {
  const match = readFileSync(path.join(dir, 'sw.js'), 'utf8').match(/\bversion"?:\s*"([0-9a-f]{16})"/);
  assert.ok(match, 'dist/sw.js carries no build version: was it stamped by scripts/build?');
  return match[1];
}

/** Opens the app, waits for its service worker to activate, and reloads so that it controls the page. */
async function openControlledApp(t, url) {
  const { context, page } = await openContext(t, harness.browser, { secret: TOKEN });
  await page.goto(url);
  assert.deepEqual(await waitForOutcome(page, READY), { status: READY });
  await page.evaluate(async () => {
    const { active } = await navigator.serviceWorker.ready;
    if (active.state === 'activated') return;
    await new Promise((resolve) => {
      active.addEventListener('statechange', () => active.state === 'activated' && resolve());
    });
  });
  await page.reload();
  assert.deepEqual(await waitForOutcome(page, READY), { status: READY });
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker controls the page');
  return { context, page };
}

/** Every cache of the origin with the method and URL of every request stored in it. */
function cacheContents(page) {
  return page.evaluate(async () => {
    const contents = {};
    for (const name of await caches.keys()) {
      const requests = await (await caches.open(name)).keys();
      contents[name] = requests.map((request) => ({ method: request.method, url: request.url })).sort((a, b) => (a.url < b.url ? -1 : 1));
    }
    return contents;
  });
}

function expectedShell(dir, siteUrl) {
  return shellFiles(dir).map((name) => ({ method: 'GET', url: new URL(name, siteUrl).href }));
}

function fetchText(page, url, init = {}) {
  return page.evaluate(async ({ url, init }) => (await fetch(url, init)).text(), { url, init });
}

/* --- tests --------------------------------------------------------------------------------- */

describe('offline app', { timeout: TEST_TIMEOUT_MS }, () => {
  test('with no network the app opens from the cache, works, and says generating needs a connection', async (t) => {
    const dir = copyOfDist(t);
    const site = await serveCopy(t, dir);
    const { context, page } = await openControlledApp(t, site.url);

    // No server and no network: whatever opens now comes from the service worker's cache.
    await site.close();
    await context.setOffline(true);
    await page.reload();

    assert.equal(await page.title(), 'Describe & Generate');
    assert.ok(await page.getByRole('heading', { name: 'Describe & Generate', level: 1 }).isVisible());
    for (const name of ['Generate caption', 'Caption and generate', 'Generate image']) {
      assert.ok(await page.getByRole('button', { name, exact: true }).isVisible(), `"${name}" is shown`);
    }
    // The worker reports ready only once the wasm core has been instantiated.
    assert.deepEqual(await waitForOutcome(page, READY), { status: READY });
    const notice = page.locator('body > [role="status"]', { hasText: OFFLINE_NOTICE });
    assert.ok(await notice.isVisible(), 'the offline notice is shown outside the app');
    assert.equal(await page.locator('#app').getByText(OFFLINE_NOTICE).count(), 0);

    // Preparing a photo runs entirely in the cached core.
    await chooseGoodImage(page, quadrantJpeg(320, 240));
    assert.ok(await previewImage(page).isVisible());

    await fillFields(page, { 'Hugging Face token': TOKEN, 'Captioning endpoint': harness.endpoint('caption-array') });
    const { alert } = await click(page, 'Generate caption', 'Caption ready.');
    assert.match(alert, /You are offline/);
    assert.deepEqual(harness.hf.requests, [], 'nothing was sent');

    await context.setOffline(false);
    await notice.waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.equal(await page.locator('body > [role="status"]').first().textContent(), '');
  });

  test('only same-origin GETs of the shell are answered from the cache; endpoint requests pass by', async (t) => {
    const dir = copyOfDist(t);
    const site = await serveCopy(t, dir);
    const { page } = await openControlledApp(t, site.url);

    // A request to an inference endpoint, made from the controlled page's worker.
    await fillFields(page, { 'Hugging Face token': TOKEN, 'Captioning endpoint': harness.endpoint('caption-array') });
    await chooseGoodImage(page, quadrantJpeg(320, 240));
    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    const posts = harness.hf.requests.filter((request) => request.method === 'POST');
    assert.equal(posts.length, 1);
    assertAuthorized(posts[0]);

    // The server's copy changes behind the service worker's back: a plain request still gets the
    // cached page, a request carrying a token is never answered by the service worker.
    appendFileSync(path.join(dir, 'index.html'), '<!-- changed on the server -->\n');
    assert.ok(!(await fetchText(page, './index.html')).includes('changed on the server'), 'plain GET from the cache');
    const withToken = await fetchText(page, './index.html', { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.ok(withToken.includes('changed on the server'), 'a request with Authorization goes to the network');

    const contents = await cacheContents(page);
    const names = Object.keys(contents);
    assert.equal(names.length, 1, `one cache, not ${names.join(', ')}`);
    assert.ok(names[0].endsWith(`:${buildVersion(dir)}`), `the cache ${names[0]} is named after the build`);
    assert.deepEqual(contents[names[0]], expectedShell(dir, site.url), 'exactly the shell, nothing else');
  });

  test('a new deploy is installed whole, offered, and replaces the old cache', async (t) => {
    const dir = copyOfDist(t);
    const site = await serveCopy(t, dir);
    const { page } = await openControlledApp(t, site.url);
    const oldVersion = buildVersion(dir);
    assert.deepEqual(Object.keys(await cacheContents(page)).map((name) => name.split(':').at(-1)), [oldVersion]);

    // Deploy: one file changes, and the build stamps a new version into sw.js.
    appendFileSync(path.join(dir, 'styles.css'), '\n/* deploy 2 */\n');
    restampServiceWorker(dir);
    const newVersion = buildVersion(dir);
    assert.notEqual(newVersion, oldVersion);

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const updateButton = page.getByRole('button', { name: 'Update now', exact: true });
    await updateButton.waitFor({ timeout: WAIT_MS });

    // Downloaded but waiting: the open page keeps getting the build it started with.
    assert.deepEqual(Object.keys(await cacheContents(page)).map((name) => name.split(':').at(-1)).sort(), [newVersion, oldVersion].sort());
    assert.ok(!(await fetchText(page, './styles.css')).includes('deploy 2'), 'no new file in the old page');

    await Promise.all([page.waitForEvent('load', { timeout: WAIT_MS }), updateButton.click()]);
    assert.deepEqual(await waitForOutcome(page, READY), { status: READY });

    const contents = await cacheContents(page);
    assert.deepEqual(Object.keys(contents).map((name) => name.split(':').at(-1)), [newVersion], 'the old cache is deleted');
    assert.deepEqual(Object.values(contents)[0], expectedShell(dir, site.url));
    assert.ok((await fetchText(page, './styles.css')).includes('deploy 2'), 'the new build is served');
  });

  test('a build whose files do not match their stamped hashes is not installed', async (t) => {
    const dir = copyOfDist(t);
    // What a download looks like when a newer deploy lands halfway through it.
    appendFileSync(path.join(dir, 'main.js'), '\n// from another build\n');
    const site = await serveCopy(t, dir);
    const { page } = await openContext(t, harness.browser);
    await page.goto(site.url);
    assert.deepEqual(await waitForOutcome(page, READY), { status: READY });

    const outcome = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.register('./sw.js');
      const worker = registration.installing ?? registration.waiting ?? registration.active;
      await new Promise((resolve) => {
        const settled = () => ['redundant', 'activated'].includes(worker.state);
        if (settled()) resolve();
        else worker.addEventListener('statechange', () => settled() && resolve());
      });
      return { state: worker.state, caches: await caches.keys() };
    });
    assert.deepEqual(outcome, { state: 'redundant', caches: [] });
  });

  test('the manifest makes the app installable, with icons that match their declared sizes', async (t) => {
    const { page } = await openContext(t, harness.browser);
    await page.goto(harness.site.url);

    const manifestUrl = await page.locator('link[rel="manifest"]').evaluate((link) => link.href);
    const manifest = JSON.parse(await fetchText(page, manifestUrl));
    assert.equal(manifest.name, 'Describe & Generate');
    assert.ok(manifest.short_name);
    assert.equal(new URL(manifest.start_url, manifestUrl).href, harness.site.url);
    assert.equal(new URL(manifest.scope, manifestUrl).href, harness.site.url);
    assert.equal(manifest.display, 'standalone');
    assert.equal(await page.locator('meta[name="theme-color"]').getAttribute('content'), manifest.theme_color);

    const icons = await page.evaluate(async ({ icons, base }) => Promise.all(icons.map(async (icon) => {
      const image = new Image();
      image.src = new URL(icon.src, base).href;
      await image.decode();
      return { ...icon, width: image.naturalWidth, height: image.naturalHeight };
    })), { icons: manifest.icons, base: manifestUrl });
    for (const icon of icons.filter((entry) => entry.sizes !== 'any')) {
      assert.equal(`${icon.width}x${icon.height}`, icon.sizes, icon.src);
    }
    const pngs = (purpose) => icons.filter((icon) => icon.type === 'image/png' && icon.purpose === purpose).map((icon) => icon.sizes);
    assert.deepEqual(pngs('any'), ['192x192', '512x512']);
    assert.deepEqual(pngs('maskable'), ['512x512']);
    assert.ok(icons.some((icon) => icon.type === 'image/svg+xml'), 'an SVG icon for any size');
  });
});
