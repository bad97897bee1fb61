// Every kind of endpoint people use and every answer shape they give (hf-api.md, sections 1 to 3
// and 6), through the real app: the caption or picture the person sees, and exactly what the
// server received. Also the generation options (only set values are sent; the seed is shown) and
// the page options an embedding uses.
//
//   ./scripts/build && node --test --test-concurrency=1 tests/e2e/

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CHARSET_CAPTION, CHAT_CAPTION, TEST_CARD } from '../server/hf-server.mjs';
import {
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  TOKEN,
  WAIT_MS,
  assertAuthorized,
  assertGeneratedImageShown,
  captionBox,
  chooseGoodImage,
  click,
  fieldValues,
  fillFields,
  jsonBody,
  mediaType,
  statusLine,
  uploadedPhoto,
  useHarness,
} from './harness.mjs';
import { STORED_LAYOUT, decodeJpeg, quadrantJpeg, quadrantsOf } from './images.mjs';

const harness = useHarness();
// Encoded once: building a JPEG in JavaScript is slow enough to matter over many tests.
const PHOTO = quadrantJpeg(800, 600);

const CHAT_ROUTE = '/v1/chat/completions';
const OPENAI_IMAGES_ROUTE = '/v1/images/generations';
const CHAT = { 'Chat model captioning': true };
const OPENAI = { 'OpenAI-style image generation': true };

function postsReceived() {
  return harness.postsReceived();
}

/* --- captioning ---------------------------------------------------------------------------- */

const CAPTION_SHAPES = [
  { scenario: 'caption-array', expected: SERVER_CAPTION },
  { scenario: 'caption-object', expected: SERVER_CAPTION },
  { scenario: 'caption-many', expected: SERVER_CAPTION },
  { scenario: 'caption-extra-keys', expected: SERVER_CAPTION },
  { scenario: 'caption-charset', expected: CHARSET_CAPTION },
  { scenario: 'caption-charset-upper', expected: CHARSET_CAPTION },
  // Answers 400 to a missing or unlisted Content-Type, as dedicated endpoints do.
  { scenario: 'caption-strict', style: 'dedicated', expected: SERVER_CAPTION },
  { scenario: 'custom-caption', style: 'custom-json', expected: SERVER_CAPTION },
  { scenario: 'chat', route: CHAT_ROUTE, settings: CHAT, expected: CHAT_CAPTION },
  { scenario: 'chat-array', route: CHAT_ROUTE, settings: CHAT, expected: CHAT_CAPTION },
];

describe('caption answer shapes', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const { scenario, style = 'hf-inference', route, settings, expected } of CAPTION_SHAPES) {
    test(`${scenario} (${settings ? 'chat' : style}) shows "${expected}"`, async (t) => {
      const page = await harness.openApp(t, { style, caption: harness.endpoint(scenario, route), settings });
      await chooseGoodImage(page, PHOTO);

      assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });

      assert.equal(await captionBox(page).inputValue(), expected);
      const posts = postsReceived();
      assert.equal(posts.length, 1);
      assertAuthorized(posts[0]);
      if (!settings) {
        const photo = uploadedPhoto(posts[0], style);
        assert.deepEqual({ width: photo.width, height: photo.height }, { width: 800, height: 600 });
      }
    });
  }
});

