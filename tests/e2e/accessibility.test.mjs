// Accessibility: axe-core (WCAG 2.0/2.1, levels A and AA) finds nothing in every state a person
// meets, in both languages and both colour schemes, standalone and embedded; and the whole flow
// works from the keyboard alone, with a visible focus indicator on every stop.
//
//   ./scripts/build && node --test tests/e2e/accessibility.test.mjs

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';

import {
  LANGUAGES,
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  UI,
  WAIT_MS,
  captionBox,
  chooseGoodImage,
  click,
  fillFields,
  generatedImage,
  showGenerationOptions,
  showSettings,
  useHarness,
  waitForOutcome,
  openContext,
} from './harness.mjs';
import { quadrantJpeg } from './images.mjs';

const harness = useHarness();
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SCHEMES = ['light', 'dark'];

/** Runs axe on the whole page (open shadow roots included) and fails with every violation found. */
async function assertNoViolations(page, state) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async (tags) => {
    const results = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return results.violations.map((violation) => ({
      rule: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${JSON.stringify(node.target)}: ${node.failureSummary}`),
    }));
  }, WCAG_TAGS);
  assert.deepEqual(violations, [], `axe found violations ${state}`);
}

/* --- axe, standalone and embedded -------------------------------------------------------- */

for (const language of LANGUAGES) {
  for (const colorScheme of SCHEMES) {
    const ui = UI[language];
    const where = `in ${language}, ${colorScheme}`;

    describe(`axe ${where}`, { timeout: TEST_TIMEOUT_MS }, () => {
      test('the standalone app: idle, panels open, an error, a result', async (t) => {
        const page = await harness.openApp(t, { language, contextOptions: { colorScheme } });
        assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
        await page.evaluate(() => {
          for (const details of document.querySelectorAll('#app details')) details.open = false;
        });
        await assertNoViolations(page, `when idle ${where}`);

        await showSettings(page, ui);
        await showGenerationOptions(page, ui);
        await fillFields(page, { [ui.chatCaptioning]: true, [ui.openAiImages]: true, [ui.randomSeed]: false }, ui);
        await assertNoViolations(page, `with settings and generation options open ${where}`);
        await fillFields(page, { [ui.chatCaptioning]: false, [ui.openAiImages]: false, [ui.randomSeed]: true }, ui);

        const { alert } = await click(page, ui.generateImage, ui.pictureReady);
        assert.equal(alert, ui.writeCaptionFirst);
        await assertNoViolations(page, `with an error shown ${where}`);

        await chooseGoodImage(page, quadrantJpeg(640, 480), ui);
        const outcome = await click(page, ui.captionAndGenerate, ui.bothReady);
        assert.deepEqual(outcome, { status: ui.bothReady });
        assert.equal(await generatedImage(page, ui).getAttribute('alt'), SERVER_CAPTION, 'the caption is the alt text');
        await assertNoViolations(page, `with a caption and a picture ${where}`);
      });

      test('the example docs page, with the compact app\'s options open', async (t) => {
        const { page: docs } = await openContext(t, harness.browser, { contextOptions: { locale: language, colorScheme } });
        await docs.goto(new URL('examples/docs.html', harness.site.url).href);
        for (const index of [0, 1]) {
          await docs.locator('describe-generate').nth(index).getByRole('status')
            .filter({ hasText: ui.ready }).waitFor({ timeout: WAIT_MS });
        }
        await assertNoViolations(docs, `in the docs page ${where}`);

        const compact = docs.locator('describe-generate').nth(1);
        await compact.getByRole('button', { name: ui.options, exact: true }).click();
        await showSettings(compact, ui);
        await showGenerationOptions(compact, ui);
        await assertNoViolations(docs, `in the docs page with the compact app's options open ${where}`);
      });
    });
  }
}

/* --- the keyboard ------------------------------------------------------------------------ */

/** What has focus, through shadow roots: its accessible name as a person would read it, and whether focus is visible on it. */
function focused(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return { name: '', visible: false };
    const name = (element.labels?.[0] ?? element).textContent.trim().replace(/\s+/g, ' ');
    // A visually hidden file input shows its focus on what stands for it: the drop zone, or the
    // "Take photo" button.
    const shown = element.classList.contains('dg-file')
      ? element.closest('.dg-dropzone') ?? element.labels[0]
      : element;
    const style = getComputedStyle(shown);
    const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return { name, visible, tag: element.tagName.toLowerCase() };
  });
}

