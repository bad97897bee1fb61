#!/usr/bin/env node
// A local stand-in for the Hugging Face inference HTTP API (router, dedicated endpoints, the
// OpenAI-compatible chat and image routes) that reproduces, on demand, each behaviour the client
// has to survive: the answer shapes, the error bodies, the CORS quirks and the transport failures.
//
// The scenario is the first path segment, so one server serves every test at once:
//   POST {url}/{scenario}/...anything
//   e.g. {url}/loading-twice/models/Salesforce/blip-image-captioning-large
// Each scenario counts its own attempts ("503 twice, then 200"); reset() starts them again.
//
//   node tests/server/hf-server.mjs [--port N] [--host H] [--delay-scale X]

import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import jpeg from 'jpeg-js';

import { encodePng } from '../../scripts/png.mjs';

// ---------------------------------------------------------------------------------------------
// Fixed texts, so tests can assert exact strings.

/** BLIP's answer keeps a trailing space; the client is expected to trim it. */
export const CAPTION = 'a red and blue test card ';
export const CHAT_CAPTION = 'a red and blue test card';
export const CHARSET_CAPTION = 'a café sign ☕';
export const TEST_TOKEN = 'hf_test_token';
export const LEGACY_TEXT =
  'The API endpoint api-inference.huggingface.co is no longer supported, use router.huggingface.co instead.';
export const RATE_LIMIT_ERROR = 'Rate limit reached. You reached free usage limit (reset hourly).';
export const SLOW_MS = 5000;

// ---------------------------------------------------------------------------------------------
// Images. Every generated picture is the same test card so a browser test can check the natural
// size and sample a pixel on each side: left half red, right half blue.

export const TEST_CARD = { width: 64, height: 48, left: [220, 30, 30], right: [30, 60, 220] };
const MAX_SIDE = 1024;

function testCardRgba(width, height) {
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = x < width / 2 ? TEST_CARD.left : TEST_CARD.right;
      rgba.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}

const imageCache = new Map();

function cachedImage(format, width, height, encode) {
  const key = `${format}:${width}x${height}`;
  if (!imageCache.has(key)) imageCache.set(key, encode(width, height, testCardRgba(width, height)));
  return imageCache.get(key);
}

export function testCardPng(width = TEST_CARD.width, height = TEST_CARD.height) {
  return cachedImage('png', width, height, (w, h, rgba) => encodePng(w, h, rgba, { alpha: false }));
}

export function testCardJpeg(width = TEST_CARD.width, height = TEST_CARD.height) {
  return cachedImage('jpeg', width, height, (w, h, rgba) =>
    Buffer.from(jpeg.encode({ data: rgba, width: w, height: h }, 90).data),
  );
}

// Node has no WebP encoder, so this file was painted once by headless Chromium (the same 64x48
// test card, canvas.toBlob('image/webp', 1), which Chromium writes as lossless VP8L) and checked
// in. tests/fixtures/make-webp-fixtures.mjs regenerates it.
export const TEST_CARD_WEBP = readFileSync(new URL('../fixtures/generated.webp', import.meta.url));

