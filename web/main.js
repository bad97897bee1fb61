// The page shell of Describe & Generate: builds the UI inside one container, keeps the settings,
// and talks to worker.js, which owns the WebAssembly core. This file only touches the DOM: every
// byte of image work and every HTTP request happens in the worker.

export const DEFAULT_CAPTION_URL =
  'https://router.huggingface.co/hf-inference/models/Salesforce/blip-image-captioning-large';
export const DEFAULT_GENERATION_URL =
  'https://router.huggingface.co/hf-inference/models/black-forest-labs/FLUX.1-schnell';
export const DEFAULT_ENDPOINT_STYLE = 'hf-inference';

const ENDPOINT_STYLES = ['hf-inference', 'custom-json'];
const CAPTION_TIMEOUT_MS = 60_000;
const GENERATION_TIMEOUT_MS = 120_000;
// BLIP works at 384 px; 1024 keeps detail while staying far below the routers' body limits.
const MAX_UPLOAD_SIDE = 1024;

const STORAGE_KEYS = {
  endpoints: 'describe-and-generate.endpoints',
  token: 'describe-and-generate.token',
};

const DOWNLOAD_EXTENSIONS = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/* ----------------------------------------------------------------------------------------------
 * Talking to the worker
 * ------------------------------------------------------------------------------------------- */

/** An error as the worker reports it: a code, a readable message, and the HTTP details if any. */
export class WorkerError extends Error {
  constructor({ code = 'unknown', message = '', status = 0, requestId = '' } = {}) {
    super(message || 'Something went wrong.');
    this.name = 'WorkerError';
    this.code = code;
    this.status = Number(status) || 0;
    this.requestId = requestId || '';
  }

  static from(reported, fallbackCode = 'unknown') {
    if (reported instanceof WorkerError) return reported;
    if (typeof reported === 'string') return new WorkerError({ code: fallbackCode, message: reported });
    return new WorkerError({ code: fallbackCode, ...reported, message: reported?.message });
  }
}

/**
 * Promise-based client for the `{ id, type, payload }` -> `{ id, result | error | progress }`
 * protocol. Messages sent before the worker is ready are queued by the worker itself.
 */
class WorkerClient {
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
        message: event.message
          ? `The image engine stopped (${event.message}).`
          : 'The image engine could not be loaded (worker.js is missing or broken).',
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

/* ----------------------------------------------------------------------------------------------
 * Settings kept on this device
 * ------------------------------------------------------------------------------------------- */

// Storage may be missing or throw (private browsing, sandboxed iframes, a full quota); the app
// must keep working without it, just without remembering anything.
function defaultStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

class SettingsStore {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  loadEndpoints() {
    let saved = {};
    try {
      saved = JSON.parse(this.#get(STORAGE_KEYS.endpoints) ?? '{}') ?? {};
    } catch {
      // A damaged entry is as good as none.
    }
    return {
      style: ENDPOINT_STYLES.includes(saved.style) ? saved.style : DEFAULT_ENDPOINT_STYLE,
      captionUrl: typeof saved.captionUrl === 'string' ? saved.captionUrl : DEFAULT_CAPTION_URL,
      generationUrl: typeof saved.generationUrl === 'string' ? saved.generationUrl : DEFAULT_GENERATION_URL,
    };
  }

  saveEndpoints(endpoints) {
    this.#set(STORAGE_KEYS.endpoints, JSON.stringify(endpoints));
  }

  /** The remembered token, or null when the person did not ask to be remembered. */
  loadToken() {
    return this.#get(STORAGE_KEYS.token);
  }

  rememberToken(token) {
    this.#set(STORAGE_KEYS.token, token);
  }

  forgetToken() {
    try {
      this.#storage?.removeItem(STORAGE_KEYS.token);
    } catch {
      // Nothing stored, nothing to forget.
    }
  }

