// Owns the WebAssembly core; the page never touches wasm memory. Protocol:
//   page -> worker  { id, type: 'prepare' | 'decode' | 'caption' | 'generate' | 'cancel' | 'warm-up', payload }
//   worker -> page  { id, result } | { id, error: { code, message, status, requestId } }
//                   { id, progress: { failedAttempt, maxAttempts, waitMs, modelLoading, reason } } before a retry
//                   { type: 'ready' } once, or { type: 'fatal', error } if the core cannot start.
// Byte results travel as transferred ArrayBuffers; the token only passes through to the core.

import createDescribeGenerate from './describe_generate.js';

const waiting = [];
let core = null;
let startupError = null;
// What to do with each request id's reply from the core (src/bindings.cpp), until it comes.
const pending = new Map();

createDescribeGenerate({
  onReply(id, json, bytes) {
    const handle = pending.get(id);
    pending.delete(id);
    handle?.(JSON.parse(json), bytes);
  },
  onProgress(id, json) {
    postMessage({ id, progress: JSON.parse(json) });
  },
}).then(
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

// Before the first photo, on the page's word that a person may be about to choose one, the worker
// prepares a generated picture the way a photo is prepared: as a JPEG decoded at 3/8, 5/8 and 6/8
// scale and as a PNG reduced with six, four and three taps. Browsers compile wasm quickly at first
// and optimise a function only once it has run a while, for its next call; without this the first
// photo took nearly twice as long as the second. It goes through the same calls as the page's
// requests, so the core is the same code either way.
let warm = false;
function warmUp() {
  if (warm) return;
  warm = true;
  const width = 768, height = 576, id = -1;
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0, i = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1, i += 4) {  // gradients under a fine pattern: every coefficient has work
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = (x ^ y) * 37;
      pixels[i + 3] = 255;
    }
  }
  const encoded = (format) =>
    preparePixels(id, { width, height }, { width, height }, uploadOptions({ maxSide: width, format }), () => pixels).value.bytes;
  for (const file of [encoded('jpeg'), encoded('png')]) {
    for (const share of [0.35, 0.55, 0.7]) prepareFile(id, file, uploadOptions({ maxSide: Math.round(width * share) }));
  }
}

// Only a bug or an exhausted memory ends up here: the core reports every expected failure itself.
const internalError = (error) =>
  ({ code: 'internal', message: `The image engine failed (${error?.message || error}).`, status: 0, requestId: '' });

const bytesOf = (buffer) => new Uint8Array(buffer);
const utf8 = new TextEncoder();

// Places bytes in the core's input buffer, which the next call reads. HEAPU8 is read after the
// allocation: growing the memory replaces it.
function input(bytes) {
  const pointer = core._dg_input(bytes.length);
  core.HEAPU8.set(bytes, pointer);
}

// Calls the core with strings as NUL-terminated UTF-8 in its memory, freed once it returns.
function withStrings(strings, call) {
  const pointers = strings.map((text) => {
    const encoded = utf8.encode(`${text}\0`);
    const pointer = core._malloc(encoded.length);
    core.HEAPU8.set(encoded, pointer);
    return pointer;
  });
  try {
    return call(...pointers);
  } finally {
    pointers.forEach((pointer) => core._free(pointer));
  }
}

// A reply handler for the core: hands `handle` the outcome, {ok, value} or {ok: false, error},
// with the reply's bytes under `bytesKey` of the value.
const withBytes = (handle, bytesKey = 'bytes') => (outcome, bytes) => {
  if (outcome.ok && bytes.length > 0) outcome.value[bytesKey] = bytes;
  handle(outcome);
};

// Runs a call that replies before it returns, and gives back that reply (see withBytes).
function now(id, call, bytesKey) {
  let outcome;
  pending.set(id, withBytes((reply) => { outcome = reply; }, bytesKey));
  try {
    call();
  } finally {
    pending.delete(id);
  }
  return outcome;
}

// Formats the core cannot decode (WebP, AVIF, HEIC, CMYK JPEG) are decoded by the
// browser, and its pixels go back into the core, so a person never sees "unsupported" for a file
// their browser opens. Only a file nothing here can open gets an error, naming the format its
// bytes show. `usePixels` gets the upright ImageBitmap and draws what it needs with pixelsOf.
async function withBrowserDecoder(id, data, outcome, usePixels, reply) {
  if (outcome.ok || outcome.error.code !== 'unsupported_format') return reply(outcome);
  input(data.subarray(0, 32));
  const format = now(id, () => core._dg_sniff_format(id)).value;
  if (!format.known) return reply(outcome);
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([data], { type: format.mimeType }), { imageOrientation: 'from-image' });
  } catch {
    const message = `This ${format.name} image cannot be opened: neither the app nor this browser decodes it. ` +
      `Save it as JPEG or PNG, or use a browser that opens ${format.name}.`;
    return reply({ ok: false, error: { code: 'unsupported_format', message, status: 0, requestId: '' } });
  }
  try {
    reply(usePixels(bitmap));
  } catch (error) {  // past the await, handle()'s catch no longer applies
    reply({ ok: false, error: internalError(error) });
  } finally {
    bitmap.close();
  }
}