/** Presses Tab until the control called `name` has focus; every stop on the way must show focus. */
async function tabTo(page, name) {
  const passed = [];
  for (let presses = 0; presses < 80; presses += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.name) assert.ok(now.visible, `focus is visible on "${now.name}"`);
    if (now.name === name) return;
    passed.push(now.name);
  }
  assert.fail(`Tab never reached "${name}"; it passed ${JSON.stringify(passed)}`);
}

describe('the keyboard', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const language of LANGUAGES) {
    const ui = UI[language];

    test(`in ${language}: choose a photo, caption, edit, paint, download and cancel without a mouse`, async (t) => {
      const page = await harness.openApp(t, { language });
      await page.evaluate(() => document.activeElement?.blur());

      // The drop zone's file input opens the system's chooser from the keyboard. Listening starts
      // first: Playwright intercepts choosers only once a listener exists, and a chooser opened
      // before that would go unseen.
      const chooserOpened = page.waitForEvent('filechooser', { timeout: WAIT_MS });
      await tabTo(page, ui.image);
      await page.keyboard.press('Space');
      const chooser = await chooserOpened;
      await chooser.setFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: quadrantJpeg(640, 480) });
      assert.deepEqual(await waitForOutcome(page, ui.imageReady), { status: ui.imageReady });

      await tabTo(page, ui.generateCaption);
      await page.keyboard.press('Enter');
      assert.deepEqual(await waitForOutcome(page, ui.captionReady), { status: ui.captionReady });
      assert.equal(await captionBox(page, ui).inputValue(), SERVER_CAPTION);

      await tabTo(page, ui.caption);
      await page.keyboard.press('End');
      await page.keyboard.type(' at night');
      // The generation options open and close from the keyboard.
      await tabTo(page, ui.generationOptions);
      await page.keyboard.press('Enter');
      assert.ok(await page.getByLabel(ui.negativePrompt, { exact: true }).isVisible());
      await page.keyboard.press('Enter');
      assert.ok(!(await page.getByLabel(ui.negativePrompt, { exact: true }).isVisible()));
      await tabTo(page, ui.generateImage);
      await page.keyboard.press('Enter');
      assert.deepEqual(await waitForOutcome(page, ui.pictureReady), { status: ui.pictureReady });
      assert.equal(await generatedImage(page, ui).getAttribute('alt'), `${SERVER_CAPTION} at night`);

      await tabTo(page, ui.downloadImage);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.keyboard.press('Enter')]);
      assert.equal(download.suggestedFilename(), 'describe-and-generate.jpg');

      // A model that keeps loading: the wait before the retry can be cancelled from the keyboard.
      await fillFields(page, { [ui.captionUrl]: harness.endpoint('loading-forever') }, ui);
      await page.evaluate(() => document.activeElement?.blur());
      await tabTo(page, ui.generateCaption);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: ui.cancel, exact: true }).waitFor({ timeout: WAIT_MS });
      await tabTo(page, ui.cancel);
      await page.keyboard.press('Enter');
      assert.deepEqual(await waitForOutcome(page, ui.cancelled), { status: ui.cancelled });
    });
  }

  test('the compact layout\'s Options button and the language switch work from the keyboard', async (t) => {
    const { page } = await openContext(t, harness.browser);
    await page.goto(new URL('examples/docs.html', harness.site.url).href);
    const compact = page.locator('describe-generate').nth(1);
    await compact.getByRole('status').filter({ hasText: UI.en.ready }).waitFor({ timeout: WAIT_MS });
    const toggle = compact.getByRole('button', { name: UI.en.options, exact: true });
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await compact.getByText(UI.en.settings, { exact: true }).isVisible());

    await compact.getByLabel(UI.en.language, { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await compact.getByRole('button', { name: UI['zh-CN'].options, exact: true }).waitFor({ timeout: WAIT_MS });
    assert.equal(await compact.locator('.dg').getAttribute('lang'), 'zh-CN');
  });
});
