// The page's side of the worker protocol (see worker.js): numbered requests, their promises and
// progress, and one fatal error that ends every waiting request when the engine stops.

import { STRINGS } from '../strings.js';

/** An error as the worker reports it: a code, a readable message, and the HTTP details if any. */
export class WorkerError extends Error {
  constructor({ code = 'unknown', message = '', status = 0, requestId = '' } = {}) {
    super(message || 'Something went wrong.');
    this.name = 'WorkerError';
    this.code = code;
    this.status = Number(status) || 0;
    this.requestId = requestId || '';
  }

  /** From the plain `{code, message, status, requestId}` object a worker message carries. */
  static from(reported, fallbackCode = 'unknown') {
    return new WorkerError({ code: fallbackCode, ...reported });
  }
}

/**
 * Promise-based client for the `{ id, type, payload }` -> `{ id, result | error | progress }`
 * protocol. Messages sent before the worker is ready are queued by the worker itself.
 */
export class WorkerClient {
  #worker;
  #nextId = 1;
  #pending = new Map();
  #failure = null;
  #onReady;
  #onFatal;

  constructor(worker, { onReady, onFatal }) {
    this.#worker = worker;
    this.#onReady = onReady;
    this.#onFatal = onFatal;
    worker.addEventListener('message', (event) => this.#handleMessage(event.data));
    // A worker script that is missing or does not parse never gets to post 'fatal' itself, and
    // an uncaught error later leaves the engine in an unknown state: both end the session.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#fail(new WorkerError({
        code: 'engine_unavailable',
        message: event.message ? STRINGS.en.engineStopped(event.message) : STRINGS.en.engineMissing,
      }));
    });
  }

  /** Sends one request. Returns its id (for cancel) and a promise of its result. */
  request(type, payload, { transfer = [], onProgress } = {}) {
    const id = this.#nextId++;
    const promise = new Promise((resolve, reject) => {
      if (this.#failure) {
        reject(this.#failure);
        return;
      }
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, type, payload }, transfer);
    });
    return { id, promise };
  }

  /** Lets the worker get its image code optimised before a first photo (see warmUp in worker.js). */
  warmUp() {
    this.request('warm-up', {}).promise.catch(() => {});
  }

  /** Asks the worker to abort a running request; that request then fails with code 'cancelled'. */
  cancel(targetId) {
    this.request('cancel', { targetId }).promise.catch(() => {});
  }

  terminate() {
    this.#worker.terminate();
    this.#fail(new WorkerError({ code: 'terminated', message: 'The app was closed.' }), { quietly: true });
  }

  #handleMessage(message) {
    if (message?.type === 'ready') {
      this.#onReady();
      return;
    }
    if (message?.type === 'fatal') {
      this.#fail(WorkerError.from(message.error, 'engine_unavailable'));
      return;
    }
    const entry = this.#pending.get(message?.id);
    if (!entry) return;
    if (message.progress) {
      entry.onProgress?.(message.progress);
      return;
    }
    this.#pending.delete(message.id);
    if (message.error) entry.reject(WorkerError.from(message.error));
    else entry.resolve(message.result);
  }

  // Every waiting request is rejected so that no button stays disabled forever.
  #fail(error, { quietly = false } = {}) {
    if (this.#failure) return;
    error.engineDown = true;
    this.#failure = error;
    for (const entry of this.#pending.values()) entry.reject(error);
    this.#pending.clear();
    if (!quietly) this.#onFatal(error);
  }
}

// Stands in for a Worker that could not even be constructed: it reports the reason the way a
// real worker reports a failed start, so the client needs no special case.
export class UnavailableWorker extends EventTarget {
  constructor(message) {
    super();
    const error = { code: 'engine_unavailable', message, status: 0, requestId: '' };
    queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { type: 'fatal', error } })));
  }

  postMessage() {}

  terminate() {}
}