// The bitmap's RGBA pixels at width×height, drawn with the browser's best smoothing when smaller.
function pixelsOf(bitmap, width = bitmap.width, height = bitmap.height) {
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error(`the browser gave no ${width}×${height} canvas to draw the picture on`);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  return context.getImageData(0, 0, width, height).data;
}

// Every full-size copy of a 48 MP HEIC costs 192 MB (canvas, pixels, wasm memory that never
// shrinks), and iOS Safari draws nothing on a canvas past 16.7 megapixels. So a picture the upload
// is less than half of is handed over reduced: to twice the upload, or by half, since Chromium
// smooths a reduction by 2 or more (mipmaps) but partly aliases a smaller one. The core's filter
// takes the last step. Never below the upload's own scale, which the core computes alike.
const HANDOVER_MAX_PIXELS = 16_000_000;
function handoverSize({ width, height }, maxSide) {
  const upload = Math.min(1, maxSide / Math.max(width, height));
  let scale = upload > 0.5 ? 1 : Math.min(0.5, 2 * upload);
  if (width * height * scale * scale > HANDOVER_MAX_PIXELS) {
    scale = Math.max(upload, Math.sqrt(HANDOVER_MAX_PIXELS / (width * height)));
  }
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

// The settings dg_prepare_upload and dg_input_pixels read.
const uploadOptions = ({ maxSide, format = 'jpeg', quality = 90 }) => JSON.stringify({ maxSide, format, quality });

// The core's reply for an upload made from a file's bytes.
function prepareFile(id, data, options) {
  input(data);
  return now(id, () => withStrings([options], (o) => core._dg_prepare_upload(id, o)));
}

// The same for decoded pixels of the picture's full size `source`, reduced to `size`. `draw` is
// asked for them only once the core has made room, not when it refuses (and has replied why).
function preparePixels(id, size, source, options, draw) {
  return now(id, () => {
    const room = withStrings([options], (o) => core._dg_input_pixels(id, size.width, size.height, source.width, source.height, o));
    if (!room) return;
    core.HEAPU8.set(draw(), room);
    core._dg_prepare_pixels(id);
  });
}

const operations = {
  prepare({ bytes, maxSide = 1024, format, quality }, reply, id) {
    warm = true;  // from here on the photos themselves keep the code optimised
    const data = bytesOf(bytes), options = uploadOptions({ maxSide, format, quality });
    const fromFile = prepareFile(id, data, options);
    withBrowserDecoder(id, data, fromFile, (bitmap) => {
      const size = handoverSize(bitmap, maxSide);
      return preparePixels(id, size, bitmap, options, () => pixelsOf(bitmap, size.width, size.height));
    }, reply);
  },
  // Pixels of a generated image coming back: {width, height, rgba}.
  decode({ bytes }, reply, id) {
    const data = bytesOf(bytes);
    input(data);
    const fromFile = now(id, () => core._dg_decode_image(id), 'rgba');
    withBrowserDecoder(id, data, fromFile, (bitmap) => (
      { ok: true, value: { width: bitmap.width, height: bitmap.height, rgba: new Uint8Array(pixelsOf(bitmap).buffer) } }
    ), reply);
  },
  caption({ upload, endpoint }, reply, id) {
    pending.set(id, reply);
    input(bytesOf(upload.bytes));
    withStrings([upload.contentType, JSON.stringify(endpoint)], (type, e) => core._dg_start_caption(id, type, e));
  },
  generate({ prompt, endpoint, parameters = {} }, reply, id) {
    pending.set(id, withBytes(reply));
    withStrings([prompt, JSON.stringify(endpoint), JSON.stringify(parameters)], (p, e, g) => core._dg_start_generation(id, p, e, g));
  },
  cancel({ targetId }, reply, id) {
    reply(now(id, () => core._dg_cancel_job(id, targetId)));
  },
  'warm-up'(payload, reply) {
    warmUp();
    reply({ ok: true, value: {} });
  },
};

function handle({ id, type, payload }) {
  const operation = operations[type];
  if (!operation) {
    postMessage({ id, error: { code: 'unknown_request', message: `Unknown request "${type}".`, status: 0, requestId: '' } });
    return;
  }
  try {
    operation(payload, (outcome) => answer(id, outcome), id);
  } catch (error) {
    postMessage({ id, error: internalError(error) });
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