describe('chat model captioning', { timeout: TEST_TIMEOUT_MS }, () => {
  /** The photo and prompt a chat request carried, checking the request's shape on the way. */
  function chatRequest(request) {
    assert.ok(request.path.endsWith(CHAT_ROUTE));
    const body = jsonBody(request);
    assert.equal(body.stream, false);
    const [message] = body.messages;
    assert.equal(message.role, 'user');
    const text = message.content.find((part) => part.type === 'text')?.text;
    const url = message.content.find((part) => part.type === 'image_url')?.image_url?.url ?? '';
    const prefix = 'data:image/jpeg;base64,';
    assert.ok(url.startsWith(prefix), `the image travels as a ${prefix} URL`);
    return { model: body.model, text, photo: decodeJpeg(Buffer.from(url.slice(prefix.length), 'base64')) };
  }

  test('sends the photo as a data:image/jpeg URL with the default model and prompt', async (t) => {
    const page = await harness.openApp(t, { caption: harness.endpoint('chat', CHAT_ROUTE), settings: CHAT });
    await chooseGoodImage(page, quadrantJpeg(1600, 1200));

    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });

    assert.equal(await captionBox(page).inputValue(), CHAT_CAPTION);
    const { model, text, photo } = chatRequest(postsReceived()[0]);
    assert.equal(model, 'Qwen/Qwen2.5-VL-3B-Instruct');
    assert.equal(text, 'Describe this image in one sentence.');
    assert.deepEqual({ width: photo.width, height: photo.height }, { width: 1024, height: 768 });
    assert.deepEqual(quadrantsOf(photo), STORED_LAYOUT);
    assertAuthorized(postsReceived()[0]);
  });

  test('the chat model and prompt are configurable', async (t) => {
    const settings = { ...CHAT, 'Chat model': 'org/vision-model:fastest', 'Chat prompt': 'Name the colours.' };
    const page = await harness.openApp(t, { caption: harness.endpoint('chat', CHAT_ROUTE), settings });
    await chooseGoodImage(page, PHOTO);

    assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });

    const { model, text } = chatRequest(postsReceived()[0]);
    assert.deepEqual({ model, text }, { model: 'org/vision-model:fastest', text: 'Name the colours.' });
  });

  test('ticking an alternative API offers its router address, unticking brings the default back', async (t) => {
    const page = await harness.openApp(t);
    const defaults = await page.evaluate(async () => {
      const main = await import('./main.js');
      return { caption: main.DEFAULT_CAPTION_URL, generation: main.DEFAULT_GENERATION_URL };
    });
    await fillFields(page, { 'Captioning endpoint': defaults.caption, 'Generation endpoint': defaults.generation });

    await fillFields(page, { ...CHAT, ...OPENAI });
    let values = await fieldValues(page);
    assert.equal(values['Captioning endpoint'], 'https://router.huggingface.co/v1/chat/completions');
    assert.equal(values['Generation endpoint'], 'https://router.huggingface.co/together/v1/images/generations');
    assert.equal(values['Chat model'], 'Qwen/Qwen2.5-VL-3B-Instruct');
    assert.equal(values['Image model'], 'black-forest-labs/FLUX.1-schnell');

    await fillFields(page, { 'Chat model captioning': false, 'OpenAI-style image generation': false });
    values = await fieldValues(page);
    assert.equal(values['Captioning endpoint'], defaults.caption);
    assert.equal(values['Generation endpoint'], defaults.generation);
    assert.ok(!(await page.getByLabel('Chat model', { exact: true }).isVisible()), 'chat fields only for chat');
  });
});

/* --- generation ---------------------------------------------------------------------------- */

const GENERATION_SHAPES = [
  { scenario: 'gen-jpeg', format: 'jpeg' },
  { scenario: 'gen-png-as-jpeg', format: 'png' },
  { scenario: 'gen-webp', format: 'webp' },
  { scenario: 'gen-json-b64', format: 'png' },
  { scenario: 'gen-data-uri', format: 'png' },
  { scenario: 'custom-generate', style: 'custom-json', format: 'png' },
  { scenario: 'dedicated', style: 'dedicated', format: 'png' },
  { scenario: 'openai-b64', route: OPENAI_IMAGES_ROUTE, settings: OPENAI, format: 'png' },
  { scenario: 'openai-url', route: OPENAI_IMAGES_ROUTE, settings: OPENAI, format: 'png', file: 'generated.png' },
  { scenario: 'openai-url-mislabelled', route: OPENAI_IMAGES_ROUTE, settings: OPENAI, format: 'webp', file: 'mislabelled.png' },
];

const PROMPT = 'a red and blue flag';

// What each endpoint kind must have been sent, beyond the token.
const EXPECTED_REQUEST = {
  'hf-inference': (request) => {
    const { inputs, parameters } = jsonBody(request);
    assert.equal(inputs, PROMPT);
    assert.deepEqual(Object.keys(parameters), ['seed'], 'only the random seed is set');
  },
  'custom-json': (request) => assert.equal(jsonBody(request).inputs, PROMPT),
  dedicated: (request) => {
    assert.equal(request.headers.accept, 'image/png', 'dedicated endpoints are asked for PNG bytes');
    assert.equal(jsonBody(request).inputs, PROMPT);
  },
  openai: (request) => {
    const { prompt, model, response_format: format } = jsonBody(request);
    assert.deepEqual({ prompt, model, format }, { prompt: PROMPT, model: 'black-forest-labs/FLUX.1-schnell', format: 'b64_json' });
  },
};