  #get(key) {
    try {
      return this.#storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  #set(key, value) {
    try {
      this.#storage?.setItem(key, value);
    } catch {
      // Not remembered this time; the value still works for this session.
    }
  }
}

/* ----------------------------------------------------------------------------------------------
 * The markup
 * ------------------------------------------------------------------------------------------- */

let mountedCount = 0;

// Ids are prefixed per mount so that two apps on one page never share a label target.
function appMarkup(uid) {
  return `
<div class="dg" tabindex="-1">
  <header class="dg-header">
    <h1 class="dg-title">Describe &amp; Generate</h1>
    <p class="dg-tagline">A captioning model describes your photo, then a text-to-image model paints a new picture from that caption.</p>
  </header>

  <div class="dg-columns">
    <section class="dg-card" aria-labelledby="${uid}-input-heading">
      <h2 class="dg-card-title" id="${uid}-input-heading">Your photo</h2>
      <label class="dg-label" for="${uid}-image">Image</label>
      <div class="dg-dropzone" data-ref="dropzone">
        <input class="dg-file" id="${uid}-image" type="file" accept="image/*"
               aria-describedby="${uid}-image-hint" data-ref="fileInput">
        <img class="dg-preview" data-ref="preview" alt="Preview of the chosen image" hidden>
        <div class="dg-dropzone-hint" data-ref="dropHint">
          <svg class="dg-dropzone-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"/>
          </svg>
          <span id="${uid}-image-hint">Click to choose a photo, drop one here, or paste it from the clipboard.</span>
        </div>
      </div>
      <p class="dg-image-info" data-ref="imageInfo"></p>
      <div class="dg-actions">
        <button type="button" class="dg-button" data-ref="captionButton">Generate caption</button>
        <button type="button" class="dg-button dg-button-primary" data-ref="bothButton">Caption and generate</button>
      </div>
    </section>

    <section class="dg-card" aria-labelledby="${uid}-output-heading">
      <h2 class="dg-card-title" id="${uid}-output-heading">Result</h2>
      <label class="dg-label" for="${uid}-caption">Caption</label>
      <textarea class="dg-textarea" id="${uid}-caption" rows="3" data-ref="caption"
                aria-describedby="${uid}-caption-hint"
                placeholder="Generate a caption from the photo, or write your own description."></textarea>
      <p class="dg-hint" id="${uid}-caption-hint">Edit it freely: “Generate image” paints whatever it says (Ctrl+Enter).</p>
      <div class="dg-actions">
        <button type="button" class="dg-button" data-ref="generateButton">Generate image</button>
      </div>
      <div class="dg-output" role="region" aria-label="Generated image" data-ref="output">
        <img class="dg-output-image" data-ref="outputImage" alt="" hidden>
        <p class="dg-output-placeholder" data-ref="outputPlaceholder">The new picture will appear here.</p>
      </div>
      <a class="dg-button dg-download" data-ref="download" hidden>Download image</a>
    </section>
  </div>

  <div class="dg-feedback">
    <div class="dg-activity">
      <p class="dg-status" role="status" data-ref="status"></p>
      <progress class="dg-progress" max="1" aria-label="Progress" data-ref="progress" hidden></progress>
      <button type="button" class="dg-button dg-button-quiet" data-ref="cancelButton" hidden>Cancel</button>
    </div>
    <div class="dg-alert" role="alert" data-ref="alert"></div>
  </div>

  <details class="dg-settings" data-ref="settings">
    <summary class="dg-settings-summary">Settings</summary>
    <form class="dg-settings-body" data-ref="settingsForm">
      <div class="dg-field">
        <label class="dg-label" for="${uid}-token">Hugging Face token</label>
        <input class="dg-input" id="${uid}-token" type="password" autocomplete="off" spellcheck="false"
               autocapitalize="off" placeholder="hf_…" aria-describedby="${uid}-token-hint" data-ref="token">
        <p class="dg-hint" id="${uid}-token-hint">
          Create one at <a href="https://huggingface.co/settings/tokens" target="_blank" rel="noopener noreferrer">huggingface.co/settings/tokens</a>
          with the “Inference Providers” permission. It stays in this tab unless you tick the box below.
        </p>
        <label class="dg-check">
          <input type="checkbox" data-ref="remember"> Remember on this device
        </label>
      </div>
      <div class="dg-field">
        <label class="dg-label" for="${uid}-style">Endpoint style</label>
        <select class="dg-input" id="${uid}-style" data-ref="style" aria-describedby="${uid}-style-hint">
          <option value="hf-inference">Hugging Face Inference</option>
          <option value="custom-json">Custom JSON endpoint</option>
        </select>
        <p class="dg-hint" id="${uid}-style-hint">
          Hugging Face Inference sends the photo as image bytes and receives image bytes.
          A custom JSON endpoint receives <code>{"inputs": "&lt;base64&gt;"}</code> and answers JSON, as in the original lesson.
        </p>
      </div>
      <div class="dg-field">
        <label class="dg-label" for="${uid}-caption-url">Captioning endpoint</label>
        <input class="dg-input" id="${uid}-caption-url" type="url" inputmode="url" spellcheck="false"
               autocomplete="off" data-ref="captionUrl">
      </div>
      <div class="dg-field">
        <label class="dg-label" for="${uid}-generation-url">Generation endpoint</label>
        <input class="dg-input" id="${uid}-generation-url" type="url" inputmode="url" spellcheck="false"
               autocomplete="off" data-ref="generationUrl">
      </div>
      <div class="dg-actions">
        <button type="button" class="dg-button dg-button-quiet" data-ref="resetButton">Restore default endpoints</button>
      </div>
    </form>
  </details>
</div>`;
}

function buildDom(container, uid) {
  const template = document.createElement('template');
  template.innerHTML = appMarkup(uid).trim();
  const root = template.content.firstElementChild;
  const refs = { root };
  for (const element of root.querySelectorAll('[data-ref]')) refs[element.dataset.ref] = element;
  container.replaceChildren(root);
  return refs;
}

/* ----------------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------------- */

function downloadNameFor(mimeType) {
  return `describe-and-generate.${DOWNLOAD_EXTENSIONS[mimeType] ?? 'png'}`;
}

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

// Hugging Face's own hosts always want a token; a custom endpoint may well be public.
function isHuggingFaceHost(url) {
  const host = hostOf(url);
  return host === 'huggingface.co' || host.endsWith('.huggingface.co') || host.endsWith('.huggingface.cloud');
}

function fileFromTransfer(dataTransfer, { imagesOnly }) {
  const files = Array.from(dataTransfer?.files ?? []);
  return files.find((file) => !imagesOnly || file.type.startsWith('image/')) ?? null;
}

function carriesFiles(dataTransfer) {
  return Array.from(dataTransfer?.types ?? []).includes('Files');
}

// The worker reports either a ready-made message or, before a retry, what went wrong and how long
// it waits; the second shape is turned into a sentence here.
function describeProgress({ message, failedAttempt, maxAttempts, waitMs, modelLoading, reason }) {
  if (message) return message;
  if (!failedAttempt) return '';
  const cause = modelLoading ? 'The model is loading' : (reason || 'The server did not answer').replace(/[.!]\s*$/, '');
  const seconds = Math.max(1, Math.round((Number(waitMs) || 0) / 1000));
  const attempt = maxAttempts ? ` (attempt ${failedAttempt + 1} of ${maxAttempts})` : '';
  return `${cause}; trying again in ${seconds} s${attempt}…`;
}

// The token must never be shown, even if some layer echoed it back inside an error message.
function redact(text, secret) {
  return secret ? text.split(secret).join('•••') : text;
}

/* ----------------------------------------------------------------------------------------------
 * The app
 * ------------------------------------------------------------------------------------------- */

class DescribeAndGenerateApp {
  #refs;
  #client;
  #settings;
  #destroyed = false;
  #busy = false;
  #runningRequestId = 0;
  #prepared = null; // the latest successfully prepared upload: what "Generate caption" sends
  #previewUrl = '';
  #outputUrl = '';

