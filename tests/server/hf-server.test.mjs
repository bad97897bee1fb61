// Checks that the HF-compatible test server answers each scenario as documented, so browser tests
// built on it fail only for the client's faults.
//
//   node --test tests/server/

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import jpeg from 'jpeg-js';
import {
  CAPTION,
  CHARSET_CAPTION,
  CHAT_CAPTION,
  LEGACY_TEXT,
  RATE_LIMIT_ERROR,
  SCENARIO_SUMMARIES,
  TEST_CARD,
  TEST_TOKEN,
  startHfServer,
  testCardJpeg,
} from './hf-server.mjs';

let server;
before(async () => {
  server = await startHfServer({ delayScale: 0.01 });
});
after(() => server.close());
beforeEach(() => server.reset());

// ---------------------------------------------------------------------------------------------
// Helpers. node:http rather than fetch: it sends exactly the headers given (Origin included) and
// reports a half-sent body as an error instead of hiding it.

function send(path, { method = 'POST', headers = {}, body, signal } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, headers, signal }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
      res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { headers: res.headers })));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const jpegBytes = testCardJpeg(16, 12);

// The request each kind of client call makes.
const REQUESTS = {
  captionBytes: { headers: { 'content-type': 'image/jpeg' }, body: jpegBytes },
  captionJson: jsonRequest({ inputs: jpegBytes.toString('base64') }),
  generate: jsonRequest({ inputs: 'a red and blue test card', parameters: { width: 40, height: 24 } }),
  openai: jsonRequest({ prompt: 'a test card', model: 'x/y', response_format: 'b64_json' }),
  chat: jsonRequest({
    model: 'Qwen/Qwen2.5-VL-3B-Instruct',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe this image in one sentence.' },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${jpegBytes.toString('base64')}` } },
        ],
      },
    ],
    max_tokens: 64,
    stream: false,
  }),
};

