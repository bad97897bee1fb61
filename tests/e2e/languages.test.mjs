// The interface in English and in simplified Chinese: the main flow and a failure in both, the
// language taken from the browser, the switch (which rewrites what is on screen and is
// remembered), <html lang>, the element's attribute, and the page's own notices. Every expected
// word comes from web/strings.js, so a missing or misplaced translation fails here.
//
//   ./scripts/build && node --test tests/e2e/languages.test.mjs

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';

import {
  LANGUAGES,
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  TOKEN,
  UI,
  WAIT_MS,
  alertBox,
  assertGeneratedImageShown,
  captionBox,
  chooseGoodImage,
  click,
  fillFields,
  jsonBody,
  statusLine,
  useHarness,
  waitForOutcome,
  openContext,
} from './harness.mjs';
import { quadrantJpeg } from './images.mjs';
import { browserLanguage, supportedLanguage } from '../../web/strings.js';

const harness = useHarness();

// Every error code the core (failure.cpp's errorCodeName), the worker and the page report, read
// from their sources so that a new code without a translation fails here.
function errorCodes() {
  const read = (file) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const core = read('src/core/failure.cpp').split('errorCodeName(')[1] ?? '';
  const codes = new Set(Array.from(core.matchAll(/return "(\w+)";/g), (match) => match[1]));
  for (const file of ['web/worker.js', 'web/main.js', ...readdirSync(new URL('../../web/app/', import.meta.url)).map((name) => `web/app/${name}`)]) {
    for (const match of read(file).matchAll(/code: '([\w-]+)'/g)) codes.add(match[1]);
  }
  return [...codes].sort();
}

describe('the strings table', () => {
  test('every language has every entry, of the same kind as the English one', () => {
    for (const language of LANGUAGES) {
      const missing = Object.keys(UI.en).filter((key) => typeof UI[language][key] !== typeof UI.en[key]);
      assert.deepEqual(missing, [], `${language} lacks these entries (or has the wrong kind)`);
      const extra = Object.keys(UI[language]).filter((key) => !(key in UI.en));
      assert.deepEqual(extra, [], `${language} has entries English does not`);
    }
  });

  test('every error code has a Chinese explanation', () => {
    const codes = errorCodes();
    assert.ok(codes.includes('unauthorized') && codes.includes('empty-caption'), `codes found: ${codes}`);
    assert.deepEqual(codes.filter((code) => !UI['zh-CN'].errors[code]), []);
  });

  test('the browser\'s languages choose the interface: any Chinese means zh-CN, else English', () => {
    assert.equal(browserLanguage(['zh-TW', 'en']), 'zh-CN');
    assert.equal(browserLanguage(['fr-FR', 'zh']), 'zh-CN');
    assert.equal(browserLanguage(['en-GB', 'zh-CN']), 'en');
    assert.equal(browserLanguage(['fr-FR', 'de']), 'en');
    assert.equal(browserLanguage([]), 'en');
    assert.equal(supportedLanguage('zh-Hans-CN'), 'zh-CN');
    assert.equal(supportedLanguage('ja'), null);
  });
});

/* --- the main flow and a failure, in each language --------------------------------------- */

for (const language of LANGUAGES) {
  const ui = UI[language];

  describe(`the app in ${language}`, { timeout: TEST_TIMEOUT_MS }, () => {
    test('speaks the browser\'s language, captions, paints, and explains a failure', async (t) => {
      const page = await harness.openApp(t, { language });
      assert.equal(await page.evaluate(() => document.documentElement.lang), language);
      assert.equal(await page.title(), ui.documentTitle);
      assert.ok(await page.getByRole('heading', { level: 1, name: ui.title }).isVisible());
      assert.equal(await page.getByLabel(ui.language, { exact: true }).inputValue(), language);

      await chooseGoodImage(page, quadrantJpeg(800, 600), ui);
      assert.deepEqual(await click(page, ui.generateCaption, ui.captionReady), { status: ui.captionReady });
      assert.equal(await captionBox(page, ui).inputValue(), SERVER_CAPTION);

      assert.deepEqual(await click(page, ui.generateImage, ui.pictureReady), { status: ui.pictureReady });
      await assertGeneratedImageShown(page, { alt: SERVER_CAPTION, format: 'jpeg', ui });
      const { seed } = jsonBody(harness.postsReceived()[1]).parameters;
      assert.equal(await page.locator('#app .dg-seed-info').textContent(), ui.seedInfo(seed));

      await fillFields(page, { [ui.generationUrl]: harness.endpoint('unauthorized') }, ui);
      const { alert } = await click(page, ui.captionAndGenerate, ui.bothReady);
      const lines = alert.split('\n');
      if (language === 'en') {
        assert.match(lines[0], /Invalid credentials in Authorization header/);
      } else {
        // Translated by the error's code, with the server's own words kept under it.
        assert.equal(lines[0], ui.errors.unauthorized);
        assert.match(lines.slice(1).join('\n'), /Invalid credentials in Authorization header/);
      }
      assert.match(alert, /401/);
    });

    test('a problem found before any request is worded in the interface language', async (t) => {
      const page = await harness.openApp(t, { language });

      const { alert } = await click(page, ui.generateCaption, ui.captionReady);

      assert.equal(alert, ui.chooseImageFirst);
      assert.equal(harness.postsReceived().length, 0);
    });
  });
}