  constructor(container, options) {
    mountedCount += 1;
    this.#refs = buildDom(container, `dg${mountedCount}`);
    this.#settings = new SettingsStore(options.storage === undefined ? defaultStorage() : options.storage);
    this.#restoreSettings();
    this.#wireEvents();
    this.#setStatus('Loading the image engine…');
    this.#client = this.#startWorker(options.workerUrl ?? new URL('./worker.js', import.meta.url));
  }

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#client?.terminate();
    if (this.#previewUrl) URL.revokeObjectURL(this.#previewUrl);
    if (this.#outputUrl) URL.revokeObjectURL(this.#outputUrl);
    this.#refs.root.remove();
  }

  /* --- setup ----------------------------------------------------------------------------- */

  #startWorker(workerUrl) {
    const handlers = {
      onReady: () => {
        if (!this.#busy) this.#setStatus('Ready. Choose a photo to begin.');
      },
      onFatal: (error) => this.#showEngineFailure(error),
    };
    let worker;
    try {
      worker = new Worker(workerUrl, { type: 'module' });
    } catch (error) {
      // Worker construction throws synchronously on some hosts (file://, a strict CSP).
      worker = new UnavailableWorker(`The image engine could not be started (${error.message}).`);
    }
    return new WorkerClient(worker, handlers);
  }

  #restoreSettings() {
    const { style, captionUrl, generationUrl } = this.#settings.loadEndpoints();
    const refs = this.#refs;
    refs.style.value = style;
    refs.captionUrl.value = captionUrl;
    refs.generationUrl.value = generationUrl;
    const rememberedToken = this.#settings.loadToken();
    refs.remember.checked = rememberedToken !== null;
    refs.token.value = rememberedToken ?? '';
    // Someone without a token has to visit the settings first anyway.
    refs.settings.open = !refs.token.value;
  }

