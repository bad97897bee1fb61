// Phones: at 360 × 740 CSS pixels with touch, nothing scrolls sideways, every control is a
// touch target of at least 44 × 44 px, and "Take photo" (a file input that asks for the camera)
// prepares a photo exactly as the ordinary chooser does. Chromium is given a fake camera, so the
// button's "only with a camera" rule is exercised both ways.
//
//   ./scripts/build && node --test tests/e2e/phone.test.mjs

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  LANGUAGES,
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  UI,
  WAIT_MS,
  captionBox,
  click,
  previewImage,
  showGenerationOptions,
  showSettings,
  uploadedPhoto,
  useHarness,
  waitForOutcome,
  openContext,
} from './harness.mjs';
import { quadrantJpeg } from './images.mjs';

const harness = useHarness({ chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const MIN_TARGET = 44;

/** The page's width beyond the viewport, in CSS pixels (0 when nothing scrolls sideways). */
function sidewaysOverflow(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
}

/**
 * Every visible control of the app (through shadow roots) smaller than a touch target: buttons,
 * links styled as buttons, fields, panel headings, and the labels that stand for checkboxes and
 * for the camera's hidden input.
 */
function smallTargets(page) {
  return page.evaluate((min) => {
    const roots = [document, ...Array.from(document.querySelectorAll('describe-generate'), (element) => element.shadowRoot)];
    const selector = '.dg button, .dg a.dg-button, .dg input:not([type="checkbox"]):not(.dg-file), .dg select, .dg textarea, .dg summary, .dg .dg-check, .dg .dg-camera label';
    const small = [];
    for (const root of roots) {
      for (const element of root.querySelectorAll(selector)) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue; // not shown
        if (box.width < min - 0.5 || box.height < min - 0.5) {
          small.push(`${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
      }
    }
    return small;
  }, MIN_TARGET);
}

async function assertFitsPhone(page, state) {
  assert.equal(await sidewaysOverflow(page), 0, `nothing scrolls sideways ${state}`);
  assert.deepEqual(await smallTargets(page), [], `every control is at least ${MIN_TARGET} px ${state}`);
}

for (const language of LANGUAGES) {
  const ui = UI[language];

  describe(`a phone, in ${language}`, { timeout: TEST_TIMEOUT_MS }, () => {
    test('the app fits 360 px in every state, and its controls are touch targets', async (t) => {
      const page = await harness.openApp(t, { language, contextOptions: PHONE });
      assert.equal(await page.evaluate(() => window.innerWidth), 360);
      await assertFitsPhone(page, 'with the settings open');

      await showGenerationOptions(page, ui);
      await assertFitsPhone(page, 'with the generation options open');

      const { alert } = await click(page, ui.generateCaption, ui.captionReady);
      assert.equal(alert, ui.chooseImageFirst);
      await assertFitsPhone(page, 'with an error shown');

      await page.getByLabel(ui.takePhoto, { exact: true }).setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: quadrantJpeg(1600, 1200) });
      assert.deepEqual(await waitForOutcome(page, ui.imageReady), { status: ui.imageReady });
      assert.deepEqual(await click(page, ui.captionAndGenerate, ui.bothReady), { status: ui.bothReady });
      await assertFitsPhone(page, 'with a photo, a caption and a picture');

      for (const name of [ui.generateCaption, ui.captionAndGenerate, ui.generateImage]) {
        const button = page.getByRole('button', { name, exact: true });
        await button.scrollIntoViewIfNeeded();
        assert.ok(await button.isVisible(), `"${name}" is shown`);
      }
      const caption = captionBox(page, ui);
      assert.equal(await caption.inputValue(), SERVER_CAPTION);
      await caption.tap();
      await caption.fill('typed on a phone');
      await page.getByRole('button', { name: ui.generateImage, exact: true }).tap();
      assert.deepEqual(await waitForOutcome(page, ui.pictureReady), { status: ui.pictureReady });
    });
  });
}

describe('"Take photo"', { timeout: TEST_TIMEOUT_MS }, () => {
  test('asks for the camera and prepares its photo like the ordinary chooser', async (t) => {
    const ui = UI.en;
    const page = await harness.openApp(t, { contextOptions: PHONE });
    const camera = page.getByLabel(ui.takePhoto, { exact: true });
    assert.ok(await page.locator('#app .dg-camera label').isVisible(), 'the button is shown on a touch device with a camera');
    assert.equal(await camera.getAttribute('capture'), 'environment');
    assert.equal(await camera.getAttribute('accept'), 'image/*');

    const chooserOpened = page.waitForEvent('filechooser', { timeout: WAIT_MS });  // listening first, as in accessibility.test.mjs
    await page.locator('#app .dg-camera label').tap();
    const chooser = await chooserOpened;
    await chooser.setFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: quadrantJpeg(1600, 1200) });
    assert.deepEqual(await waitForOutcome(page, ui.imageReady), { status: ui.imageReady });

    assert.ok(await previewImage(page, ui).isVisible());
    assert.equal(await page.locator('#app .dg-image-info').textContent(), ui.imageInfoScaled('IMG_0002.jpg', '1600 × 1200', '1024 × 768'));
    assert.deepEqual(await click(page, ui.generateCaption, ui.captionReady), { status: ui.captionReady });
    const photo = uploadedPhoto(harness.postsReceived()[0], 'hf-inference');
    assert.deepEqual({ width: photo.width, height: photo.height }, { width: 1024, height: 768 });
  });

  test('is not offered where a mouse is the pointer', async (t) => {
    const page = await harness.openApp(t);
    assert.ok(await page.getByRole('button', { name: UI.en.generateCaption, exact: true }).isVisible());
    assert.ok(!(await page.locator('#app .dg-camera label').isVisible()));
    assert.equal(await page.getByLabel(UI.en.takePhoto, { exact: true }).count(), 1, 'it is in the page, only hidden');
  });
});

describe('the example docs page on a phone', { timeout: TEST_TIMEOUT_MS }, () => {
  test('both apps fit 360 px, the compact one with its options open too', async (t) => {
    const ui = UI.en;
    const { page } = await openContext(t, harness.browser, { contextOptions: PHONE });
    await page.goto(new URL('examples/docs.html', harness.site.url).href);
    for (const index of [0, 1]) {
      await page.locator('describe-generate').nth(index).getByRole('status').filter({ hasText: ui.ready }).waitFor({ timeout: WAIT_MS });
    }
    await assertFitsPhone(page, 'in the docs page');

    const compact = page.locator('describe-generate').nth(1);
    await compact.getByRole('button', { name: ui.options, exact: true }).tap();
    await showSettings(compact, ui);
    await showGenerationOptions(compact, ui);
    await assertFitsPhone(page, 'with the compact app\'s options open');
  });
});