/** What the magic bytes say, whatever the label claims. */
function sniffImage(bytes) {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'png';
  const riff = bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF';
  if (riff && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 4 && bytes.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  return null;
}

/** True when a JSON `inputs` string is a (possibly data-URI) base64 image rather than a prompt. */
function isBase64Image(text) {
  const payload = text.replace(/^data:[^,]*;base64,/, '');
  const head = payload.slice(0, 64);
  if (head.length < 16 || !/^[A-Za-z0-9+/=]+$/.test(head)) return false;
  return sniffImage(Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64')) !== null;
}

// ---------------------------------------------------------------------------------------------
// Replies. A handler returns one of these plain objects; the server writes it.

const reply = (status, body, type, headers = {}) => ({ status, body, type, headers });
const jsonReply = (status, value, type = 'application/json') => reply(status, JSON.stringify(value), type);
/** For bodies whose exact text matters (e.g. `20.0`, which JSON.stringify would print as `20`). */
const rawJsonReply = (status, text) => reply(status, text, 'application/json');
const textReply = (status, text) => reply(status, text, 'text/plain; charset=utf-8');
// The shape of the gateway pages nginx and load balancers put in front of inference servers.
const htmlReply = (status, title) =>
  reply(
    status,
    `<html>\r\n<head><title>${title}</title></head>\r\n` +
      `<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
    'text/html',
  );
const errorReply = (status, message) => jsonReply(status, { error: message });
const openAiError = (status, message) =>
  jsonReply(status, { error: { message, type: 'invalid_request_error', param: null, code: null } });

const COMPUTE_HEADERS = { 'x-compute-time': '0.042', 'x-compute-type': 'cpu' };
const imageReply = (bytes, type) => reply(200, bytes, type, COMPUTE_HEADERS);

function chatCompletion(ctx, content) {
  return jsonReply(200, {
    id: `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: 1767225600,
    model: ctx.json?.model ?? 'unknown',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 80, completion_tokens: 8, total_tokens: 88 },
  });
}

const pngBase64 = (size) => testCardPng(size.width, size.height).toString('base64');
const b64JsonReply = (ctx) => jsonReply(200, { created: 1767225600, data: [{ b64_json: pngBase64(ctx.size) }] });

/**
 * The 200 a well-behaved server would give this request, chosen by its content, so retry and
 * transport scenarios work on every route.
 */
function success(ctx) {
  switch (ctx.kind) {
    case 'caption':
      return jsonReply(200, [{ generated_text: CAPTION }]);
    case 'chat':
      return chatCompletion(ctx, CHAT_CAPTION);
    case 'openai-image':
      return b64JsonReply(ctx);
    case 'generate':
      return imageReply(testCardJpeg(ctx.size.width, ctx.size.height), 'image/jpeg');
    default:
      return errorReply(
        400,
        'Test server: neither a captioning request (image body, or JSON with base64 `inputs`) ' +
          'nor a generation request (JSON with a prompt)',
      );
  }
}

/** Fails the first `count` attempts with `failure`, then succeeds. */
const failFirst = (count, failure) => (ctx) => (ctx.attempt <= count ? failure(ctx) : success(ctx));

const loading = (ctx) =>
  rawJsonReply(503, `{"error":"Model ${ctx.model} is currently loading","estimated_time":20.0}`);

// The inference toolkit behind dedicated endpoints refuses a missing or unlisted Content-Type.
const TOOLKIT_TYPES = ['image/jpeg', 'image/png', 'application/json'];
function toolkitTypeProblem(ctx) {
  if (TOOLKIT_TYPES.includes(ctx.contentType)) return null;
  return errorReply(
    400,
    `Content type "${ctx.contentType}" not supported. Supported content types are: ${TOOLKIT_TYPES.join(', ')}`,
  );
}

function dedicated(ctx) {
  const problem = toolkitTypeProblem(ctx);
  if (problem) return problem;
  if (ctx.kind === 'caption') return success(ctx);
  if (typeof ctx.json?.inputs !== 'string') return errorReply(400, 'Missing "inputs" in the request body');
  const { width, height } = ctx.json.parameters ?? {};
  if ((width ?? height) !== (height ?? width)) {
    return errorReply(400, `Width and height must be equal for this endpoint, got ${width}x${height}`);
  }
  const accept = ctx.headers.accept ?? '';
  const { width: w, height: h } = ctx.size;
  if (accept.includes('image/png')) return imageReply(testCardPng(w, h), 'image/png');
  if (accept.includes('image/jpeg')) return imageReply(testCardJpeg(w, h), 'image/jpeg');
  return jsonReply(200, pngBase64(ctx.size));
}

