// End-to-end tests for the files only the browser decodes (WebP, still or animated, goes through
// the browser's decoder and back into the core as pixels), for
// transparency and EXIF orientation on the way to the server, and for the files the app must refuse with a clear reason and without losing the
// photo already chosen. Like app.test.mjs, each test chooses a file in the page and asserts what
// the person sees and what the test server received.
//
//   ./scripts/build && node --test --test-concurrency=1 tests/e2e/formats.test.mjs

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { encodePng } from '../../scripts/png.mjs';
import {
  TEST_TIMEOUT_MS,
  WAIT_MS,
  chooseGoodImage,
  chooseImage,
  click,
  previewImage,
  uploadedPhoto,
  useHarness,
  waitForOutcome,
} from './harness.mjs';
import {
  ROTATED_CLOCKWISE_LAYOUT,
  ROTATED_COUNTERCLOCKWISE_LAYOUT,
  STORED_LAYOUT,
  animatedWebp,
  corruptBytes,
  corruptWebp,
  decodeJpeg,
  encodeInBrowser,
  flatJpeg,
  quadrantColours,
  quadrantJpeg,
  quadrantPixels,
  quadrantsOf,
  withExifOrientation,
} from './images.mjs';

const harness = useHarness();
const postsReceived = () => harness.postsReceived();

/**
 * A valid 2×2 PNG whose header then claims `width`×`height`. The CRC no longer matches, which
 * does not matter: the size limit is checked on the header, before anything is decoded.
 */
function pngDeclaring(width, height) {
  const png = encodePng(2, 2, Buffer.alloc(2 * 2 * 4, 255));
  png.writeUInt32BE(width, 16); // IHDR data starts after the signature (8), length (4) and type (4)
  png.writeUInt32BE(height, 20);
  return png;
}

function rgbAt(image, x, y) {
  const offset = (y * image.width + x) * 4;
  return Array.from(image.data.subarray(offset, offset + 3));
}

function imageInfo(page) {
  return page.locator('#app .dg-image-info').textContent();
}

/** Natural size of the preview once it has loaded (it shows the prepared upload). */
function previewSize(page) {
  return previewImage(page).evaluate(async (img) => {
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
}

/** Captions the chosen photo and returns the JPEG the server received, decoded. */
async function captionedUpload(page) {
  assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });
  const posts = postsReceived();
  assert.ok(posts.length > 0, 'the server received no request');
  return uploadedPhoto(posts.at(-1), 'hf-inference');
}

const sizeOf = ({ width, height }) => ({ width, height });

/* --- formats decoded by the browser, transparency, orientation ------------------------------ */