describe('generation answer shapes', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const { scenario, style = 'hf-inference', route, settings, format, file } of GENERATION_SHAPES) {
    test(`${scenario} (${settings ? 'OpenAI-style' : style}) shows the ${TEST_CARD.width}x${TEST_CARD.height} picture as ${format}`, async (t) => {
      const page = await harness.openApp(t, { style, generation: harness.endpoint(scenario, route), settings });
      await captionBox(page).fill(PROMPT);

      assert.deepEqual(await click(page, 'Generate image', 'Picture ready.'), { status: 'Picture ready.' });

      await assertGeneratedImageShown(page, { alt: PROMPT, format });
      const [post, ...others] = postsReceived();
      assert.equal(others.length, 0);
      assertAuthorized(post);
      EXPECTED_REQUEST[settings ? 'openai' : style](post);
      if (file) {
        // The picture's own address is fetched without the token: it may be on another host.
        const download = harness.hf.requests.find((request) => request.method === 'GET');
        assert.equal(download?.path, `/files/${file}`);
        assert.equal(download.headers.authorization, undefined);
      }
    });
  }
});

describe('generation options', { timeout: TEST_TIMEOUT_MS }, () => {
  async function generate(page, prompt = PROMPT) {
    await captionBox(page).fill(prompt);
    assert.deepEqual(await click(page, 'Generate image', 'Picture ready.'), { status: 'Picture ready.' });
    return jsonBody(postsReceived().at(-1));
  }

  const seedShown = (page) => page.getByText(/^Seed: \d+$/);

  test('a random seed is drawn for each picture, sent, shown, and kept when "Random seed" is unticked', async (t) => {
    const page = await harness.openApp(t);

    const first = await generate(page);
    assert.deepEqual(Object.keys(first.parameters), ['seed'], 'only the seed is set by default');
    const { seed } = first.parameters;
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 - 1, `seed ${seed}`);
    assert.equal(await seedShown(page).textContent(), `Seed: ${seed}`);

    const second = await generate(page);
    assert.notEqual(second.parameters.seed, seed, 'every picture gets a new seed');
    assert.equal(await seedShown(page).textContent(), `Seed: ${second.parameters.seed}`);

    await fillFields(page, { 'Random seed': false });
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), String(second.parameters.seed));
    const repeated = await generate(page);
    assert.equal(repeated.parameters.seed, second.parameters.seed, 'the shown picture can be painted again');
    assert.equal(await seedShown(page).textContent(), `Seed: ${second.parameters.seed}`);
  });

  test('with nothing set, no parameters are sent and no seed is shown', async (t) => {
    const page = await harness.openApp(t, { settings: { 'Random seed': false } });

    const body = await generate(page);

    assert.deepEqual(body, { inputs: PROMPT });
    assert.equal(await seedShown(page).count(), 0);
  });

  test('every option set is sent as set, zero included, and the picture comes at the asked size', async (t) => {
    const options = {
      'Negative prompt': 'blurry, text',
      Steps: '4',
      'Guidance scale': '0',
      Width: '128',
      Height: '96',
      'Random seed': false,
      Seed: '42',
    };
    const page = await harness.openApp(t, { settings: options });

    const body = await generate(page);

    assert.deepEqual(body.parameters, {
      negative_prompt: 'blurry, text',
      num_inference_steps: 4,
      guidance_scale: 0,
      width: 128,
      height: 96,
      seed: 42,
    });
    await assertGeneratedImageShown(page, { alt: PROMPT, format: 'jpeg', size: { width: 128, height: 96 } });
    assert.equal(await seedShown(page).textContent(), 'Seed: 42');
  });

  test('a dedicated endpoint gets a square size and answers PNG bytes at that size', async (t) => {
    const page = await harness.openApp(t, { style: 'dedicated', generation: 'dedicated', settings: { Width: '96', Height: '96' } });

    const body = await generate(page);

    assert.equal(postsReceived()[0].headers.accept, 'image/png');
    assert.deepEqual({ width: body.parameters.width, height: body.parameters.height }, { width: 96, height: 96 });
    assert.ok(await page.getByText(/Dedicated endpoints accept only square sizes/).isVisible());
    assert.equal(await page.getByText(/Width and height differ/).isVisible(), false, 'no warning for a square size');
    await assertGeneratedImageShown(page, { alt: PROMPT, format: 'png', size: { width: 96, height: 96 } });
  });

  test('OpenAI-style generation sends the size as "WxH" and the seed', async (t) => {
    const settings = { ...OPENAI, 'Image model': 'org/image-model', Width: '128', Height: '96', 'Random seed': false, Seed: '7' };
    const page = await harness.openApp(t, { generation: harness.endpoint('openai-b64', OPENAI_IMAGES_ROUTE), settings });

    const body = await generate(page);

    assert.deepEqual(body, {
      prompt: PROMPT,
      model: 'org/image-model',
      response_format: 'b64_json',
      size: '128x96',
      seed: 7,
    });
    await assertGeneratedImageShown(page, { alt: PROMPT, format: 'png', size: { width: 128, height: 96 } });
  });

  test('a value out of range is named, opened for editing, and nothing is sent', async (t) => {
    const page = await harness.openApp(t, { settings: { Steps: '0' } });
    await page.locator('summary', { hasText: 'Generation options' }).click(); // closed again
    await captionBox(page).fill(PROMPT);

    const { alert } = await click(page, 'Generate image', 'Picture ready.');

    assert.match(alert, /Steps/);
    assert.equal(postsReceived().length, 0);
    const steps = page.getByLabel('Steps', { exact: true });
    assert.ok(await steps.isVisible());
    assert.ok(await steps.evaluate((field) => field === document.activeElement));
  });
});