function customCaption(ctx) {
  if (ctx.contentType !== 'application/json' || ctx.json === undefined) {
    return errorReply(400, 'Expected an application/json body {"inputs": "<base64 image>"}');
  }
  if (typeof ctx.json?.inputs !== 'string' || ctx.json.inputs.length === 0) {
    return errorReply(400, 'Missing "inputs" in the request body');
  }
  return jsonReply(200, [{ generated_text: CAPTION }]);
}

function customGenerate(ctx) {
  if (typeof ctx.json?.inputs !== 'string' || ctx.json.inputs.length === 0) {
    return errorReply(400, 'Expected an application/json body {"inputs": "<prompt>"}');
  }
  return jsonReply(200, pngBase64(ctx.size));
}

function openAiImageProblem(ctx, { requireB64 }) {
  const body = ctx.json;
  if (typeof body?.prompt !== 'string' || !body.prompt) return openAiError(400, '"prompt" is required');
  if (typeof body.model !== 'string' || !body.model) return openAiError(400, '"model" is required');
  if (requireB64 && body.response_format !== 'b64_json') {
    const got = JSON.stringify(body.response_format);
    return openAiError(400, `"response_format" must be "b64_json", got ${got}`);
  }
  return null;
}

const openAiUrl = (file) => (ctx) =>
  openAiImageProblem(ctx, { requireB64: false }) ??
  jsonReply(200, { created: 1767225600, data: [{ url: `http://${ctx.headers.host}/files/${file}` }] });

/** What the chat route demands of a captioning request; null when it is acceptable. */
function chatRequestProblem(ctx) {
  if (!ctx.rest.endsWith('/v1/chat/completions')) return 'This scenario serves only .../v1/chat/completions';
  const body = ctx.json;
  if (typeof body?.model !== 'string' || body.model.length === 0) return '"model" is required';
  if (body.stream === true) return 'This test server does not stream; send "stream": false';
  const content = body.messages?.[0]?.content;
  if (!Array.isArray(content)) return 'messages[0].content must be an array of parts';
  const url = content.find((part) => part?.type === 'image_url')?.image_url?.url;
  const prefix = 'data:image/jpeg;base64,';
  if (typeof url !== 'string' || !url.startsWith(prefix)) {
    return `messages[0].content needs an image_url part whose url starts with "${prefix}"`;
  }
  if (sniffImage(Buffer.from(url.slice(prefix.length, prefix.length + 64), 'base64')) !== 'jpeg') {
    return 'the image_url data is not a JPEG';
  }
  return null;
}

const chatScenario = (answer) => (ctx) => {
  const problem = chatRequestProblem(ctx);
  return problem ? openAiError(400, problem) : answer(ctx);
};

// ---------------------------------------------------------------------------------------------
// The scenarios. `cors: false` leaves the CORS headers off the actual response; `preflight`
// replaces the normal 204 preflight answer; `slow` and `drop` shape the transport.