function jsonRequest(value, headers = {}) {
  return { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

const json = (response) => JSON.parse(response.body.toString('utf8'));
const text = (response) => response.body.toString('utf8');

function pngSize(bytes) {
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function assertTestCardJpeg(bytes, width, height) {
  const image = jpeg.decode(bytes, { useTArray: true });
  assert.deepEqual({ width: image.width, height: image.height }, { width, height });
  const pixel = (x, y) => Array.from(image.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3));
  const near = (actual, expected) => actual.every((v, i) => Math.abs(v - expected[i]) < 24);
  assert.ok(near(pixel(2, height >> 1), TEST_CARD.left), `left pixel ${pixel(2, height >> 1)}`);
  assert.ok(near(pixel(width - 3, height >> 1), TEST_CARD.right), `right pixel ${pixel(width - 3, height >> 1)}`);
}

const assertCaptionArray = (r) => assert.deepEqual(json(r), [{ generated_text: CAPTION }]);
const assertError = (message) => (r) => assert.deepEqual(json(r), { error: message });
const assertErrorMatches = (pattern) => (r) => assert.match(json(r).error, pattern);
const assertText = (expected) => (r) => assert.equal(text(r), expected);
const assertHtml = (r) => assert.match(text(r), /^<html>/);
const chatContent = (r) => json(r).choices[0].message.content;

// ---------------------------------------------------------------------------------------------
// One request per row: [scenario, request, status, content type, body check].

const MODEL = '/models/Salesforce/blip-image-captioning-large';
const CHAT = '/v1/chat/completions';

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const HTML_TYPE = 'text/html';
const OPENAI_IMAGES = '/v1/images/generations';
const pngFromB64 = (value) => pngSize(Buffer.from(value, 'base64'));

const TABLE = [
  ['caption-array', MODEL, 'captionBytes', 200, JSON_TYPE, (r) =>
    assert.equal(text(r), '[{"generated_text":"a red and blue test card "}]')],
  ['caption-object', MODEL, 'captionBytes', 200, JSON_TYPE, (r) =>
    assert.deepEqual(json(r), { generated_text: CAPTION })],
  ['caption-many', MODEL, 'captionBytes', 200, JSON_TYPE, (r) => {
    assert.ok(json(r).length > 1);
    assert.equal(json(r)[0].generated_text, CAPTION);
  }],
  ['caption-extra-keys', MODEL, 'captionBytes', 200, JSON_TYPE, (r) => assert.ok(Array.isArray(json(r)[0].warnings))],
  ['caption-charset', MODEL, 'captionBytes', 200, 'application/json; charset=utf-8', (r) =>
    assert.equal(json(r)[0].generated_text, CHARSET_CAPTION)],
  ['caption-charset-upper', MODEL, 'captionBytes', 200, 'application/json;charset=UTF-8', (r) =>
    assert.equal(json(r)[0].generated_text, CHARSET_CAPTION)],
  ['caption-strict', MODEL, 'captionBytes', 200, JSON_TYPE, assertCaptionArray],
  ['custom-caption', '', 'captionJson', 200, JSON_TYPE, assertCaptionArray],
  ['custom-generate', '', 'generate', 200, JSON_TYPE, (r) =>
    assert.deepEqual(pngFromB64(json(r)), { width: 40, height: 24 })],
  ['gen-jpeg', MODEL, 'generate', 200, 'image/jpeg', (r) => assertTestCardJpeg(r.body, 40, 24)],
  ['gen-png-as-jpeg', MODEL, 'generate', 200, 'image/jpeg', (r) =>
    assert.deepEqual(pngSize(r.body), { width: 40, height: 24 })],
  ['gen-webp', MODEL, 'generate', 200, 'image/webp', (r) => {
    assert.equal(r.body.toString('latin1', 0, 4), 'RIFF');
    assert.equal(r.body.toString('latin1', 8, 12), 'WEBP');
  }],
  ['gen-json-b64', MODEL, 'generate', 200, JSON_TYPE, (r) => pngFromB64(json(r))],
  ['gen-data-uri', MODEL, 'generate', 200, JSON_TYPE, (r) => {
    assert.match(json(r), /^data:image\/png;base64,/);
    pngFromB64(json(r).split(',')[1]);
  }],
  ['openai-b64', OPENAI_IMAGES, 'openai', 200, JSON_TYPE, (r) => pngFromB64(json(r).data[0].b64_json)],
  ['openai-url', OPENAI_IMAGES, 'openai', 200, JSON_TYPE, (r) =>
    assert.equal(json(r).data[0].url, `${server.url}/files/generated.png`)],
  ['openai-url-mislabelled', OPENAI_IMAGES, 'openai', 200, JSON_TYPE, (r) =>
    assert.match(json(r).data[0].url, /\/files\/mislabelled\.png$/)],
  ['legacy', MODEL, 'captionBytes', 410, TEXT_TYPE, assertText(LEGACY_TEXT)],
  ['legacy-text', MODEL, 'captionBytes', 410, TEXT_TYPE, assertText(LEGACY_TEXT)],
  ['loading-forever', MODEL, 'captionBytes', 503, JSON_TYPE, (r) =>
    assert.equal(
      text(r),
      '{"error":"Model Salesforce/blip-image-captioning-large is currently loading","estimated_time":20.0}',
    )],
  ['rate-limited', MODEL, 'captionBytes', 429, JSON_TYPE, assertError(RATE_LIMIT_ERROR)],
  ['bad-gateway', MODEL, 'captionBytes', 502, HTML_TYPE, assertHtml],
  ['gateway-timeout', MODEL, 'captionBytes', 504, HTML_TYPE, assertHtml],
  ['unauthorized', MODEL, 'captionBytes', 401, JSON_TYPE, assertError('Invalid credentials in Authorization header')],
  ['forbidden', MODEL, 'captionBytes', 403, JSON_TYPE,
    assertErrorMatches(/sufficient permissions to call Inference Providers/)],
  ['payment', MODEL, 'captionBytes', 402, TEXT_TYPE, (r) => assert.match(text(r), /credits/)],
  ['payment-json', MODEL, 'captionBytes', 402, JSON_TYPE, assertErrorMatches(/credits/)],
  ['not-found-json', '/models/x/y', 'captionBytes', 404, JSON_TYPE, assertError('Model x/y does not exist')],
  ['not-found-text', MODEL, 'captionBytes', 404, TEXT_TYPE, assertText('Not Found')],
  ['not-supported', '/models/stabilityai/stable-diffusion-2-1', 'generate', 400, JSON_TYPE,
    assertError('Model stabilityai/stable-diffusion-2-1 is not supported by provider hf-inference.')],
  ['bad-request-array', MODEL, 'generate', 400, JSON_TYPE, (r) => assert.equal(json(r).error.length, 2)],
  ['deprecated', MODEL, 'generate', 410, JSON_TYPE, assertErrorMatches(/deprecated/)],
  ['too-large', MODEL, 'captionBytes', 413, TEXT_TYPE,
    assertText('Failed to buffer the request body: length limit exceeded')],
  ['unprocessable-json', MODEL, 'generate', 422, JSON_TYPE, (r) => assert.equal(json(r).error_type, 'validation')],
  ['unprocessable-text', MODEL, 'generate', 422, TEXT_TYPE, (r) => assert.match(text(r), /Unprocessable/)],
  ['unprocessable-detail', MODEL, 'generate', 422, JSON_TYPE, (r) =>
    assert.deepEqual(json(r).detail[0], { msg: 'field required', loc: ['body', 'inputs'], type: 'value_error.missing' })],
  ['unprocessable-problem', MODEL, 'generate', 422, 'application/problem+json', (r) => {
    assert.equal(json(r).title, 'Unprocessable Entity');
    assert.equal(typeof json(r).detail, 'string');
  }],
  ['html-200', MODEL, 'captionBytes', 200, HTML_TYPE, assertHtml],
  ['truncated-json', MODEL, 'captionBytes', 200, JSON_TYPE, (r) => {
    assert.throws(() => json(r), SyntaxError);
    assert.ok('[{"generated_text":"a red and blue test card "}]'.startsWith(text(r)));
  }],
  ['truncated-json', MODEL, 'generate', 200, JSON_TYPE, (r) => assert.match(text(r), /^"iVBORw0KGgo[A-Za-z0-9+/]+$/)],
  ['chat', CHAT, 'chat', 200, JSON_TYPE, (r) => assert.equal(chatContent(r), CHAT_CAPTION)],
  ['chat-array', CHAT, 'chat', 200, JSON_TYPE, (r) =>
    assert.deepEqual(chatContent(r), [{ type: 'text', text: CHAT_CAPTION }])],
  ['chat-null', CHAT, 'chat', 200, JSON_TYPE, (r) => assert.equal(chatContent(r), null)],
  ['chat-error', CHAT, 'chat', 400, JSON_TYPE, (r) => {
    assert.equal(json(r).error.type, 'invalid_request_error');
    assert.match(json(r).error.message, /image/);
  }],
];

for (const [scenario, rest, kind, status, type, check] of TABLE) {
  test(`${scenario} answers ${status} ${type} to a ${kind} request`, async () => {
    const response = await send(`/${scenario}${rest}`, REQUESTS[kind]);
    assert.equal(response.status, status, text(response).slice(0, 200));
    assert.equal(response.headers['content-type'], type);
    assert.match(response.headers['x-request-id'], new RegExp(`^req-${scenario}-\\d+$`));
    check(response);
  });
}

// Scenarios whose behaviour needs more than one request are covered by the tests below.
const COVERED_BELOW = [
  'dedicated', 'no-cors', 'slow', 'drop', 'retry-after', 'loading-twice', 'scaling-empty', 'scaling-html',
  'error500-once', 'auth',
];

test('every scenario is checked', () => {
  const checked = new Set([...TABLE.map(([name]) => name), ...COVERED_BELOW]);
  assert.deepEqual(Object.keys(SCENARIO_SUMMARIES).filter((name) => !checked.has(name)), []);
});

// ---------------------------------------------------------------------------------------------

test('retry scenarios fail a set number of times per scenario, then answer by request kind', async () => {
  const statuses = async (scenario, kind, count) => {
    const out = [];
    for (let i = 0; i < count; i += 1) out.push((await send(`/${scenario}${MODEL}`, REQUESTS[kind])).status);
    return out;
  };
  assert.deepEqual(await statuses('loading-twice', 'captionBytes', 4), [503, 503, 200, 200]);
  assert.deepEqual(await statuses('loading-forever', 'captionBytes', 3), [503, 503, 503]);
  assert.deepEqual(await statuses('error500-once', 'generate', 2), [500, 200]);
  assert.equal(server.attempts('loading-twice'), 4);

  server.reset();
  assert.equal(server.attempts('loading-twice'), 0);
  const first = await send(`/loading-twice${MODEL}`, REQUESTS.generate);
  assert.equal(json(first).estimated_time, 20);
  await send(`/loading-twice${MODEL}`, REQUESTS.generate);
  assertTestCardJpeg((await send(`/loading-twice${MODEL}`, REQUESTS.generate)).body, 40, 24);

  const empty = await send(`/scaling-empty${MODEL}`, REQUESTS.captionJson);
  assert.deepEqual([empty.status, empty.body.length], [503, 0]);
  assertCaptionArray(await send(`/scaling-empty${MODEL}`, REQUESTS.captionJson));

  const html = await send(`/scaling-html${MODEL}`, REQUESTS.chat);
  assert.deepEqual([html.status, html.headers['content-type']], [503, 'text/html']);
  assert.equal(chatContent(await send(`/scaling-html${CHAT}`, REQUESTS.chat)), CHAT_CAPTION);

  assert.deepEqual(
    json(await send(`/error500-once${MODEL}`, REQUESTS.captionBytes)),
    { error: 'unknown error', warnings: [] },
  );
});

test('retry-after sends a Retry-After header a browser cannot read, then succeeds', async () => {
  const headers = { ...REQUESTS.captionBytes.headers, origin: 'http://app.test' };
  const limited = await send(`/retry-after${MODEL}`, { ...REQUESTS.captionBytes, headers });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers['retry-after'], '1');
  assert.doesNotMatch(limited.headers['access-control-expose-headers'], /retry-after/i);
  assertCaptionArray(await send(`/retry-after${MODEL}`, REQUESTS.captionBytes));
});

test('preflight mirrors origin and requested headers, without Max-Age', async () => {
  const response = await send(`/caption-array${MODEL}`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://localhost:8080',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
  assert.equal(response.status, 204);
  assert.equal(response.headers['access-control-allow-origin'], 'http://localhost:8080');
  assert.equal(response.headers['access-control-allow-methods'], 'POST, GET, OPTIONS');
  assert.equal(response.headers['access-control-allow-headers'], 'authorization,content-type');
  assert.equal(response.headers['access-control-max-age'], undefined);
  assert.equal(server.requests[0].method, 'OPTIONS');
  assert.equal(server.attempts('caption-array'), 0, 'a preflight is not an attempt');
});

test('actual responses mirror the origin and expose only the documented headers', async () => {
  const headers = { ...REQUESTS.captionBytes.headers, origin: 'http://localhost:8080' };
  const response = await send(`/caption-array${MODEL}`, { ...REQUESTS.captionBytes, headers });
  assert.equal(response.headers['access-control-allow-origin'], 'http://localhost:8080');
  assert.equal(response.headers['access-control-expose-headers'], 'x-request-id, x-compute-time, x-compute-type');

  const noCors = await send(`/no-cors${MODEL}`, { ...REQUESTS.captionBytes, headers });
  assert.equal(noCors.status, 200);
  assert.equal(noCors.headers['access-control-allow-origin'], undefined);
  assertCaptionArray(noCors);
});

test('legacy refuses the preflight with 410 and no CORS headers', async () => {
  const response = await send(`/legacy${MODEL}`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' },
  });
  assert.equal(response.status, 410);
  assert.equal(response.headers['access-control-allow-origin'], undefined);
  assert.match(text(response), /no longer supported, use router\.huggingface\.co/);
});

test('strict content type: missing or unlisted types get the toolkit 400', async () => {
  const missing = await send(`/caption-strict${MODEL}`, { body: jpegBytes });
  assert.equal(missing.status, 400);
  assert.match(json(missing).error, /^Content type "" not supported/);
  const octetType = { 'content-type': 'application/octet-stream' };
  const octet = await send(`/caption-strict${MODEL}`, { headers: octetType, body: jpegBytes });
  assert.match(json(octet).error, /^Content type "application\/octet-stream" not supported/);
  const custom = await send('/custom-caption', { headers: { 'content-type': 'image/jpeg' }, body: jpegBytes });
  assert.equal(custom.status, 400);
});

test('dedicated mode depends on Accept and rejects non-square sizes', async () => {
  const square = { inputs: 'a test card', parameters: { width: 32, height: 32 } };
  const bytes = await send('/dedicated', jsonRequest(square, { accept: 'image/png' }));
  assert.equal(bytes.headers['content-type'], 'image/png');
  assert.deepEqual(pngSize(bytes.body), { width: 32, height: 32 });

  const string = await send('/dedicated', jsonRequest(square));
  assert.equal(string.headers['content-type'], 'application/json');
  assert.deepEqual(pngSize(Buffer.from(json(string), 'base64')), { width: 32, height: 32 });

  const wide = await send('/dedicated', jsonRequest({ inputs: 'a test card', parameters: { width: 64, height: 32 } }));
  assert.equal(wide.status, 400);
  assert.match(json(wide).error, /64x32/);

  assertCaptionArray(await send('/dedicated', REQUESTS.captionBytes));
});

test('generation sizes are clamped to 1024', async () => {
  const huge = jsonRequest({ inputs: 'x', parameters: { width: 5000, height: 8 } });
  const response = await send(`/gen-png-as-jpeg${MODEL}`, huge);
  assert.deepEqual(pngSize(response.body), { width: 1024, height: 8 });
  const defaults = await send(`/gen-jpeg${MODEL}`, jsonRequest({ inputs: 'a prompt' }));
  assertTestCardJpeg(defaults.body, TEST_CARD.width, TEST_CARD.height);
});

test('openai-url points at a PNG served with CORS, and records whether a token was sent', async () => {
  const { data } = json(await send('/openai-url/v1/images/generations', REQUESTS.openai));
  const file = await send(new URL(data[0].url).pathname, {
    method: 'GET',
    headers: { origin: 'http://app.test' },
  });
  assert.equal(file.headers['content-type'], 'image/png');
  assert.equal(file.headers['access-control-allow-origin'], 'http://app.test');
  assert.deepEqual(pngSize(file.body), { width: TEST_CARD.width, height: TEST_CARD.height });
  const record = await server.waitForRequest((r) => r.scenario === 'files', 1000);
  assert.equal(record.headers.authorization, undefined);

  const lie = await send('/files/mislabelled.png', { method: 'GET' });
  assert.equal(lie.headers['content-type'], 'image/jpeg');
  assert.equal(lie.body.toString('latin1', 8, 12), 'WEBP');

  const wrong = await send('/openai-b64/v1/images/generations', jsonRequest({ prompt: 'x', model: 'y' }));
  assert.equal(wrong.status, 400);
  assert.equal(json(wrong).error.type, 'invalid_request_error');
});

test('auth accepts exactly the test token', async () => {
  const withToken = (value, kind) => ({
    ...REQUESTS[kind],
    headers: { ...REQUESTS[kind].headers, authorization: value },
  });
  assert.equal((await send(`/auth${MODEL}`, REQUESTS.captionBytes)).status, 401);
  assert.equal((await send(`/auth${MODEL}`, withToken(`Bearer ${TEST_TOKEN}x`, 'captionBytes'))).status, 401);
  assert.equal((await send(`/auth${MODEL}`, withToken(`bearer ${TEST_TOKEN}`, 'captionBytes'))).status, 401);
  assertCaptionArray(await send(`/auth${MODEL}`, withToken(`Bearer ${TEST_TOKEN}`, 'captionBytes')));
  assertTestCardJpeg((await send(`/auth${MODEL}`, withToken(`Bearer ${TEST_TOKEN}`, 'generate'))).body, 40, 24);
});

test('chat scenarios reject requests without a JPEG data URL or off the chat route', async () => {
  const body = JSON.parse(REQUESTS.chat.body);
  body.messages[0].content[1].image_url.url = 'https://example.com/cat.jpg';
  const noData = await send(`/chat${CHAT}`, jsonRequest(body));
  assert.equal(noData.status, 400);
  assert.match(json(noData).error.message, /data:image\/jpeg;base64,/);
  assert.equal((await send(`/chat${MODEL}`, REQUESTS.chat)).status, 400);
});

test('requests are recorded with headers, body and unique ids', async () => {
  const a = await send(`/caption-array${MODEL}`, REQUESTS.captionBytes);
  const b = await send(`/caption-array${MODEL}`, REQUESTS.captionBytes);
  assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  const [record] = server.requests;
  assert.equal(record.method, 'POST');
  assert.equal(record.path, `/caption-array${MODEL}`);
  assert.equal(record.scenario, 'caption-array');
  assert.equal(record.headers['content-type'], 'image/jpeg');
  assert.ok(record.body.equals(jpegBytes));
  assert.equal(record.closedEarly, false);
  assert.equal(typeof record.receivedAt, 'number');
});

test('unknown scenarios answer 404 naming the known ones', async () => {
  const response = await send('/no-such-scenario/models/x', REQUESTS.captionBytes);
  assert.equal(response.status, 404);
  assert.match(json(response).error, /caption-array.*loading-twice/);
});

test('slow answers after the scaled delay', async () => {
  const started = Date.now();
  const response = await send(`/slow${MODEL}`, REQUESTS.captionBytes);
  assertCaptionArray(response);
  assert.ok(Date.now() - started >= 45, 'waited 5000 ms x 0.01');
});

test('a client leaving a slow answer is recorded as closedEarly', async () => {
  const slowServer = await startHfServer({ delayScale: 1 });
  try {
    const controller = new AbortController();
    const pending = fetch(`${slowServer.url}/slow${MODEL}`, {
      method: 'POST',
      ...REQUESTS.captionBytes,
      signal: controller.signal,
    });
    await slowServer.waitForRequest((r) => r.scenario === 'slow', 1000);
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    const record = await slowServer.waitForRequest((r) => r.scenario === 'slow' && r.closedEarly, 1000);
    assert.equal(record.closedEarly, true);
  } finally {
    await slowServer.close();
  }
});

test('drop sends headers and half the body, then closes the connection', async () => {
  const error = await send(`/drop${MODEL}`, REQUESTS.generate).then(
    () => assert.fail('the response should not complete'),
    (e) => e,
  );
  assert.match(String(error.code ?? error.message), /ECONNRESET|aborted/);
  const record = await server.waitForRequest((r) => r.scenario === 'drop', 1000);
  assert.equal(record.closedEarly, false, 'the server, not the client, cut this one');
});

test('waitForRequest times out with a useful message', async () => {
  await assert.rejects(server.waitForRequest(() => false, 20), /no match within 20 ms/);
});