  #wireEvents() {
    const refs = this.#refs;
    refs.captionButton.addEventListener('click', () => this.#generateCaption());
    refs.generateButton.addEventListener('click', () => this.#generateImage());
    refs.bothButton.addEventListener('click', () => this.#captionAndGenerate());
    refs.cancelButton.addEventListener('click', () => this.#cancelRunningRequest());
    refs.resetButton.addEventListener('click', () => this.#restoreDefaultEndpoints());
    // The settings are a form only so that password managers and browsers treat the token
    // field properly; pressing Enter in it must not reload the page.
    refs.settingsForm.addEventListener('submit', (event) => event.preventDefault());

    refs.caption.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.#generateImage();
      }
    });

    refs.fileInput.addEventListener('change', () => {
      const file = refs.fileInput.files?.[0];
      // Cleared so that choosing the same file again still counts as a choice.
      refs.fileInput.value = '';
      if (file) this.#chooseImage(file);
    });
    // fileInput.click() bubbles back up here; the target check keeps that from looping.
    refs.dropzone.addEventListener('click', (event) => {
      if (event.target !== refs.fileInput && !refs.fileInput.disabled) refs.fileInput.click();
    });
    this.#wireDragAndDrop();
    refs.root.addEventListener('paste', (event) => {
      const file = fileFromTransfer(event.clipboardData, { imagesOnly: true });
      if (!file) return; // text pastes into the caption as usual
      event.preventDefault();
      this.#chooseImage(file);
    });

    refs.token.addEventListener('input', () => this.#saveToken());
    refs.remember.addEventListener('change', () => this.#saveToken());
    for (const field of [refs.style, refs.captionUrl, refs.generationUrl]) {
      field.addEventListener('input', () => this.#saveEndpoints());
    }
  }

  // Files dropped anywhere in the app count, so a near miss never navigates away from the page.
  #wireDragAndDrop() {
    const { root, dropzone } = this.#refs;
    root.addEventListener('dragover', (event) => {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = this.#busy ? 'none' : 'copy';
      dropzone.classList.add('is-dragging');
    });
    root.addEventListener('dragleave', (event) => {
      if (!root.contains(event.relatedTarget)) dropzone.classList.remove('is-dragging');
    });
    root.addEventListener('drop', (event) => {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      dropzone.classList.remove('is-dragging');
      const file = fileFromTransfer(event.dataTransfer, { imagesOnly: false });
      if (file) this.#chooseImage(file);
    });
  }

  /* --- settings -------------------------------------------------------------------------- */

  #saveToken() {
    if (this.#refs.remember.checked) this.#settings.rememberToken(this.#refs.token.value);
    else this.#settings.forgetToken();
  }

  #saveEndpoints() {
    this.#settings.saveEndpoints({
      style: this.#refs.style.value,
      captionUrl: this.#refs.captionUrl.value.trim(),
      generationUrl: this.#refs.generationUrl.value.trim(),
    });
  }