const SCENARIOS = {
  // Captioning answer shapes.
  'caption-array': {
    summary: '200 [{"generated_text":"a red and blue test card "}] (trailing space kept)',
    handle: () => jsonReply(200, [{ generated_text: CAPTION }]),
  },
  'caption-object': {
    summary: '200 {"generated_text": ...} (object form)',
    handle: () => jsonReply(200, { generated_text: CAPTION }),
  },
  'caption-many': {
    summary: '200 array of several captions; the first wins',
    handle: () =>
      jsonReply(200, [{ generated_text: CAPTION }, { generated_text: 'a second caption to ignore' }]),
  },
  'caption-extra-keys': {
    summary: '200 array whose item also carries "warnings"',
    handle: () =>
      jsonReply(200, [{ generated_text: CAPTION, warnings: ['Using a slow image processor (use_fast unset).'] }]),
  },
  'caption-charset': {
    summary: '200 "application/json; charset=utf-8", non-ASCII caption',
    handle: () => jsonReply(200, [{ generated_text: CHARSET_CAPTION }], 'application/json; charset=utf-8'),
  },
  'caption-charset-upper': {
    summary: '200 "application/json;charset=UTF-8" (no space, upper case), non-ASCII caption',
    handle: () => jsonReply(200, [{ generated_text: CHARSET_CAPTION }], 'application/json;charset=UTF-8'),
  },
  'caption-strict': {
    summary: '400 unless Content-Type is image/jpeg, image/png or application/json; else 200 array',
    handle: (ctx) => toolkitTypeProblem(ctx) ?? jsonReply(200, [{ generated_text: CAPTION }]),
  },
  'custom-caption': {
    summary: 'lesson endpoint: JSON {"inputs":"<base64>"} -> 200 array; 400 otherwise',
    handle: customCaption,
  },
  'custom-generate': {
    summary: 'lesson endpoint: JSON {"inputs":"<prompt>"} -> 200 JSON string of base64 PNG',
    handle: customGenerate,
  },

  // Generation answer shapes.
  'gen-jpeg': {
    summary: '200 image/jpeg JPEG bytes (honours parameters.width/height)',
    handle: (ctx) => imageReply(testCardJpeg(ctx.size.width, ctx.size.height), 'image/jpeg'),
  },
  'gen-png-as-jpeg': {
    summary: '200 PNG bytes labelled image/jpeg',
    handle: (ctx) => imageReply(testCardPng(ctx.size.width, ctx.size.height), 'image/jpeg'),
  },
  'gen-webp': {
    summary: '200 image/webp (fixed 64x48 fixture)',
    handle: () => imageReply(TEST_CARD_WEBP, 'image/webp'),
  },
  'gen-json-b64': {
    summary: '200 application/json: a JSON string of base64 PNG',
    handle: (ctx) => jsonReply(200, pngBase64(ctx.size)),
  },
  'gen-data-uri': {
    summary: '200 application/json: a JSON string "data:image/png;base64,..."',
    handle: (ctx) => jsonReply(200, `data:image/png;base64,${pngBase64(ctx.size)}`),
  },
  dedicated: {
    summary: 'inference toolkit: Accept image/png -> PNG bytes, else JSON base64 string; non-square -> 400',
    handle: dedicated,
  },
  'openai-b64': {
    summary: '200 {"data":[{"b64_json": PNG}]}; needs {"prompt","model","response_format":"b64_json"}',
    handle: (ctx) => openAiImageProblem(ctx, { requireB64: true }) ?? b64JsonReply(ctx),
  },
  'openai-url': {
    summary: '200 {"data":[{"url": "<server>/files/generated.png"}]} (PNG served with CORS)',
    handle: openAiUrl('generated.png'),
  },
  'openai-url-mislabelled': {
    summary: '200 {"data":[{"url": "<server>/files/mislabelled.png"}]}: WebP bytes labelled image/jpeg',
    handle: openAiUrl('mislabelled.png'),
  },

  // CORS and transport.
  'no-cors': {
    summary: '200 without Access-Control-Allow-Origin (browser sees status 0)',
    cors: false,
    handle: success,
  },
  legacy: {
    summary: 'retired host: preflight and POST answer 410 text without CORS (browser sees status 0)',
    cors: false,
    preflight: () => textReply(410, LEGACY_TEXT),
    handle: () => textReply(410, LEGACY_TEXT),
  },
  'legacy-text': {
    summary: '410 legacy-host text, readable (preflight passes)',
    handle: () => textReply(410, LEGACY_TEXT),
  },
  slow: {
    summary: `200 after ${SLOW_MS} ms x delayScale; a client that leaves first is recorded closedEarly`,
    slow: true,
    handle: success,
  },
  drop: {
    summary: 'headers and half the body, then the connection is destroyed',
    drop: true,
    handle: success,
  },
  'retry-after': {
    summary: '429 with an unexposed Retry-After header, then 200',
    handle: failFirst(1, () => ({ ...errorReply(429, RATE_LIMIT_ERROR), headers: { 'retry-after': '1' } })),
  },

  // Retryable failures.
  'loading-twice': {
    summary: '503 {"error":"Model <id> is currently loading","estimated_time":20.0} twice, then 200',
    handle: failFirst(2, loading),
  },
  'loading-forever': {
    summary: '503 loading on every attempt',
    handle: loading,
  },
  'scaling-empty': {
    summary: '503 with an empty body (scaling from zero), then 200',
    handle: failFirst(1, () => reply(503, '')),
  },
  'scaling-html': {
    summary: '503 HTML page (scaling from zero), then 200',
    handle: failFirst(1, () => htmlReply(503, '503 Service Temporarily Unavailable')),
  },
  'error500-once': {
    summary: '500 {"error":"unknown error","warnings":[]}, then 200',
    handle: failFirst(1, () => jsonReply(500, { error: 'unknown error', warnings: [] })),
  },
  'rate-limited': {
    summary: '429 rate-limit JSON on every attempt',
    handle: () => errorReply(429, RATE_LIMIT_ERROR),
  },
  'bad-gateway': {
    summary: '502 HTML gateway page',
    handle: () => htmlReply(502, '502 Bad Gateway'),
  },
  'gateway-timeout': {
    summary: '504 HTML gateway page',
    handle: () => htmlReply(504, '504 Gateway Time-out'),
  },

  // Failures that must not be retried.
  unauthorized: {
    summary: '401 {"error":"Invalid credentials in Authorization header"}',
    handle: () => errorReply(401, 'Invalid credentials in Authorization header'),
  },
  forbidden: {
    summary: '403 token lacks the Inference Providers permission',
    handle: () =>
      errorReply(
        403,
        'This authentication method does not have sufficient permissions ' +
          'to call Inference Providers on behalf of user x',
      ),
  },
  payment: {
    summary: '402 plain text about credits',
    handle: () =>
      textReply(
        402,
        'You have exceeded your monthly included credits for Inference Providers. ' +
          'Subscribe to PRO to get 20x more monthly included credits.',
      ),
  },
  'payment-json': {
    summary: '402 JSON about credits',
    handle: () =>
      errorReply(
        402,
        'You have exceeded your monthly included credits for Inference Providers. ' +
          'Purchase pre-paid credits to continue.',
      ),
  },
  'not-found-json': {
    summary: '404 {"error":"Model <id> does not exist"}',
    handle: (ctx) => errorReply(404, `Model ${ctx.model} does not exist`),
  },
  'not-found-text': {
    summary: '404 text "Not Found"',
    handle: () => textReply(404, 'Not Found'),
  },
  'not-supported': {
    summary: '400 {"error":"Model <id> is not supported by provider hf-inference."}',
    handle: (ctx) => errorReply(400, `Model ${ctx.model} is not supported by provider hf-inference.`),
  },
  'bad-request-array': {
    summary: '400 {"error":["msg1","msg2"]}',
    handle: () =>
      jsonReply(400, {
        error: ['Input validation error: `inputs` must not be empty', 'Parameter `guidance_scale` must be >= 0'],
      }),
  },
  deprecated: {
    summary: '410 JSON: model deprecated on hf-inference',
    handle: () =>
      errorReply(410, 'The requested model is deprecated and no longer supported by provider hf-inference'),
  },
  'too-large': {
    summary: '413 text "Failed to buffer the request body: length limit exceeded"',
    handle: () => textReply(413, 'Failed to buffer the request body: length limit exceeded'),
  },
  'unprocessable-json': {
    summary: '422 {"error": ..., "error_type":"validation"}',
    handle: () =>
      jsonReply(422, {
        error: 'Input validation error: `num_inference_steps` must be strictly positive',
        error_type: 'validation',
      }),
  },
  'unprocessable-text': {
    summary: '422 plain text',
    handle: () => textReply(422, 'Unprocessable Entity: the request body could not be validated'),
  },
  'unprocessable-detail': {
    summary: '422 {"detail":[{"msg":"field required","loc":["body","inputs"]}]}',
    handle: () =>
      jsonReply(422, {
        detail: [{ msg: 'field required', loc: ['body', 'inputs'], type: 'value_error.missing' }],
      }),
  },
  'unprocessable-problem': {
    summary: '422 application/problem+json with title and detail',
    handle: () =>
      jsonReply(
        422,
        { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'inputs must be a string' },
        'application/problem+json',
      ),
  },
  'html-200': {
    summary: '200 text/html page instead of a result',
    handle: () => htmlReply(200, 'Welcome'),
  },
  'truncated-json': {
    summary: '200 application/json cut in the middle (the right JSON answer for the request, halved)',
    handle: (ctx) => {
      // Generation's JSON form is the dedicated endpoint's base64 string; JPEG bytes are not JSON.
      const whole =
        ctx.kind === 'generate' ? JSON.stringify(testCardPng().toString('base64'))
        : ctx.kind === 'unknown' ? JSON.stringify([{ generated_text: CAPTION }])
        : success(ctx).body;
      return rawJsonReply(200, whole.slice(0, Math.ceil(whole.length / 2)));
    },
  },

  // Token handling.
  auth: {
    summary: `401 unless Authorization is exactly "Bearer ${TEST_TOKEN}"; then 200 by request kind`,
    handle: (ctx) =>
      ctx.headers.authorization === `Bearer ${TEST_TOKEN}`
        ? success(ctx)
        : errorReply(401, 'Invalid credentials in Authorization header'),
  },

  // Captioning over the OpenAI-compatible chat route ({url}/chat/v1/chat/completions).
  chat: {
    summary: '200 chat completion, content a string; request must carry a data:image/jpeg;base64 URL',
    handle: chatScenario((ctx) => chatCompletion(ctx, CHAT_CAPTION)),
  },
  'chat-array': {
    summary: '200 chat completion, content an array of {type:"text",text} parts',
    handle: chatScenario((ctx) => chatCompletion(ctx, [{ type: 'text', text: CHAT_CAPTION }])),
  },
  'chat-null': {
    summary: '200 chat completion, content null',
    handle: chatScenario((ctx) => chatCompletion(ctx, null)),
  },
  'chat-error': {
    summary: '400 OpenAI-style {"error":{"message","type":"invalid_request_error"}}',
    handle: chatScenario((ctx) => openAiError(400, `Model ${ctx.json.model} does not support image inputs.`)),
  },
};