/* --- choosing and switching -------------------------------------------------------------- */

describe('switching languages', { timeout: TEST_TIMEOUT_MS }, () => {
  test('the switch rewrites what is on screen, keeps what was typed, and is remembered', async (t) => {
    const en = UI.en;
    const zh = UI['zh-CN'];
    const page = await harness.openApp(t, { language: 'en' });
    await captionBox(page, en).fill('a red kite');
    const { alert } = await click(page, en.generateCaption, en.captionReady);
    assert.equal(alert, en.chooseImageFirst);

    await page.getByLabel(en.language, { exact: true }).selectOption('zh-CN');

    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.locator('#app .dg').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.title(), zh.documentTitle);
    assert.equal(await captionBox(page, zh).inputValue(), 'a red kite');
    assert.equal(await alertBox(page).textContent(), zh.chooseImageFirst, 'the error on screen is rewritten');
    for (const name of [zh.generateCaption, zh.captionAndGenerate, zh.generateImage]) {
      assert.ok(await page.getByRole('button', { name, exact: true }).isVisible(), name);
    }
    assert.equal(await page.getByRole('button', { name: en.generateCaption, exact: true }).count(), 0);

    // An English browser, but the person chose Chinese: the choice wins on the next visit.
    await page.reload();
    assert.deepEqual(await waitForOutcome(page, zh.ready), { status: zh.ready });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

    await page.getByLabel(zh.language, { exact: true }).selectOption('en');
    assert.equal(await statusLine(page).textContent(), en.ready, 'the status line is rewritten too');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });

  test('the page\'s offline notice follows the language', async (t) => {
    const { context, page } = await openContext(t, harness.browser);
    await page.goto(harness.site.url);
    assert.deepEqual(await waitForOutcome(page, UI.en.ready), { status: UI.en.ready });
    await page.getByLabel(UI.en.language, { exact: true }).selectOption('zh-CN');

    await context.setOffline(true);

    const notice = page.locator('body > [role="status"]');
    await notice.filter({ hasText: UI['zh-CN'].offline }).waitFor({ timeout: WAIT_MS });
    await page.getByLabel(UI['zh-CN'].language, { exact: true }).selectOption('en');
    await notice.filter({ hasText: UI.en.offline }).waitFor({ timeout: WAIT_MS });
    await context.setOffline(false);
  });

  test('an element\'s lang or language attribute sets its language, on its own root only', async (t) => {
    const { page } = await openContext(t, harness.browser);
    const url = new URL('examples/languages.html', harness.site.url).href;
    await page.route(url, (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en">
        <script type="module" src="../describe-generate.js"></script>
        <describe-generate lang="zh-CN"></describe-generate>
        <describe-generate language="zh"></describe-generate>
        <describe-generate></describe-generate>`,
    }));
    await page.goto(url);

    const expected = ['zh-CN', 'zh-CN', 'en'];
    for (const [index, language] of expected.entries()) {
      const app = page.locator('describe-generate').nth(index);
      await app.getByRole('status').filter({ hasText: UI[language].ready }).waitFor({ timeout: WAIT_MS });
      assert.equal(await app.locator('.dg').getAttribute('lang'), language);
      assert.ok(await app.getByRole('button', { name: UI[language].captionAndGenerate, exact: true }).isVisible());
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the page\'s own language is left alone');
    await fillFields(page.locator('describe-generate').nth(0), { [UI['zh-CN'].token]: TOKEN }, UI['zh-CN']);
  });
});
