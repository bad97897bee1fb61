// End-to-end tests: the release build in dist/ driven in Debian's Chromium against the local
// HF-compatible server. Page and server listen on different ports, so every request really goes
// through CORS. Each test asserts what the person sees and what the server received.
//
//   ./scripts/build && node --test --test-concurrency=1 tests/e2e/

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { serveStatic } from '../../scripts/serve.mjs';
import {
  DIST,
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  TOKEN,
  alertBox,
  assertAuthorized,
  assertGeneratedImageShown,
  captionBox,
  chooseGoodImage,
  chooseImage,
  click,
  fieldValues,
  generatedImage,
  promptOf,
  showGenerationOptions,
  showSettings,
  uploadedPhoto,
  useHarness,
  waitForOutcome,
} from './harness.mjs';
import {
  ROTATED_CLOCKWISE_LAYOUT,
  STORED_LAYOUT,
  corruptBytes,
  quadrantJpeg,
  quadrantsOf,
  withExifOrientation,
} from './images.mjs';

const harness = useHarness();
const endpoint = (scenario) => harness.endpoint(scenario);
const postsReceived = () => harness.postsReceived();
const openApp = (t, options) => harness.openApp(t, options);

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
    assert.equal(await alertBox(page).textContent(), '');
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
    const context = await harness.browser.newContext();
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

  test('every setting and generation option is remembered across visits, the token is not', async (t) => {
    const chosen = {
      'Endpoint style': 'dedicated',
      'Captioning endpoint': endpoint('custom-caption'),
      'Chat model captioning': true,
      'Chat model': 'org/vision-model',
      'Chat prompt': 'One short sentence, please.',
      'Captioning timeout (s)': '30',
      'Longest side (px)': '512',
      'Generation endpoint': endpoint('custom-generate'),
      'OpenAI-style image generation': true,
      'Image model': 'org/image-model',
      'Generation timeout (s)': '90',
      'Negative prompt': 'blurry',
      Steps: '4',
      'Guidance scale': '3.5',
      Width: '512',
      Height: '512',
      'Random seed': false,
      Seed: '42',
    };
    const page = await openApp(t, { settings: chosen });
    const before = await fieldValues(page);

    await page.reload();
    await showSettings(page);
    await showGenerationOptions(page);

    assert.deepEqual(await fieldValues(page), { ...before, 'Hugging Face token': '' });
    for (const [label, value] of Object.entries(chosen)) assert.equal(before[label], value, label);
  });

  test('"Restore default settings" brings back the defaults and keeps the token', async (t) => {
    const page = await openApp(t, { settings: { 'Chat model captioning': true, 'Captioning timeout (s)': '5' } });

    await page.getByRole('button', { name: 'Restore default settings', exact: true }).click();

    const values = await fieldValues(page);
    assert.equal(values['Endpoint style'], 'hf-inference');
    assert.match(values['Captioning endpoint'], /^https:\/\/router\.huggingface\.co\/hf-inference\/models\//);
    assert.equal(values['Chat model captioning'], false);
    assert.equal(values['Captioning timeout (s)'], '60');
    assert.equal(values['Generation timeout (s)'], '120');
    assert.equal(values['Hugging Face token'], TOKEN);
  });
});