/** Scenario name -> one-line description, for listings and for tests that iterate them all. */
export const SCENARIO_SUMMARIES = Object.fromEntries(
  Object.entries(SCENARIOS).map(([name, scenario]) => [name, scenario.summary]),
);

// Files the OpenAI-style url answers point at. Fetching them must not need a token.
const FILES = {
  'generated.png': () => imageReply(testCardPng(), 'image/png'),
  'mislabelled.png': () => imageReply(TEST_CARD_WEBP, 'image/jpeg'),
};

// ---------------------------------------------------------------------------------------------
// Request analysis.

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function parseJson(body) {
  const text = body.toString('utf8').trimStart();
  if (!text.startsWith('{') && !text.startsWith('[') && !text.startsWith('"')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Tells captioning from generation by content, as the retry and transport scenarios must. */
function requestKind({ rest, contentType, body, json }) {
  if (rest.endsWith('/chat/completions') || Array.isArray(json?.messages)) return 'chat';
  if (typeof json?.prompt === 'string') return 'openai-image';
  if (contentType.startsWith('image/') || sniffImage(body)) return 'caption';
  if (typeof json?.inputs === 'string') return isBase64Image(json.inputs) ? 'caption' : 'generate';
  return 'unknown';
}

function clampSide(value, fallback) {
  return Number.isFinite(value) && value >= 1 ? Math.min(Math.round(value), MAX_SIDE) : fallback;
}

/** The picture size asked for: `parameters.width/height`, or OpenAI's `size: "WxH"`. */
function requestedSize(json) {
  let { width, height } = json?.parameters ?? {};
  const match = typeof json?.size === 'string' ? /^(\d+)x(\d+)$/.exec(json.size) : null;
  if (match) [width, height] = [Number(match[1]), Number(match[2])];
  return { width: clampSide(width, TEST_CARD.width), height: clampSide(height, TEST_CARD.height) };
}

function modelId(rest, json) {
  return /\/models\/(.+)$/.exec(rest)?.[1] ?? (typeof json?.model === 'string' ? json.model : 'x/y');
}

// ---------------------------------------------------------------------------------------------
// Server.

const EXPOSED_HEADERS = 'x-request-id, x-compute-time, x-compute-type';
const MAX_BODY_BYTES = 32 * 1024 * 1024;

// Never reset, so request ids stay unique across reset() calls within one process.
let requestSequence = 0;

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    // An aborted upload emits 'error' (ECONNRESET); without a listener it would crash the server.
    req.on('error', () => {});
    req.on('end', () => resolve({ body: Buffer.concat(chunks), complete: true }));
    req.on('close', () => resolve({ body: Buffer.concat(chunks), complete: req.complete }));
  });
}