/* --- page options -------------------------------------------------------------------------- */

describe('page options', { timeout: TEST_TIMEOUT_MS }, () => {
  test('?retryDelayScale is clamped to 1: a loading model\'s wait is its own estimate, not five times it', async (t) => {
    const page = await harness.openApp(t, { query: '?retryDelayScale=5', caption: 'loading-forever' });
    await chooseGoodImage(page, PHOTO);

    await page.getByRole('button', { name: 'Generate caption', exact: true }).click();
    const bar = page.getByRole('progressbar', { name: 'Model loading' });
    await bar.waitFor({ timeout: WAIT_MS });

    assert.equal(await bar.getAttribute('max'), '20000', 'estimated_time 20.0 s, unscaled');
    assert.match(await statusLine(page).textContent(), /trying again in 20 s \(attempt 2 of 5\)/);
    assert.deepEqual(await click(page, 'Cancel', 'Cancelled.'), { status: 'Cancelled.' });
  });

  test('mountApp({ compact, captionUrl, generationUrl, endpointStyle }) starts tidy, with those endpoints', async (t) => {
    const page = await harness.openApp(t);
    const captionUrl = harness.endpoint('caption-object');
    const generationUrl = harness.endpoint('dedicated');
    await page.evaluate(async (options) => {
      const { mountApp } = await import('./main.js');
      const container = document.createElement('div');
      container.id = 'embedded';
      document.body.append(container);
      mountApp(container, { ...options, compact: true, endpointStyle: 'dedicated', language: 'en', storage: null });
    }, { captionUrl, generationUrl });
    const app = page.locator('#embedded');
    const toggle = app.getByRole('button', { name: 'Options', exact: true });

    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(!(await app.getByText('Generation options', { exact: true }).isVisible()));
    assert.ok(!(await app.getByText('Settings', { exact: true }).isVisible()));

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await app.getByText('Generation options', { exact: true }).isVisible());
    // Without a token the settings come up open, as in the full page.
    assert.equal(await app.getByLabel('Captioning endpoint', { exact: true }).inputValue(), captionUrl);
    assert.equal(await app.getByLabel('Generation endpoint', { exact: true }).inputValue(), generationUrl);
    assert.equal(await app.getByLabel('Endpoint style', { exact: true }).inputValue(), 'dedicated');

    // The embedded app works on its own: it captions with the endpoint it was given.
    await app.getByLabel('Hugging Face token', { exact: true }).fill(TOKEN);
    await app.getByLabel('Image', { exact: true }).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await app.getByRole('status').filter({ hasText: 'Image ready.' }).waitFor({ timeout: WAIT_MS });
    await app.getByRole('button', { name: 'Generate caption', exact: true }).click();
    await app.getByRole('status').filter({ hasText: 'Caption ready.' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await app.getByLabel('Caption', { exact: true }).inputValue(), SERVER_CAPTION);
    assert.equal(mediaType(postsReceived()[0]), 'image/jpeg');
  });
});
