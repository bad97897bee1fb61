// Owns the WebAssembly core; the page never touches wasm memory. Protocol:
//   page -> worker  { id, type: 'prepare' | 'caption' | 'generate' | 'cancel', payload }
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

const operations = {
  prepare({ bytes, maxSide = 1024, format = 'jpeg', quality = 90 }, reply) {
    reply(core.prepareUpload(bytesOf(bytes), JSON.stringify({ maxSide, format, quality })));
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
  if (result.bytes instanceof Uint8Array) {
    result.bytes = result.bytes.buffer;  // a fresh copy made by the core: safe to hand over
    transfer.push(result.bytes);
  }
  postMessage({ id, result }, transfer);
}