export async function startHfServer({ host = '127.0.0.1', port = 0, delayScale = 1 } = {}) {
  const requests = [];
  const attempts = new Map();
  const waiters = new Set();
  // Responses the `drop` scenario cut on purpose: their early close is not the client's doing.
  const droppedByServer = new WeakSet();

  // Re-offers every record to pending waiters; records change after being pushed (closedEarly).
  function notify() {
    for (const waiter of waiters) {
      const match = requests.find(waiter.predicate);
      if (match) waiter.resolve(match);
    }
  }

  function waitForRequest(predicate, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (record) => {
          clearTimeout(waiter.timer);
          waiters.delete(waiter);
          resolve(record);
        },
        reject: (error) => {
          clearTimeout(waiter.timer);
          waiters.delete(waiter);
          reject(error);
        },
      };
      waiter.timer = setTimeout(() => {
        const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
        waiter.reject(new Error(`waitForRequest: no match within ${timeoutMs} ms; recorded: ${seen}`));
      }, timeoutMs);
      waiters.add(waiter);
      notify();
    });
  }

  function corsHeaders(req) {
    return {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-expose-headers': EXPOSED_HEADERS,
      vary: 'Origin',
    };
  }

  function preflightHeaders(req) {
    const headers = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      vary: 'Origin, Access-Control-Request-Headers',
    };
    const requested = req.headers['access-control-request-headers'];
    if (requested) headers['access-control-allow-headers'] = requested;
    return headers;
  }

  function write(res, requestId, r, { cors, drop, req }) {
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? '', 'utf8');
    const headers = { 'x-request-id': requestId, ...(cors ? corsHeaders(req) : {}), ...r.headers };
    if (r.type) headers['content-type'] = r.type;
    headers['content-length'] = String(body.length);
    res.writeHead(r.status, headers);
    if (!drop) {
      res.end(body);
      return;
    }
    // Content-Length promises the whole body; the client gets half of it and then a closed socket.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
      droppedByServer.add(res);
      res.destroy();
    });
  }

  /** Resolves true after `ms` (scaled), or false as soon as the client goes away. */
  function waitUnlessClosed(res, ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        res.off('close', onClose);
        resolve(true);
      }, ms * delayScale);
      const onClose = () => {
        clearTimeout(timer);
        resolve(false);
      };
      res.once('close', onClose);
    });
  }

  async function handle(req, res) {
    const url = new URL(`http://localhost${req.url}`);
    const segments = url.pathname.split('/').filter(Boolean);
    const scenarioName = segments[0] ?? '';
    const rest = `/${segments.slice(1).join('/')}`;
    const requestId = `req-${scenarioName || 'root'}-${(requestSequence += 1)}`;
    const receivedAt = Date.now();

    const { body, complete } = await readBody(req);
    const record = {
      method: req.method,
      path: url.pathname + url.search,
      scenario: scenarioName,
      headers: { ...req.headers },
      body,
      receivedAt,
      closedEarly: !complete,
    };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished && !droppedByServer.has(res) && !record.closedEarly) {
        record.closedEarly = true;
        notify();
      }
    });
    notify();
    if (!complete) return;

    const scenario = SCENARIOS[scenarioName];

    if (req.method === 'OPTIONS') {
      if (scenario?.preflight) {
        write(res, requestId, scenario.preflight(), { cors: false, req });
      } else {
        res.writeHead(204, { 'x-request-id': requestId, ...preflightHeaders(req) });
        res.end();
      }
      return;
    }

    if (scenarioName === 'files') {
      const file = FILES[segments.slice(1).join('/')];
      write(res, requestId, file ? file() : textReply(404, 'Not Found'), { cors: true, req });
      return;
    }

    if (!scenarioName) {
      write(res, requestId, jsonReply(200, { scenarios: SCENARIO_SUMMARIES }), { cors: true, req });
      return;
    }

    if (!scenario) {
      const known = Object.keys(SCENARIOS).join(', ');
      write(res, requestId, errorReply(404, `Unknown test scenario "${scenarioName}". Known: ${known}`), {
        cors: true,
        req,
      });
      return;
    }

    if (req.method !== 'POST') {
      write(res, requestId, errorReply(405, `Use POST for scenario "${scenarioName}"`), { cors: true, req });
      return;
    }

    const attempt = (attempts.get(scenarioName) ?? 0) + 1;
    attempts.set(scenarioName, attempt);
    const contentType = mediaType(req.headers['content-type']);
    const json = parseJson(body);
    const ctx = {
      attempt,
      requestId,
      rest,
      headers: req.headers,
      body,
      contentType,
      json,
      kind: requestKind({ rest, contentType, body, json }),
      size: requestedSize(json),
      model: modelId(rest, json),
    };

    if (scenario.slow && !(await waitUnlessClosed(res, SLOW_MS))) return;
    write(res, requestId, scenario.handle(ctx), { cors: scenario.cors !== false, drop: scenario.drop, req });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', ...corsHeaders(req) });
        res.end(`Test server failure: ${error.stack}`);
      } else {
        res.destroy();
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    requests,
    waitForRequest,
    /** Number of POSTs a scenario has seen since the last reset(). */
    attempts: (scenarioName) => attempts.get(scenarioName) ?? 0,
    reset() {
      requests.length = 0;
      attempts.clear();
    },
    close() {
      for (const waiter of waiters) waiter.reject(new Error('hf-server closed'));
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Command line, for trying the client by hand.

function parseCommandLine(args) {
  const options = {};
  for (let i = 0; i < args.length; i += 1) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--host') options.host = value;
    else if (flag === '--delay-scale') options.delayScale = Number(value);
    else throw new Error(`unknown argument ${flag}; usage: hf-server.mjs [--port N] [--host H] [--delay-scale X]`);
    i += 1;
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const server = await startHfServer(parseCommandLine(process.argv.slice(2)));
  const width = Math.max(...Object.keys(SCENARIOS).map((name) => name.length));
  console.log(`HF test server at ${server.url}`);
  console.log(`POST ${server.url}/<scenario>/models/<id>   chat: ${server.url}/<scenario>/v1/chat/completions\n`);
  for (const [name, summary] of Object.entries(SCENARIO_SUMMARIES)) {
    console.log(`  ${name.padEnd(width)}  ${summary}`);
  }
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