  #restoreDefaultEndpoints() {
    this.#refs.style.value = DEFAULT_ENDPOINT_STYLE;
    this.#refs.captionUrl.value = DEFAULT_CAPTION_URL;
    this.#refs.generationUrl.value = DEFAULT_GENERATION_URL;
    this.#saveEndpoints();
  }

  /** The endpoint the worker should call, or an error message naming the setting to fix. */
  #endpointFor(kind) {
    const isCaption = kind === 'caption';
    const urlField = isCaption ? this.#refs.captionUrl : this.#refs.generationUrl;
    const url = urlField.value.trim();
    const token = this.#refs.token.value.trim();
    if (!url) {
      return { problem: `Enter a ${isCaption ? 'captioning' : 'generation'} endpoint in Settings.`, field: urlField };
    }
    if (!token && isHuggingFaceHost(url)) {
      return { problem: 'Enter your Hugging Face token in Settings first.', field: this.#refs.token };
    }
    return {
      endpoint: {
        style: this.#refs.style.value,
        url,
        token,
        timeoutMs: isCaption ? CAPTION_TIMEOUT_MS : GENERATION_TIMEOUT_MS,
      },
    };
  }

  #pointAtSetting(problem, field) {
    this.#showAlert(problem);
    this.#refs.settings.open = true;
    field.focus();
  }

  /* --- the three flows ------------------------------------------------------------------- */