describe('accepted formats', { timeout: TEST_TIMEOUT_MS }, () => {
  test('a WebP photo is sent as a downscaled JPEG', async (t) => {
    const page = await harness.openApp(t);
    const webp = await encodeInBrowser(page, { width: 1600, height: 1200, type: 'image/webp' });

    await chooseImage(page, { name: 'photo.webp', mimeType: 'image/webp', buffer: webp });

    assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });
    assert.ok(await previewImage(page).isVisible(), 'the preview shows');
    assert.deepEqual(await previewSize(page), { width: 1024, height: 768 });
    assert.equal(await imageInfo(page), 'photo.webp · 1600 × 1200, sent as 1024 × 768');
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 1024, height: 768 });
    assert.deepEqual(quadrantsOf(photo), STORED_LAYOUT);
  });

  test('an animated WebP is decoded by the browser, and its first frame sent as a JPEG', async (t) => {
    const page = await harness.openApp(t);
    const still = await encodeInBrowser(page, { width: 1600, height: 1200, type: 'image/webp', quality: 1 });

    await chooseImage(page, { name: 'loop.webp', mimeType: 'image/webp', buffer: animatedWebp(still, 1600, 1200) });

    assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });
    assert.equal(await imageInfo(page), 'loop.webp · 1600 × 1200, sent as 1024 × 768');
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 1024, height: 768 });
    assert.deepEqual(quadrantsOf(photo), STORED_LAYOUT);
  });

  // The browser hands a 3200×2400 picture over at half size and the core's filter takes the last
  // step: the sizes shown are the picture's, and fine detail turns an even grey, without the faint
  // bands a single 3.125× step leaves (92 to 163 when the core was handed the full size).
  test('a large picture only the browser decodes keeps its size, layout and fine detail', async (t) => {
    const page = await harness.openApp(t);
    const still = await encodeInBrowser(page, { width: 3200, height: 2400, type: 'image/webp', quality: 1, striped: 'topLeft' });

    await chooseImage(page, { name: 'stripes.webp', mimeType: 'image/webp', buffer: animatedWebp(still, 3200, 2400) });

    assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });
    assert.equal(await imageInfo(page), 'stripes.webp · 3200 × 2400, sent as 1024 × 768');
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 1024, height: 768 });
    const { topRight, bottomLeft, bottomRight } = quadrantsOf(photo);
    assert.deepEqual({ topRight, bottomLeft, bottomRight }, { topRight: 'green', bottomLeft: 'blue', bottomRight: 'yellow' });
    const stripes = [];
    for (let y = 16; y < 384 - 16; y += 8) for (let x = 16; x < 512 - 16; x += 8) stripes.push(...rgbAt(photo, x, y));
    const [darkest, lightest] = [Math.min(...stripes), Math.max(...stripes)];
    assert.ok(darkest >= 108 && lightest <= 148, `striped area: expected an even grey, saw ${darkest} to ${lightest}`);
  });

  // Both must composite over white (lossy WebP carries its alpha in a separate ALPH chunk).
  for (const [format, type] of [['PNG', 'image/png'], ['WebP', 'image/webp']]) {
    test(`a ${format} with transparency arrives with the transparent area white`, async (t) => {
      const page = await harness.openApp(t);
      const picture = await encodeInBrowser(page, { width: 640, height: 480, type, transparent: 'bottomRight' });

      await chooseImage(page, { name: `cut-out.${format.toLowerCase()}`, mimeType: type, buffer: picture });
      assert.deepEqual(await waitForOutcome(page, 'Image ready.'), { status: 'Image ready.' });

      const photo = await captionedUpload(page);
      assert.deepEqual(sizeOf(photo), { width: 640, height: 480 });
      const { topLeft, topRight, bottomLeft } = quadrantsOf(photo);
      assert.deepEqual({ topLeft, topRight, bottomLeft }, { topLeft: 'red', topRight: 'green', bottomLeft: 'blue' });
      const cutOut = rgbAt(photo, 480, 360);
      assert.ok(cutOut.every((channel) => channel >= 245), `transparent area: expected white, saw rgb(${cutOut})`);
    });
  }

  test('a Display P3 photo (an iPhone\'s, a Mac\'s screenshot) is sent in the colours the browser shows', async (t) => {
    const page = await harness.openApp(t);
    const jpeg = await encodeInBrowser(page, { width: 1600, height: 1200, type: 'image/jpeg', quality: 0.95, colorSpace: 'display-p3' });

    await chooseGoodImage(page, jpeg);
    const photo = await captionedUpload(page);

    const sentPixels = quadrantPixels(photo);
    const storedPixels = quadrantPixels(decodeJpeg(jpeg));  // the numbers in the file, read without its profile
    for (const [quadrant, colour] of Object.entries(quadrantColours())) {
      const [sent, inFile] = [sentPixels[quadrant], storedPixels[quadrant]];
      assert.ok(sent.every((channel, i) => Math.abs(channel - colour[i]) <= 4), `${quadrant}: painted rgb(${colour}), sent rgb(${sent})`);
      assert.ok(inFile.some((channel, i) => Math.abs(channel - colour[i]) > 8), `${quadrant}: the file's own numbers rgb(${inFile}) should differ`);
    }
  });

  test('a 200-megapixel phone photo is decoded at reduced scale and sent at 1024 px', async (t) => {
    const page = await harness.openApp(t);

    await chooseGoodImage(page, flatJpeg(16320, 12240, 'blue'));

    assert.equal(await imageInfo(page), 'photo.jpg · 16320 × 12240, sent as 1024 × 768');
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 1024, height: 768 });
    assert.deepEqual(quadrantsOf(photo), { topLeft: 'blue', topRight: 'blue', bottomLeft: 'blue', bottomRight: 'blue' });
  });

  test('a JPEG tagged with EXIF orientation 8 reaches the server upright', async (t) => {
    const page = await harness.openApp(t);

    await chooseGoodImage(page, withExifOrientation(quadrantJpeg(1600, 1200), 8));

    assert.deepEqual(await previewSize(page), { width: 768, height: 1024 });
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 768, height: 1024 });
    assert.deepEqual(quadrantsOf(photo), ROTATED_COUNTERCLOCKWISE_LAYOUT);
  });
});

