// <describe-generate> in a documentation page: the example page that ships in dist/examples/,
// pages that set the attributes, and a page on another origin than the app. Playwright's
// locators reach into the elements' open shadow roots, so a person's view of each app is one
// locator away.
//
//   ./scripts/build && node --test tests/e2e/embed.test.mjs

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import { serveStatic } from '../../scripts/serve.mjs';

import {
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  TOKEN,
  WAIT_MS,
  assertAuthorized,
  chooseImage,
  fillFields,
  jsonBody,
  showSettings,
  uploadedPhoto,
  useHarness,
  waitForOutcome,
  openContext,
} from './harness.mjs';
import { startCorsMirror } from './hosting-support.mjs';
import { quadrantJpeg } from './images.mjs';

const harness = useHarness();
const READY = 'Ready. Choose a photo to begin.';

/* --- helpers ------------------------------------------------------------------------------- */

function docsPageUrl() {
  return new URL('examples/docs.html', harness.site.url).href;
}

const postsReceived = () => harness.postsReceived();

/** The index-th <describe-generate> of the page, as a locator that reaches into its shadow root. */
function app(page, index) {
  return page.locator('describe-generate').nth(index);
}

const waitForApp = (page, index, expectedStatus) => waitForOutcome(page, expectedStatus, { element: index });

async function clickIn(page, index, buttonName, expectedStatus) {
  await app(page, index).getByRole('button', { name: buttonName, exact: true }).click();
  return waitForApp(page, index, expectedStatus);
}

/** Sets attributes on the index-th element (which remounts it) and waits for it to be ready. */
async function configure(page, index, attributes) {
  await page.evaluate(({ index, attributes }) => {
    const element = document.querySelectorAll('describe-generate')[index];
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  }, { index, attributes });
  assert.deepEqual(await waitForApp(page, index, READY), { status: READY });
}

/** Serves `html` at `path` on the app's own origin, without touching the build. */
async function routePage(page, path, html) {
  const url = new URL(path, harness.site.url).href;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  return url;
}

async function until(condition, what) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// What the app's buttons look like where the page cannot reach them.
const BUTTON_STYLE = ['color', 'backgroundColor', 'fontFamily', 'fontSize', 'textTransform', 'letterSpacing'];

function computedStyle(locator, properties = BUTTON_STYLE) {
  return locator.evaluate((element, names) => {
    const style = getComputedStyle(element);
    return Object.fromEntries(names.map((name) => [name, style[name]]));
  }, properties);
}

async function standaloneButtonStyle(t, name) {
  const { page } = await openContext(t, harness.browser);
  await page.goto(harness.site.url);
  return computedStyle(page.getByRole('button', { name, exact: true }));
}

/* --- tests --------------------------------------------------------------------------------- */

