// Owns the WebAssembly core; the page never touches wasm memory. Protocol:
//   page -> worker  { id, type: 'prepare' | 'decode' | 'caption' | 'generate' | 'cancel', payload }
//   worker -> page  { id, result } | { id, error: { code, message, status, requestId } }
//                   { id, progress: { failedAttempt, maxAttempts, waitMs, modelLoading, reason } } before a retry
//                   { type: 'ready' } once, or { type: 'fatal', error } if the core cannot start.
// Byte results travel as transferred ArrayBuffers; the token only passes through to the core.

import createDescribeGenerate from './describe_generate.js';

const waiting = [];
let core = null;
let startupError = null;

createDescribeGenerate().then(
  (module) => {
    core = module;
    postMessage({ type: 'ready' });
    waiting.splice(0).forEach(handle);
  },
  (error) => {
    startupError = {
      code: 'engine_unavailable',
      message: `The image engine could not start (${error?.message || error}).`,
      status: 0,
      requestId: '',
    };
    postMessage({ type: 'fatal', error: startupError });
    waiting.splice(0).forEach(({ id }) => postMessage({ id, error: startupError }));
  },
);

self.onmessage = ({ data }) => {
  if (core) handle(data);
  else if (startupError) postMessage({ id: data.id, error: startupError });
  else waiting.push(data);
};

const bytesOf = (buffer) => new Uint8Array(buffer);

// Formats the core cannot decode (WebP, AVIF, HEIC, CMYK JPEG) are decoded by the browser, and
// its pixels go back into the core, so a person never sees "unsupported" for a file their browser
// opens. Only a file nothing here can open gets an error, naming the format its bytes show.
async function withBrowserDecoder(data, outcome, usePixels, reply) {
  const format = core.sniffFormat(data.subarray(0, 32));
  if (outcome.ok || outcome.error.code !== 'unsupported_format' || !format.known) return reply(outcome);
  let pixels;
  try {
    const bitmap = await createImageBitmap(new Blob([data], { type: format.mimeType }), { imageOrientation: 'from-image' });
    const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    pixels = context.getImageData(0, 0, context.canvas.width, context.canvas.height);
  } catch {
    const message = `This ${format.name} image cannot be opened: neither the app nor this browser can decode it.`;
    return reply({ ok: false, error: { code: 'unsupported_format', message, status: 0, requestId: '' } });
  }
  try {
    reply(usePixels(pixels));
  } catch (error) {  // past the await, handle()'s catch no longer applies
    reply({ ok: false, error: { code: 'internal', message: `The image engine failed (${error?.message || error}).`, status: 0, requestId: '' } });
  }
}

const operations = {
  prepare({ bytes, maxSide = 1024, format = 'jpeg', quality = 90 }, reply) {
    const data = bytesOf(bytes), options = JSON.stringify({ maxSide, format, quality });
    withBrowserDecoder(data, core.prepareUpload(data, options), (p) => core.preparePixels(p.data, p.width, p.height, options), reply);
  },
  // Pixels of a generated image coming back: {width, height, rgba}.
  decode({ bytes }, reply) {
    const data = bytesOf(bytes);
    withBrowserDecoder(data, core.decodeImage(data), (p) => ({ ok: true, value: { width: p.width, height: p.height, rgba: new Uint8Array(p.data.buffer) } }), reply);
  },
  caption({ upload, endpoint }, reply, id) {
    core.startCaption(id, bytesOf(upload.bytes), upload.contentType, JSON.stringify(endpoint), reply, progress(id));
  },
  generate({ prompt, endpoint, parameters = {} }, reply, id) {
    core.startGeneration(id, prompt, JSON.stringify(endpoint), JSON.stringify(parameters), reply, progress(id));
  },
  cancel({ targetId }, reply) {
    reply({ ok: true, value: { cancelled: core.cancelJob(targetId) } });
  },
};

const progress = (id) => (notice) => postMessage({ id, progress: notice });

function handle({ id, type, payload }) {
  const operation = operations[type];
  if (!operation) {
    postMessage({ id, error: { code: 'unknown_request', message: `Unknown request "${type}".`, status: 0, requestId: '' } });
    return;
  }
  try {
    operation(payload, (outcome) => answer(id, outcome), id);
  } catch (error) {
    // Only a bug or an exhausted memory can land here: the core reports every expected failure.
    postMessage({ id, error: { code: 'internal', message: `The image engine failed (${error?.message || error}).`, status: 0, requestId: '' } });
  }
}

function answer(id, outcome) {
  if (!outcome.ok) {
    postMessage({ id, error: outcome.error });
    return;
  }
  const result = { ...outcome.value };
  const transfer = [];
  for (const key of ['bytes', 'rgba']) {
    if (!(result[key] instanceof Uint8Array)) continue;
    result[key] = result[key].buffer;  // a fresh copy made by the core: safe to hand over
    transfer.push(result[key]);
  }
  postMessage({ id, result }, transfer);
}