/* --- files that must be refused -------------------------------------------------------------- */

describe('refused files', { timeout: TEST_TIMEOUT_MS }, () => {
  test('a damaged WebP is named in the error, and the photo chosen before stays', async (t) => {
    const page = await harness.openApp(t);
    await chooseGoodImage(page, quadrantJpeg(1600, 1200));
    const previewBefore = await previewImage(page).getAttribute('src');
    const infoBefore = await imageInfo(page);

    await chooseImage(page, { name: 'photo.webp', mimeType: 'image/webp', buffer: corruptWebp() });
    const { alert } = await waitForOutcome(page, 'Image ready.');

    // The browser's decoder refused it; the message still names the format.
    assert.match(alert ?? '', /This WebP image cannot be opened/);
    assert.ok(await previewImage(page).isVisible(), 'the previous preview stays on screen');
    assert.equal(await previewImage(page).getAttribute('src'), previewBefore);
    assert.equal(await imageInfo(page), infoBefore);
    assert.equal(postsReceived().length, 0, 'a file that cannot be prepared is never sent');
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 1024, height: 768 });
    assert.deepEqual(quadrantsOf(photo), STORED_LAYOUT);
  });

  test('a HEIC this browser cannot open is named in the error with what to do, and the photo chosen before stays', async (t) => {
    const page = await harness.openApp(t);
    await chooseGoodImage(page, quadrantJpeg(1600, 1200));
    const previewBefore = await previewImage(page).getAttribute('src');
    // An iPhone photo's brand and a body no decoder can read (Chromium has no HEIC decoder at all).
    const box = (type, payload) => {
      const header = Buffer.alloc(8);
      header.writeUInt32BE(8 + payload.length);
      header.write(type, 4, 'latin1');
      return Buffer.concat([header, payload]);
    };
    const heic = Buffer.concat([box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')), box('mdat', corruptBytes(2048))]);

    await chooseImage(page, { name: 'IMG_0042.HEIC', mimeType: 'image/heic', buffer: heic });
    const { alert } = await waitForOutcome(page, 'Image ready.');

    assert.match(alert ?? '', /This HEIC image cannot be opened/);
    assert.match(alert, /Save it as JPEG or PNG/);
    assert.equal(await previewImage(page).getAttribute('src'), previewBefore, 'the previous preview stays');
    assert.equal(postsReceived().length, 0, 'a file that cannot be prepared is never sent');
  });

  test('a text file named photo.png is refused as not an image, naming the formats accepted', async (t) => {
    const page = await harness.openApp(t);
    const text = Buffer.from('Shopping list:\n- milk\n- bread\n', 'utf8');

    await chooseImage(page, { name: 'photo.png', mimeType: 'image/png', buffer: text });
    const { alert } = await waitForOutcome(page, 'Image ready.');

    assert.match(alert ?? '', /not an image/);
    for (const format of ['JPEG', 'PNG', 'GIF', 'BMP']) assert.ok(alert.includes(format), `the error names ${format}: ${alert}`);
    assert.ok(await previewImage(page).isHidden(), 'no preview for a refused file');
    assert.equal(postsReceived().length, 0);
  });

  test('a PNG declaring 30000×30000 is refused on its header, and the page stays usable', async (t) => {
    const page = await harness.openApp(t);

    await chooseImage(page, { name: 'huge.png', mimeType: 'image/png', buffer: pngDeclaring(30000, 30000) });
    const { alert } = await waitForOutcome(page, 'Image ready.');

    assert.match(alert ?? '', /30000×30000 \(900 megapixels\)/);
    assert.match(alert, /the largest accepted is 50 megapixels/);
    assert.ok(await previewImage(page).isHidden(), 'no preview for a refused file');
    await chooseGoodImage(page, quadrantJpeg(800, 600));
    const photo = await captionedUpload(page);
    assert.deepEqual(sizeOf(photo), { width: 800, height: 600 });
    assert.equal(postsReceived().length, 1);
  });
});