describe('embedding', { timeout: TEST_TIMEOUT_MS }, () => {
  test('the example docs page holds two apps, each with its own worker, working independently', async (t) => {
    const { page } = await openContext(t, harness.browser, { secret: TOKEN });
    await page.goto(docsPageUrl());
    assert.equal(await page.locator('describe-generate').count(), 2);
    for (const index of [0, 1]) assert.deepEqual(await waitForApp(page, index, READY), { status: READY });
    assert.equal(page.workers().length, 2, 'one worker per element');
    assert.ok(!(await app(page, 0).getByRole('button', { name: 'Options', exact: true }).isVisible()));
    assert.ok(await app(page, 1).getByRole('button', { name: 'Options', exact: true }).isVisible(), 'the second one is compact');

    // Endpoints and style come from the attributes.
    await configure(page, 0, {
      'caption-endpoint': harness.endpoint('caption-array'),
      'generation-endpoint': harness.endpoint('gen-jpeg'),
    });
    await configure(page, 1, {
      'endpoint-style': 'custom-json',
      'caption-endpoint': harness.endpoint('custom-caption'),
      'generation-endpoint': harness.endpoint('custom-generate'),
    });
    for (const index of [0, 1]) await fillFields(app(page, index), { 'Hugging Face token': TOKEN });
    assert.equal(await app(page, 1).getByLabel('Endpoint style', { exact: true }).inputValue(), 'custom-json');

    // A photo and a caption in the first app...
    await chooseImage(app(page, 0), { buffer: quadrantJpeg(800, 600) });
    assert.deepEqual(await waitForApp(page, 0, 'Image ready.'), { status: 'Image ready.' });
    assert.deepEqual(await clickIn(page, 0, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
    assert.equal(await app(page, 0).getByLabel('Caption', { exact: true }).inputValue(), SERVER_CAPTION);

    // ...leave the second one as it was.
    assert.equal(await app(page, 1).getByLabel('Caption', { exact: true }).inputValue(), '');
    assert.ok(!(await app(page, 1).getByRole('img', { name: 'Preview of the chosen image' }).isVisible()));
    assert.equal(await app(page, 1).getByRole('status').first().textContent(), READY);
    const { alert } = await clickIn(page, 1, 'Generate caption', 'Caption ready.');
    assert.match(alert, /Choose an image first/);

    // The second one, in its own style, sends to its own endpoints.
    await chooseImage(app(page, 1), { buffer: quadrantJpeg(640, 480) });
    assert.deepEqual(await waitForApp(page, 1, 'Image ready.'), { status: 'Image ready.' });
    assert.deepEqual(await clickIn(page, 1, 'Caption and generate', 'Caption and picture ready.'), {
      status: 'Caption and picture ready.',
    });

    const posts = postsReceived();
    assert.deepEqual(posts.map((request) => request.scenario), ['caption-array', 'custom-caption', 'custom-generate']);
    posts.forEach(assertAuthorized);
    const first = uploadedPhoto(posts[0], 'hf-inference');
    const second = uploadedPhoto(posts[1], 'custom-json');
    assert.deepEqual([first.width, first.height, second.width, second.height], [800, 600, 640, 480]);
    assert.equal(jsonBody(posts[2]).inputs, SERVER_CAPTION);
    const picture = app(page, 1).getByRole('region', { name: 'Generated image' }).getByRole('img');
    assert.equal(await picture.getAttribute('alt'), SERVER_CAPTION);
    assert.ok(!(await app(page, 0).getByRole('region', { name: 'Generated image' }).getByRole('img').isVisible()));
  });

  test('styles do not cross the shadow boundary in either direction', async (t) => {
    const expected = await standaloneButtonStyle(t, 'Caption and generate');
    const { page } = await openContext(t, harness.browser);
    await page.goto(docsPageUrl());
    // Even a rule that insists cannot reach in.
    await page.addStyleTag({ content: '* { font-family: serif !important; } button { color: red !important; }' });
    for (const index of [0, 1]) assert.deepEqual(await waitForApp(page, index, READY), { status: READY });

    for (const index of [0, 1]) {
      const button = app(page, index).getByRole('button', { name: 'Caption and generate', exact: true });
      assert.deepEqual(await computedStyle(button), expected, `the buttons of app ${index} look as in the standalone app`);
    }

    // The page keeps its own look: its button, and an element that happens to use the app's class names.
    const ownButton = page.getByRole('button', { name: 'Copy the snippet' });
    assert.deepEqual(await computedStyle(ownButton, ['color', 'textTransform']), { color: 'rgb(255, 0, 0)', textTransform: 'uppercase' });
    const lookalike = await page.evaluate(() => {
      const plain = document.createElement('button');
      const namesake = document.createElement('button');
      namesake.className = 'dg-button dg-button-primary';
      document.body.append(plain, namesake);
      const look = (element) => {
        const style = getComputedStyle(element);
        return [style.backgroundColor, style.borderRadius, style.padding];
      };
      return { plain: look(plain), namesake: look(namesake) };
    });
    assert.deepEqual(lookalike.namesake, lookalike.plain, 'the app\'s class names mean nothing outside it');
    const pageSheets = await page.evaluate(() => Array.from(document.styleSheets, (sheet) => sheet.href).filter(Boolean));
    assert.deepEqual(pageSheets, [], 'styles.css is loaded into the shadow roots only');
  });

  test('elements with different endpoints remember their settings and token apart from each other and the app', async (t) => {
    const { context, page } = await openContext(t, harness.browser, { secret: TOKEN });
    const captionA = harness.endpoint('caption-array');
    const captionB = harness.endpoint('custom-caption');
    const url = await routePage(page, 'examples/remembering.html', `<!doctype html>
      <script type="module" src="../describe-generate.js"></script>
      <describe-generate caption-endpoint="${captionA}"></describe-generate>
      <describe-generate caption-endpoint="${captionB}"></describe-generate>`);
    await page.goto(url);
    for (const index of [0, 1]) assert.deepEqual(await waitForApp(page, index, READY), { status: READY });

    const edited = harness.endpoint('caption-object');
    await fillFields(app(page, 0), { 'Captioning endpoint': edited, 'Hugging Face token': TOKEN, 'Remember on this device': true });

    await page.reload();
    for (const index of [0, 1]) assert.deepEqual(await waitForApp(page, index, READY), { status: READY });
    for (const index of [0, 1]) await showSettings(app(page, index));
    const field = (index, label) => app(page, index).getByLabel(label, { exact: true }).inputValue();
    assert.equal(await field(0, 'Captioning endpoint'), edited, 'the first element remembers its own edit');
    assert.equal(await field(0, 'Hugging Face token'), TOKEN);
    assert.equal(await field(1, 'Captioning endpoint'), captionB, 'the second keeps its attribute');
    assert.equal(await field(1, 'Hugging Face token'), '', 'a token remembered for one endpoint is not offered to another');

    const standalone = await context.newPage();
    await standalone.goto(harness.site.url);
    await showSettings(standalone);
    assert.notEqual(await standalone.getByLabel('Captioning endpoint', { exact: true }).inputValue(), edited);
    assert.equal(await standalone.getByLabel('Hugging Face token', { exact: true }).inputValue(), '');
  });

  test('moving an element keeps its app; removing it ends its worker', async (t) => {
    const { page } = await openContext(t, harness.browser);
    await page.goto(docsPageUrl());
    for (const index of [0, 1]) assert.deepEqual(await waitForApp(page, index, READY), { status: READY });
    await app(page, 0).getByLabel('Caption', { exact: true }).fill('a lighthouse');

    await page.evaluate(() => document.body.append(document.getElementById('full-demo')));
    const moved = page.locator('#full-demo');
    assert.equal(await moved.getByLabel('Caption', { exact: true }).inputValue(), 'a lighthouse');
    assert.equal(page.workers().length, 2);

    await page.evaluate(() => document.getElementById('compact-demo').remove());
    await until(() => page.workers().length === 1, 'the removed element\'s worker is gone');
    assert.equal(await moved.getByLabel('Caption', { exact: true }).inputValue(), 'a lighthouse');
  });

  test('an element served from another origin loads its assets from there and works', async (t) => {
    const appHost = await startCorsMirror(harness.site.url);
    t.after(() => appHost.close());
    // The docs page lives on its own site; the element and everything it loads on appHost.
    // (A real server, not a routed page: Chromium treats a routed page as public and would refuse
    // it any request to the loopback address the test servers listen on.)
    const docsDir = mkdtempSync(path.join(os.tmpdir(), 'dg-docs-'));
    t.after(() => rmSync(docsDir, { recursive: true, force: true }));
    writeFileSync(path.join(docsDir, 'guide.html'), `<!doctype html>
      <title>Another site</title>
      <script type="module" src="${appHost.url}describe-generate.js"></script>
      <describe-generate caption-endpoint="${harness.endpoint('caption-array')}"
                         generation-endpoint="${harness.endpoint('gen-jpeg')}"></describe-generate>`);
    const docsSite = await serveStatic({ root: docsDir });
    t.after(() => docsSite.close());
    const url = new URL('guide.html', docsSite.url).href;
    const { page } = await openContext(t, harness.browser, { secret: TOKEN });
    const requested = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(url);
    assert.deepEqual(await waitForApp(page, 0, READY), { status: READY });

    await fillFields(app(page, 0), { 'Hugging Face token': TOKEN });
    await chooseImage(app(page, 0), { buffer: quadrantJpeg(400, 300) });
    assert.deepEqual(await waitForApp(page, 0, 'Image ready.'), { status: 'Image ready.' });
    assert.deepEqual(await clickIn(page, 0, 'Caption and generate', 'Caption and picture ready.'), {
      status: 'Caption and picture ready.',
    });

    assert.deepEqual(postsReceived().map((request) => request.scenario), ['caption-array', 'gen-jpeg']);
    const pageOrigin = new URL(url).origin;
    assert.ok(postsReceived().every((request) => request.headers.origin === pageOrigin), 'requests come from the page');
    for (const asset of ['describe-generate.js', 'main.js', 'styles.css']) {
      assert.ok(requested.includes(new URL(asset, appHost.url).href), `${asset} came from the app's host`);
      assert.ok(!requested.includes(new URL(asset, url).href), `${asset} was not looked for next to the page`);
    }
    // A button the mouse is not resting on, so it shows its plain look.
    const expected = await standaloneButtonStyle(t, 'Generate image');
    const button = app(page, 0).getByRole('button', { name: 'Generate image', exact: true });
    assert.deepEqual(await computedStyle(button), expected, 'the app\'s styles loaded from its host');
  });
});