  #generateCaption() {
    if (!this.#checkImageChosen()) return;
    const caption = this.#endpointFor('caption');
    if (caption.problem) return this.#pointAtSetting(caption.problem, caption.field);
    this.#runTask(this.#refs.captionButton, async () => {
      await this.#describe(caption.endpoint);
      this.#setStatus('Caption ready.');
    });
  }

  #generateImage() {
    if (this.#busy) return; // Ctrl+Enter in the caption bypasses the disabled button
    const prompt = this.#refs.caption.value.trim();
    if (!prompt) {
      this.#showAlert('Write a caption first, or generate one from an image.');
      this.#refs.caption.focus();
      return;
    }
    const generation = this.#endpointFor('generation');
    if (generation.problem) return this.#pointAtSetting(generation.problem, generation.field);
    this.#runTask(this.#refs.generateButton, async () => {
      await this.#paint(prompt, generation.endpoint);
      this.#setStatus('Picture ready.');
    });
  }

  #captionAndGenerate() {
    if (!this.#checkImageChosen()) return;
    // Both settings are checked up front: failing after the caption would waste a request.
    const caption = this.#endpointFor('caption');
    if (caption.problem) return this.#pointAtSetting(caption.problem, caption.field);
    const generation = this.#endpointFor('generation');
    if (generation.problem) return this.#pointAtSetting(generation.problem, generation.field);
    this.#runTask(this.#refs.bothButton, async () => {
      const text = await this.#describe(caption.endpoint);
      if (!text.trim()) {
        throw new WorkerError({ code: 'empty-caption', message: 'The captioning model returned an empty caption.' });
      }
      await this.#paint(text.trim(), generation.endpoint);
      this.#setStatus('Caption and picture ready.');
    });
  }

  #checkImageChosen() {
    if (this.#prepared) return true;
    this.#showAlert('Choose an image first.');
    this.#refs.fileInput.focus();
    return false;
  }

  async #describe(endpoint) {
    const upload = { bytes: this.#prepared.bytes.slice(0), contentType: this.#prepared.contentType };
    const result = await this.#send('caption', { upload, endpoint }, {
      transfer: [upload.bytes],
      status: 'Describing the image…',
    });
    this.#refs.caption.value = result.caption;
    return result.caption;
  }

  async #paint(prompt, endpoint) {
    const result = await this.#send('generate', { prompt, endpoint, parameters: {} }, {
      status: 'Painting the picture…',
    });
    await this.#showGeneratedImage(result.bytes, result.mimeType, prompt);
  }

  /* --- choosing an image ----------------------------------------------------------------- */

  #chooseImage(file) {
    if (this.#busy) {
      this.#setStatus('Please wait for the current request to finish before choosing another image.');
      return;
    }
    this.#runTask(null, async () => {
      this.#setStatus('Preparing the image…');
      // arrayBuffer() reads a fresh copy each time, so transferring it leaves the File intact.
      const bytes = await file.arrayBuffer();
      const prepared = await this.#client.request(
        'prepare',
        { bytes, maxSide: MAX_UPLOAD_SIDE, format: 'jpeg' },
        { transfer: [bytes] },
      ).promise;
      this.#acceptPreparedImage(prepared, file.name);
    });
  }

  // Only a successful preparation replaces the previous image: a bad file loses nothing.
  #acceptPreparedImage(prepared, fileName) {
    const { preview, dropHint, imageInfo } = this.#refs;
    this.#prepared = prepared;
    if (this.#previewUrl) URL.revokeObjectURL(this.#previewUrl);
    // The preview shows the prepared upload: upright and exactly what the model will see.
    this.#previewUrl = URL.createObjectURL(new Blob([prepared.bytes], { type: prepared.contentType }));
    preview.src = this.#previewUrl;
    preview.hidden = false;
    dropHint.classList.add('has-image');

    const source = `${prepared.sourceWidth} × ${prepared.sourceHeight}`;
    const sent = `${prepared.width} × ${prepared.height}`;
    imageInfo.textContent = source === sent ? `${fileName} · ${source}` : `${fileName} · ${source}, sent as ${sent}`;
    this.#setStatus('Image ready.');
  }

  /* --- showing the result ---------------------------------------------------------------- */

  async #showGeneratedImage(bytes, mimeType, prompt) {
    const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
    // Decode first, so that an undisplayable answer does not replace the previous picture.
    try {
      const probe = new Image();
      probe.src = url;
      await probe.decode();
    } catch {
      URL.revokeObjectURL(url);
      throw new WorkerError({
        code: 'undisplayable',
        message: `The generation endpoint answered with an image this browser cannot display (${mimeType || 'unknown type'}).`,
      });
    }
    const { outputImage, outputPlaceholder, download } = this.#refs;
    if (this.#outputUrl) URL.revokeObjectURL(this.#outputUrl);
    this.#outputUrl = url;
    outputImage.src = url;
    outputImage.alt = prompt;
    outputImage.hidden = false;
    outputPlaceholder.hidden = true;
    download.href = url;
    download.download = downloadNameFor(mimeType);
    download.hidden = false;
  }

  /* --- running requests ------------------------------------------------------------------ */

  /** Sends one request to the worker, showing its progress and allowing it to be cancelled. */
  async #send(type, payload, { transfer = [], status }) {
    this.#setStatus(status);
    const { id, promise } = this.#client.request(type, payload, {
      transfer,
      onProgress: (progress) => this.#showProgress(progress),
    });
    this.#runningRequestId = id;
    this.#refs.cancelButton.hidden = false;
    try {
      const result = await promise;
      this.#keepRequestId(result?.requestId);
      return result;
    } finally {
      this.#runningRequestId = 0;
      this.#refs.cancelButton.hidden = true;
      this.#showProgress(null);
    }
  }

  // One task at a time; whatever happens inside, the page ends up usable again.
  async #runTask(button, task) {
    if (this.#busy || this.#destroyed) return;
    this.#setBusy(true, button);
    this.#clearAlert();
    try {
      await task();
    } catch (error) {
      if (!this.#destroyed) this.#reportFailure(error);
    } finally {
      this.#setBusy(false, button);
    }
  }

  #setBusy(busy, button) {
    const refs = this.#refs;
    this.#busy = busy;
    for (const actionButton of [refs.captionButton, refs.generateButton, refs.bothButton]) {
      actionButton.disabled = busy;
    }
    refs.fileInput.disabled = busy;
    refs.dropzone.classList.toggle('is-disabled', busy);
    refs.root.setAttribute('aria-busy', String(busy));
    if (button) button.setAttribute('aria-busy', String(busy));
  }

  #cancelRunningRequest() {
    if (!this.#runningRequestId) return;
    this.#client.cancel(this.#runningRequestId);
    this.#setStatus('Cancelling…');
  }

  /* --- status and errors ----------------------------------------------------------------- */

  #setStatus(text) {
    this.#refs.status.textContent = text;
  }

  // The server's id for the latest answer is what a bug report needs; it stays out of the way
  // as the status line's tooltip.
  #keepRequestId(requestId) {
    this.#refs.status.title = requestId ? `Request id: ${requestId}` : '';
  }

  #showProgress(progress) {
    const bar = this.#refs.progress;
    const message = progress && describeProgress(progress);
    if (message) this.#setStatus(message);
    const fraction = progress?.fraction;
    if (typeof fraction === 'number' && fraction >= 0 && fraction <= 1) {
      bar.value = fraction;
      bar.hidden = false;
    } else {
      bar.hidden = true;
    }
  }

  #reportFailure(error) {
    if (error?.code === 'cancelled') {
      this.#setStatus('Cancelled.');
      return;
    }
    this.#setStatus('');
    this.#showAlert(this.#describeFailure(error));
  }

  #describeFailure(error) {
    if (error?.engineDown) return this.#engineFailureText(error);
    const lines = [error?.message || String(error)];
    if (error?.status) lines.push(`HTTP status: ${error.status}`);
    if (error?.requestId) lines.push(`Request id: ${error.requestId}`);
    return redact(lines.join('\n'), this.#refs.token.value.trim());
  }

  #showEngineFailure(error) {
    if (this.#destroyed) return;
    this.#setStatus('');
    this.#showAlert(this.#engineFailureText(error));
  }

  #engineFailureText(error) {
    return `${error.message.replace(/[.!]?\s*$/, '.')} Reload the page to try again.`;
  }

  #showAlert(text) {
    this.#refs.alert.textContent = text;
  }

  #clearAlert() {
    this.#refs.alert.textContent = '';
  }
}

// Stands in for a Worker that could not even be constructed: it reports the reason the way a
// real worker reports a failed start, so the client needs no special case.
class UnavailableWorker extends EventTarget {
  constructor(message) {
    super();
    const error = { code: 'engine_unavailable', message, status: 0, requestId: '' };
    queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { type: 'fatal', error } })));
  }

  postMessage() {}

  terminate() {}
}

/**
 * Builds the whole app inside `container`.
 * @param {HTMLElement} container
 * @param {{ workerUrl?: string | URL, storage?: Storage | null }} [options]
 *   workerUrl: where worker.js lives (default: next to this file);
 *   storage: where remembered settings go (default: localStorage; null remembers nothing).
 * @returns {{ destroy(): void }}
 */
export function mountApp(container, options = {}) {
  const app = new DescribeAndGenerateApp(container, options);
  return { destroy: () => app.destroy() };
}