/* --- the worker's decode operation (generated images coming back) ---------------------------- */

describe('worker decode', { timeout: TEST_TIMEOUT_MS }, () => {
  /**
   * Sends each file to a fresh worker from the served build as a `decode` message and returns
   * every answer: {width, height, data} for pixels, {error} otherwise.
   */
  async function decodeInWorker(page, files) {
    const answers = await page.evaluate(async ({ files, waitMs }) => {
      const worker = new Worker('./worker.js', { type: 'module' });
      const next = () => new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => resolve(data);
        worker.onerror = (event) => reject(new Error(event.message || 'the worker failed to load'));
        setTimeout(() => reject(new Error('the worker did not answer')), waitMs);
      });
      try {
        const ready = await next();
        if (ready.type !== 'ready') throw new Error(`the worker did not start: ${JSON.stringify(ready)}`);
        const results = [];
        for (const [id, base64] of files.entries()) {
          const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)).buffer;
          const answer = next();
          worker.postMessage({ id, type: 'decode', payload: { bytes } }, [bytes]);
          const { result, error } = await answer;
          results.push(error ? { error } : { width: result.width, height: result.height, data: Array.from(new Uint8Array(result.rgba)) });
        }
        return results;
      } finally {
        worker.terminate();
      }
    }, { files: files.map((file) => file.toString('base64')), waitMs: WAIT_MS });
    return answers.map((answer) => (answer.error ? answer : { ...answer, data: Uint8Array.from(answer.data) }));
  }

  test('"decode" returns upright pixels for a WebP, an animated WebP (via the browser) and a rotated JPEG', async (t) => {
    const context = await harness.browser.newContext();
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(harness.site.url);
    const webp = await encodeInBrowser(page, { width: 64, height: 48, type: 'image/webp' });
    const animated = animatedWebp(await encodeInBrowser(page, { width: 64, height: 48, type: 'image/webp', quality: 1 }), 64, 48);
    const rotatedJpeg = withExifOrientation(quadrantJpeg(64, 48), 6);

    const [fromWebp, fromAnimated, fromJpeg] = await decodeInWorker(page, [webp, animated, rotatedJpeg]);

    for (const pixels of [fromWebp, fromAnimated]) {
      assert.deepEqual(sizeOf(pixels), { width: 64, height: 48 });
      assert.equal(pixels.data.length, 64 * 48 * 4);
      assert.deepEqual(quadrantsOf(pixels), STORED_LAYOUT);
    }
    assert.deepEqual(sizeOf(fromJpeg), { width: 48, height: 64 });
    assert.equal(fromJpeg.data.length, 48 * 64 * 4);
    assert.deepEqual(quadrantsOf(fromJpeg), ROTATED_CLOCKWISE_LAYOUT);
  });
});
