// The page shell of Describe & Generate: builds the UI inside one container, keeps the settings,
// and talks to worker.js, which owns the WebAssembly core. This file only touches the DOM: every
// byte of image work and every HTTP request happens in the worker. Its words are in strings.js.

import { LANGUAGES, STRINGS, browserLanguage, supportedLanguage } from './strings.js';

export const DEFAULT_CAPTION_URL =
  'https://router.huggingface.co/hf-inference/models/Salesforce/blip-image-captioning-large';
export const DEFAULT_GENERATION_URL =
  'https://router.huggingface.co/hf-inference/models/black-forest-labs/FLUX.1-schnell';
export const DEFAULT_ENDPOINT_STYLE = 'hf-inference';
// Captioning with a vision-language model goes through the router's OpenAI-compatible chat route;
// OpenAI-style image generation is offered per provider (together and nscale in 2026).
export const DEFAULT_CHAT_URL = 'https://router.huggingface.co/v1/chat/completions';
export const DEFAULT_CHAT_MODEL = 'Qwen/Qwen2.5-VL-3B-Instruct';
export const DEFAULT_OPENAI_IMAGES_URL = 'https://router.huggingface.co/together/v1/images/generations';
export const DEFAULT_IMAGE_MODEL = 'black-forest-labs/FLUX.1-schnell';

const ENDPOINT_STYLES = ['hf-inference', 'custom-json', 'dedicated'];
// The core sends this prompt when none is set; the page shows it as the field's placeholder.
const DEFAULT_CHAT_PROMPT = 'Describe this image in one sentence.';
// Sensible waits for CPU captioning and for busy generation providers (hf-api.md, section 5).
const DEFAULT_TIMEOUT_S = { caption: 60, generation: 120 };
// BLIP works at 384 px; 1024 keeps detail while staying far below the routers' body limits.
const DEFAULT_MAX_SIDE = 1024;

const STORAGE_KEYS = {
  settings: 'describe-and-generate.settings',
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

  /** From the plain `{code, message, status, requestId}` object a worker message carries. */
  static from(reported, fallbackCode = 'unknown') {
    return new WorkerError({ code: fallbackCode, ...reported });
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
export function defaultStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

// How each remembered field is read from and written to its element. Numbers are kept as the
// text the person typed, so a value that is not valid yet survives a reload unchanged.
const TEXT = {
  read: (field) => field.value.trim(),
  write: (field, value) => {
    field.value = value;
  },
  accepts: (value) => typeof value === 'string',
};
const FLAG = {
  read: (field) => field.checked,
  write: (field, value) => {
    field.checked = value;
  },
  accepts: (value) => typeof value === 'boolean',
};
const STYLE = { ...TEXT, accepts: (value) => ENDPOINT_STYLES.includes(value) };

// Keyed by the elements' data-ref names. The token is not among them: it is a secret and is
// remembered only on request, separately.
const SETTINGS_FIELDS = {
  style: STYLE,
  captionUrl: TEXT,
  chatCaptioning: FLAG,
  chatModel: TEXT,
  chatPrompt: TEXT,
  captionTimeout: TEXT,
  maxSide: TEXT,
  generationUrl: TEXT,
  openAiImages: FLAG,
  imageModel: TEXT,
  generationTimeout: TEXT,
};
const OPTION_FIELDS = {
  negativePrompt: TEXT,
  steps: TEXT,
  guidanceScale: TEXT,
  width: TEXT,
  height: TEXT,
  seed: TEXT,
  randomSeed: FLAG,
};
const REMEMBERED_FIELDS = { ...SETTINGS_FIELDS, ...OPTION_FIELDS };

/** The values a first visit starts with; an embedding page may choose its own endpoints. */
function defaultValues({ captionUrl, generationUrl, endpointStyle }) {
  return {
    style: ENDPOINT_STYLES.includes(endpointStyle) ? endpointStyle : DEFAULT_ENDPOINT_STYLE,
    captionUrl: captionUrl || DEFAULT_CAPTION_URL,
    chatCaptioning: false,
    chatModel: DEFAULT_CHAT_MODEL,
    chatPrompt: '',
    captionTimeout: String(DEFAULT_TIMEOUT_S.caption),
    maxSide: String(DEFAULT_MAX_SIDE),
    generationUrl: generationUrl || DEFAULT_GENERATION_URL,
    openAiImages: false,
    imageModel: DEFAULT_IMAGE_MODEL,
    generationTimeout: String(DEFAULT_TIMEOUT_S.generation),
    negativePrompt: '',
    steps: '',
    guidanceScale: '',
    width: '',
    height: '',
    seed: '',
    randomSeed: true,
  };
}

class SettingsStore {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  /** The remembered values that are still valid, over `defaults`. */
  load(defaults) {
    const saved = this.#saved();
    const values = { ...defaults };
    for (const [name, kind] of Object.entries(REMEMBERED_FIELDS)) {
      if (kind.accepts(saved[name])) values[name] = saved[name];
    }
    return values;
  }

  /** The interface language the person chose with the switch, or null if they never did. */
  loadLanguage() {
    const { language } = this.#saved();
    return LANGUAGES.includes(language) ? language : null;
  }

  #saved() {
    try {
      return JSON.parse(this.#get(STORAGE_KEYS.settings) ?? '{}') ?? {};
    } catch {
      return {}; // a damaged entry is as good as none
    }
  }

  save(values) {
    this.#set(STORAGE_KEYS.settings, JSON.stringify(values));
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
// Elements with the class dg-extra are what compact mode tucks away behind the "Options" toggle.
// Words come from strings.js through data-i18n attributes (text), data-i18n-html (markup from
// that table), and data-i18n-placeholder / -alt / -label (attributes), so that switching the
// language rewrites them in place without losing anything the person chose or typed.
function appMarkup(uid) {
  return `
<div class="dg" tabindex="-1">
  <header class="dg-header">
    <div class="dg-header-text">
      <h1 class="dg-title" data-i18n="title"></h1>
      <p class="dg-tagline" data-i18n="tagline"></p>
    </div>
    <div class="dg-header-tools">
      <div class="dg-language">
        <label class="dg-label" for="${uid}-language" data-i18n="language"></label>
        <select class="dg-input dg-language-select" id="${uid}-language" data-ref="language">
          ${LANGUAGES.map((code) => `<option value="${code}" lang="${code}">${STRINGS[code].languageName}</option>`).join('')}
        </select>
      </div>
      <button type="button" class="dg-button dg-button-quiet" aria-expanded="false"
              aria-controls="${uid}-options ${uid}-settings" data-ref="extrasToggle" data-i18n="options" hidden></button>
    </div>
  </header>

  <div class="dg-columns">
    <section class="dg-card" aria-labelledby="${uid}-input-heading">
      <h2 class="dg-card-title" id="${uid}-input-heading" data-i18n="yourPhoto"></h2>
      <label class="dg-label" for="${uid}-image" data-i18n="image"></label>
      <div class="dg-dropzone" data-ref="dropzone">
        <input class="dg-file" id="${uid}-image" type="file" accept="image/*"
               aria-describedby="${uid}-image-hint" data-ref="fileInput">
        <img class="dg-preview" data-ref="preview" data-i18n-alt="preview" hidden>
        <div class="dg-dropzone-hint" data-ref="dropHint">
          <svg class="dg-dropzone-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"/>
          </svg>
          <span id="${uid}-image-hint" data-i18n="dropHint"></span>
        </div>
      </div>
      <p class="dg-image-info" data-ref="imageInfo"></p>
      <div class="dg-actions">
        <!-- A second file input that asks for the camera; shown only on touch devices with one. -->
        <div class="dg-camera" data-ref="camera" hidden>
          <input class="dg-file" id="${uid}-camera" type="file" accept="image/*" capture="environment"
                 data-ref="cameraInput">
          <label class="dg-button" for="${uid}-camera">
            <svg class="dg-button-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z"/>
            </svg>
            <span data-i18n="takePhoto"></span>
          </label>
        </div>
        <button type="button" class="dg-button" data-ref="captionButton" data-i18n="generateCaption"></button>
        <button type="button" class="dg-button dg-button-primary" data-ref="bothButton" data-i18n="captionAndGenerate"></button>
      </div>
    </section>

    <section class="dg-card" aria-labelledby="${uid}-output-heading">
      <h2 class="dg-card-title" id="${uid}-output-heading" data-i18n="result"></h2>
      <label class="dg-label" for="${uid}-caption" data-i18n="caption"></label>
      <textarea class="dg-textarea" id="${uid}-caption" rows="3" data-ref="caption"
                aria-describedby="${uid}-caption-hint" data-i18n-placeholder="captionPlaceholder"></textarea>
      <p class="dg-hint" id="${uid}-caption-hint" data-i18n="captionHint"></p>

      <details class="dg-panel dg-extra" id="${uid}-options" data-ref="options">
        <summary class="dg-panel-summary" data-i18n="generationOptions"></summary>
        <div class="dg-panel-body dg-options-body">
          <p class="dg-hint dg-wide" data-i18n="optionsHint"></p>
          <div class="dg-field dg-wide">
            <label class="dg-label" for="${uid}-negative" data-i18n="negativePrompt"></label>
            <input class="dg-input" id="${uid}-negative" type="text" autocomplete="off"
                   data-i18n-placeholder="negativePromptPlaceholder" data-ref="negativePrompt">
          </div>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-steps" data-i18n="steps"></label>
            <input class="dg-input" id="${uid}-steps" type="number" inputmode="numeric" min="1" max="200" step="1"
                   data-i18n-placeholder="defaultPlaceholder" data-ref="steps">
          </div>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-guidance" data-i18n="guidanceScale"></label>
            <input class="dg-input" id="${uid}-guidance" type="number" inputmode="decimal" min="0" max="50" step="any"
                   data-i18n-placeholder="defaultPlaceholder" data-ref="guidanceScale">
          </div>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-width" data-i18n="width"></label>
            <input class="dg-input" id="${uid}-width" type="number" inputmode="numeric" min="64" max="2048" step="1"
                   data-i18n-placeholder="defaultPlaceholder" aria-describedby="${uid}-size-warning" data-ref="width">
          </div>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-height" data-i18n="height"></label>
            <input class="dg-input" id="${uid}-height" type="number" inputmode="numeric" min="64" max="2048" step="1"
                   data-i18n-placeholder="defaultPlaceholder" aria-describedby="${uid}-size-warning" data-ref="height">
          </div>
          <p class="dg-warning dg-wide" id="${uid}-size-warning" data-ref="sizeWarning" data-i18n="sizeWarning" hidden></p>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-seed" data-i18n="seed"></label>
            <input class="dg-input" id="${uid}-seed" type="number" inputmode="numeric" min="0" max="4294967295" step="1"
                   aria-describedby="${uid}-seed-hint" data-ref="seed">
          </div>
          <div class="dg-field dg-field-check">
            <label class="dg-check">
              <input type="checkbox" data-ref="randomSeed"> <span data-i18n="randomSeed"></span>
            </label>
          </div>
          <p class="dg-hint dg-wide" id="${uid}-seed-hint" data-i18n="seedHint"></p>
        </div>
      </details>

      <div class="dg-actions">
        <button type="button" class="dg-button" data-ref="generateButton" data-i18n="generateImage"></button>
      </div>
      <div class="dg-output" role="region" data-i18n-label="generatedImage" data-ref="output">
        <img class="dg-output-image" data-ref="outputImage" alt="" hidden>
        <p class="dg-output-placeholder" data-ref="outputPlaceholder" data-i18n="outputPlaceholder"></p>
      </div>
      <div class="dg-result-meta">
        <a class="dg-button dg-download" data-ref="download" data-i18n="downloadImage" hidden></a>
        <p class="dg-seed-info" data-ref="seedInfo" hidden></p>
      </div>
    </section>
  </div>

  <div class="dg-feedback">
    <div class="dg-activity">
      <p class="dg-status" role="status" data-ref="status"></p>
      <progress class="dg-progress" data-i18n-label="modelLoadingBar" data-ref="progress" hidden></progress>
      <button type="button" class="dg-button dg-button-quiet" data-ref="cancelButton" data-i18n="cancel" hidden></button>
    </div>
    <div class="dg-alert" role="alert" data-ref="alert"></div>
  </div>

  <details class="dg-panel dg-settings dg-extra" id="${uid}-settings" data-ref="settings">
    <summary class="dg-panel-summary" data-i18n="settings"></summary>
    <form class="dg-panel-body dg-settings-body" data-ref="settingsForm">
      <fieldset class="dg-group">
        <legend class="dg-group-title" data-i18n="connection"></legend>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-token" data-i18n="token"></label>
          <input class="dg-input" id="${uid}-token" type="password" autocomplete="off" spellcheck="false"
                 autocapitalize="off" placeholder="hf_…" aria-describedby="${uid}-token-hint" data-ref="token">
          <p class="dg-hint" id="${uid}-token-hint" data-i18n-html="tokenHintHtml"></p>
          <label class="dg-check">
            <input type="checkbox" data-ref="remember"> <span data-i18n="remember"></span>
          </label>
        </div>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-style" data-i18n="endpointStyle"></label>
          <select class="dg-input" id="${uid}-style" data-ref="style" aria-describedby="${uid}-style-hint ${uid}-dedicated-note">
            <option value="hf-inference" data-i18n="styleHfInference"></option>
            <option value="custom-json" data-i18n="styleCustomJson"></option>
            <option value="dedicated" data-i18n="styleDedicated"></option>
          </select>
          <p class="dg-hint" id="${uid}-style-hint" data-i18n-html="styleHintHtml"></p>
          <p class="dg-note" id="${uid}-dedicated-note" data-ref="dedicatedNote" data-i18n="dedicatedNote" hidden></p>
        </div>
      </fieldset>

      <fieldset class="dg-group">
        <legend class="dg-group-title" data-i18n="captioning"></legend>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-caption-url" data-i18n="captionUrl"></label>
          <input class="dg-input" id="${uid}-caption-url" type="url" inputmode="url" spellcheck="false"
                 autocomplete="off" data-ref="captionUrl">
        </div>
        <div class="dg-field">
          <label class="dg-check">
            <input type="checkbox" aria-describedby="${uid}-chat-hint" data-ref="chatCaptioning">
            <span data-i18n="chatCaptioning"></span>
          </label>
          <p class="dg-hint" id="${uid}-chat-hint" data-i18n-html="chatHintHtml"></p>
        </div>
        <div class="dg-subfields" data-ref="chatFields" hidden>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-chat-model" data-i18n="chatModel"></label>
            <input class="dg-input" id="${uid}-chat-model" type="text" spellcheck="false" autocomplete="off"
                   data-ref="chatModel">
          </div>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-chat-prompt" data-i18n="chatPrompt"></label>
            <!-- The placeholder is the prompt the core really sends when none is set, so it stays as sent. -->
            <input class="dg-input" id="${uid}-chat-prompt" type="text" autocomplete="off"
                   placeholder="${DEFAULT_CHAT_PROMPT}" data-ref="chatPrompt">
          </div>
        </div>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-caption-timeout" data-i18n="captionTimeout"></label>
          <input class="dg-input" id="${uid}-caption-timeout" type="number" inputmode="numeric" min="1" max="3600"
                 step="1" placeholder="${DEFAULT_TIMEOUT_S.caption}" data-ref="captionTimeout">
        </div>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-max-side" data-i18n="maxSide"></label>
          <input class="dg-input" id="${uid}-max-side" type="number" inputmode="numeric" min="64" max="4096" step="1"
                 placeholder="${DEFAULT_MAX_SIDE}" aria-describedby="${uid}-max-side-hint" data-ref="maxSide">
          <p class="dg-hint" id="${uid}-max-side-hint" data-i18n="maxSideHint"></p>
        </div>
      </fieldset>

      <fieldset class="dg-group">
        <legend class="dg-group-title" data-i18n="generation"></legend>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-generation-url" data-i18n="generationUrl"></label>
          <input class="dg-input" id="${uid}-generation-url" type="url" inputmode="url" spellcheck="false"
                 autocomplete="off" data-ref="generationUrl">
        </div>
        <div class="dg-field">
          <label class="dg-check">
            <input type="checkbox" aria-describedby="${uid}-openai-hint" data-ref="openAiImages">
            <span data-i18n="openAiImages"></span>
          </label>
          <p class="dg-hint" id="${uid}-openai-hint" data-i18n-html="openAiHintHtml"></p>
        </div>
        <div class="dg-subfields" data-ref="imageFields" hidden>
          <div class="dg-field">
            <label class="dg-label" for="${uid}-image-model" data-i18n="imageModel"></label>
            <input class="dg-input" id="${uid}-image-model" type="text" spellcheck="false" autocomplete="off"
                   data-ref="imageModel">
          </div>
        </div>
        <div class="dg-field">
          <label class="dg-label" for="${uid}-generation-timeout" data-i18n="generationTimeout"></label>
          <input class="dg-input" id="${uid}-generation-timeout" type="number" inputmode="numeric" min="1" max="3600"
                 step="1" placeholder="${DEFAULT_TIMEOUT_S.generation}" data-ref="generationTimeout">
        </div>
      </fieldset>

      <div class="dg-actions dg-wide">
        <button type="button" class="dg-button dg-button-quiet" data-ref="resetButton" data-i18n="restoreDefaults"></button>
      </div>
    </form>
  </details>
</div>`;
}

/** Writes every word of the markup in `strings`' language. */
function translateMarkup(root, strings) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = strings[element.dataset.i18n];
  for (const element of root.querySelectorAll('[data-i18n-html]')) element.innerHTML = strings[element.dataset.i18nHtml];
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = strings[element.dataset.i18nPlaceholder];
  for (const element of root.querySelectorAll('[data-i18n-alt]')) element.alt = strings[element.dataset.i18nAlt];
  for (const element of root.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', strings[element.dataset.i18nLabel]);
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

function labelOf(field) {
  return field.labels?.[0]?.textContent.trim() ?? field.name;
}

/**
 * What the app says, in `strings`' language. The app keeps messages in this form, not as text,
 * so that switching the language rewrites what is already on screen: a strings.js key, a
 * function of the strings, or nothing.
 */
function render(message, strings) {
  if (typeof message === 'function') return message(strings);
  return message ? strings[message] : '';
}

/** A fresh seed for every picture (0 to 2^32 - 1, the range the endpoints accept). */
function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

// Only tests and demos shrink the retry waits; anything unreadable leaves the real waits alone.
function retryDelayScaleFrom(value) {
  if (value === undefined || value === null || value === '') return null;
  const scale = Number(value);
  return Number.isFinite(scale) ? Math.min(1, Math.max(0, scale)) : null;
}

// What went wrong before a retry, as a short clause. A failure message's first sentence is its
// summary ("The server had a problem (HTTP 502)."); the advice after it does not apply while the
// app is already trying again by itself.
function retryCause({ modelLoading, reason }, strings) {
  if (modelLoading) return strings.modelLoadingCause;
  const summary = String(reason ?? '').trim().split(/(?<=[.!?])\s/)[0];
  return strings.retryCause(summary.replace(/[.!?]\s*$/, ''));
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
  #defaults;
  #retryDelayScale;
  #compact;
  #destroyed = false;
  #teardown = new AbortController(); // removes the listeners on objects outside the app's DOM
  #busy = false;
  #runningRequestId = 0;
  #activity = ''; // what the running request is doing, shown again once a retry wait is over
  #retryWait = null; // the countdown shown while the core waits before trying again
  #sourceFile = null; // kept so that the photo can be prepared again at another size
  #prepared = null; // the latest successfully prepared upload: what "Generate caption" sends
  #lastSeed = null; // the seed of the picture on screen
  #previewUrl = '';
  #outputUrl = '';
  #language = 'en';
  #strings = STRINGS.en;
  #languageChosen = false; // only a language picked with the switch is remembered
  #onLanguageChange;
  #messages = new Map(); // element -> the message it shows, rewritten when the language changes
  #requestIdTitle = null;

  constructor(container, options) {
    mountedCount += 1;
    this.#refs = buildDom(container, `dg${mountedCount}`);
    this.#defaults = defaultValues(options);
    this.#retryDelayScale = retryDelayScaleFrom(options.retryDelayScale);
    this.#compact = Boolean(options.compact);
    this.#onLanguageChange = options.onLanguageChange;
    this.#settings = new SettingsStore(options.storage === undefined ? defaultStorage() : options.storage);
    this.#refs.root.classList.toggle('dg-compact', this.#compact);
    this.#refs.extrasToggle.hidden = !this.#compact;
    this.#restoreSettings();
    // The person's own choice wins over the page's, which wins over the browser's.
    const remembered = this.#settings.loadLanguage();
    this.#languageChosen = remembered !== null;
    this.#setLanguage(remembered ?? supportedLanguage(options.language) ?? browserLanguage());
    this.#wireEvents();
    this.#offerCamera();
    this.#setStatus('loadingEngine');
    this.#client = this.#startWorker(options.workerUrl ?? new URL('./worker.js', import.meta.url));
  }

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#teardown.abort();
    this.#stopRetryWait();
    this.#client?.terminate();
    if (this.#previewUrl) URL.revokeObjectURL(this.#previewUrl);
    if (this.#outputUrl) URL.revokeObjectURL(this.#outputUrl);
    this.#refs.root.remove();
  }

  /* --- setup ----------------------------------------------------------------------------- */

  #startWorker(workerUrl) {
    const handlers = {
      onReady: () => {
        if (!this.#busy) this.#setStatus('ready');
      },
      onFatal: (error) => {
        if (!this.#destroyed) this.#reportFailure(error);
      },
    };
    let worker;
    try {
      worker = new Worker(workerUrl, { type: 'module' });
    } catch (error) {
      // Worker construction throws synchronously on some hosts (file://, a strict CSP).
      worker = new UnavailableWorker(STRINGS.en.engineNotStarted(error.message));
    }
    return new WorkerClient(worker, handlers);
  }

  #restoreSettings() {
    const refs = this.#refs;
    this.#writeFields(this.#settings.load(this.#defaults), REMEMBERED_FIELDS);
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
    refs.resetButton.addEventListener('click', () => this.#restoreDefaultSettings());
    refs.extrasToggle.addEventListener('click', () => this.#showExtras(!refs.root.classList.contains('dg-extras-shown')));
    // The settings are a form only so that password managers and browsers treat the token
    // field properly; pressing Enter in it must not reload the page.
    refs.settingsForm.addEventListener('submit', (event) => event.preventDefault());

    refs.caption.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.#generateImage();
      }
    });

    for (const input of [refs.fileInput, refs.cameraInput]) {
      input.addEventListener('change', () => {
        const file = input.files?.[0];
        // Cleared so that choosing the same file again still counts as a choice.
        input.value = '';
        if (file) this.#chooseImage(file);
      });
    }
    refs.language.addEventListener('change', () => {
      this.#languageChosen = true;
      this.#setLanguage(refs.language.value);
      this.#saveSettings();
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
    // One listener for every remembered field: checkboxes and selects fire 'input' too.
    refs.root.addEventListener('input', (event) => {
      const name = event.target.dataset?.ref;
      if (!Object.hasOwn(REMEMBERED_FIELDS, name)) return;
      this.#settingChanged(name);
      this.#saveSettings();
      this.#updateDependentFields();
    });
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

  // "Take photo" opens the camera through a file input with capture; it only makes sense on a
  // touch device that has a camera (a desktop would just show a second file chooser). Without
  // enumerateDevices (an insecure context) a touch device is assumed to have one, as phones do.
  #offerCamera() {
    const coarse = globalThis.matchMedia?.('(pointer: coarse)');
    const update = async () => {
      let hasCamera = Boolean(coarse?.matches);
      if (hasCamera && navigator.mediaDevices?.enumerateDevices) {
        try {
          const devices = await navigator.mediaDevices.enumerateDevices();
          hasCamera = devices.some((device) => device.kind === 'videoinput');
        } catch {
          // Unknown: keep the button, the system's chooser copes without a camera.
        }
      }
      if (!this.#destroyed) this.#refs.camera.hidden = !hasCamera;
    };
    const { signal } = this.#teardown;
    coarse?.addEventListener?.('change', update, { signal });
    navigator.mediaDevices?.addEventListener?.('devicechange', update, { signal });
    update();
  }

  /* --- settings -------------------------------------------------------------------------- */

  #readFields(fields) {
    return Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, kind.read(this.#refs[name])]));
  }

  #writeFields(values, fields) {
    for (const [name, kind] of Object.entries(fields)) kind.write(this.#refs[name], values[name]);
  }

  #saveSettings() {
    const values = this.#readFields(REMEMBERED_FIELDS);
    // Kept only once chosen, so that a browser switched to another language is followed.
    if (this.#languageChosen) values.language = this.#language;
    this.#settings.save(values);
  }

  #saveToken() {
    if (this.#refs.remember.checked) this.#settings.rememberToken(this.#refs.token.value);
    else this.#settings.forgetToken();
  }

  #restoreDefaultSettings() {
    this.#writeFields(this.#defaults, SETTINGS_FIELDS);
    this.#saveSettings();
    this.#updateDependentFields();
  }

  #settingChanged(name) {
    const refs = this.#refs;
    if (name === 'chatCaptioning') {
      offerDefaultUrl(refs.captionUrl, [this.#defaults.captionUrl, DEFAULT_CHAT_URL], refs.chatCaptioning.checked);
    } else if (name === 'openAiImages') {
      offerDefaultUrl(refs.generationUrl, [this.#defaults.generationUrl, DEFAULT_OPENAI_IMAGES_URL], refs.openAiImages.checked);
    } else if (name === 'randomSeed' && !refs.randomSeed.checked && this.#lastSeed !== null) {
      // Unticking means "keep this picture's seed": hand it over so the next picture repeats it.
      refs.seed.value = String(this.#lastSeed);
    }
  }

  // Shows only the fields and warnings that apply to the current choices.
  #updateDependentFields() {
    const refs = this.#refs;
    refs.chatFields.hidden = !refs.chatCaptioning.checked;
    refs.imageFields.hidden = !refs.openAiImages.checked;
    const dedicated = this.#styleFor('generation') === 'dedicated';
    refs.dedicatedNote.hidden = !dedicated;
    const [width, height] = [refs.width.value.trim(), refs.height.value.trim()];
    refs.sizeWarning.hidden = !(dedicated && width && height && Number(width) !== Number(height));
    refs.seed.disabled = refs.randomSeed.checked;
    refs.seed.placeholder = refs.randomSeed.checked ? this.#strings.seedRandomPlaceholder : this.#strings.seedNonePlaceholder;
  }

  /** The request style the core should use: the chosen API, else the endpoint style. */
  #styleFor(kind) {
    const refs = this.#refs;
    if (kind === 'caption' && refs.chatCaptioning.checked) return 'chat';
    if (kind === 'generation' && refs.openAiImages.checked) return 'openai-images';
    return refs.style.value;
  }

  // An empty number field means "not set"; whatever the browser itself flags in a field (not a
  // number, out of range) is named back to the person.
  #readNumber(field) {
    if (!field.checkValidity()) {
      // The browser words validationMessage in its own language, whatever the app's.
      const reason = field.validationMessage;
      return { problem: (s) => s.checkField(labelOf(field), reason), field };
    }
    return { value: field.value.trim() === '' ? undefined : field.valueAsNumber };
  }

  /** The endpoint the worker should call, or a problem naming the setting to fix. */
  #endpointFor(kind) {
    const refs = this.#refs;
    const isCaption = kind === 'caption';
    const urlField = isCaption ? refs.captionUrl : refs.generationUrl;
    const url = urlField.value.trim();
    const token = refs.token.value.trim();
    if (!url) {
      return { problem: isCaption ? 'enterCaptionUrl' : 'enterGenerationUrl', field: urlField };
    }
    if (!token && isHuggingFaceHost(url)) {
      return { problem: 'enterToken', field: refs.token };
    }
    const timeout = this.#readNumber(isCaption ? refs.captionTimeout : refs.generationTimeout);
    if (timeout.problem) return timeout;

    const style = this.#styleFor(kind);
    const endpoint = { style, url, token, timeoutMs: (timeout.value ?? DEFAULT_TIMEOUT_S[kind]) * 1000 };
    if (style === 'chat' || style === 'openai-images') {
      const modelField = style === 'chat' ? refs.chatModel : refs.imageModel;
      endpoint.model = modelField.value.trim();
      if (!endpoint.model) return { problem: (s) => s.enterModel(labelOf(modelField)), field: modelField };
    }
    if (style === 'chat' && refs.chatPrompt.value.trim()) endpoint.prompt = refs.chatPrompt.value.trim();
    if (this.#retryDelayScale !== null) endpoint.retry = { delayScale: this.#retryDelayScale };
    return { endpoint };
  }

  /** The longest side uploads are scaled to, or a problem naming the field. */
  #uploadSide() {
    const side = this.#readNumber(this.#refs.maxSide);
    return side.problem ? side : { value: side.value ?? DEFAULT_MAX_SIDE };
  }

  /** The generation parameters the person set, with a fresh seed when "Random seed" is ticked. */
  #generationParameters() {
    const refs = this.#refs;
    const parameters = {};
    const negativePrompt = refs.negativePrompt.value.trim();
    if (negativePrompt) parameters.negative_prompt = negativePrompt;
    const numbers = {
      num_inference_steps: refs.steps,
      guidance_scale: refs.guidanceScale,
      width: refs.width,
      height: refs.height,
      // The Seed field is disabled (and ignored) while "Random seed" is ticked.
      ...(refs.randomSeed.checked ? {} : { seed: refs.seed }),
    };
    for (const [key, field] of Object.entries(numbers)) {
      const number = this.#readNumber(field);
      if (number.problem) return number;
      if (number.value !== undefined) parameters[key] = number.value;
    }
    if (refs.randomSeed.checked) parameters.seed = randomSeed();
    return { parameters };
  }

  #pointAtSetting(problem, field) {
    this.#showAlert(problem);
    this.#showExtras(true);
    const panel = field.closest('details');
    if (panel) panel.open = true;
    field.focus();
  }

  // Compact mode hides the options and settings until asked; elsewhere they are always there.
  #showExtras(shown) {
    if (!this.#compact) return;
    this.#refs.root.classList.toggle('dg-extras-shown', shown);
    this.#refs.extrasToggle.setAttribute('aria-expanded', String(shown));
  }

  /* --- the three flows ------------------------------------------------------------------- */

  // Every setting is checked before the first request: failing halfway would waste a request.
  #generateCaption() {
    const settings = this.#captionSettings();
    if (!settings) return;
    this.#runTask(this.#refs.captionButton, async () => {
      await this.#describe(settings.endpoint, settings.maxSide);
      this.#setStatus('captionReady');
    });
  }

  #generateImage() {
    if (this.#busy) return; // Ctrl+Enter in the caption bypasses the disabled button
    const prompt = this.#refs.caption.value.trim();
    if (!prompt) {
      this.#showAlert('writeCaptionFirst');
      this.#refs.caption.focus();
      return;
    }
    const settings = this.#generationSettings();
    if (!settings) return;
    this.#runTask(this.#refs.generateButton, async () => {
      await this.#paint(prompt, settings.endpoint, settings.parameters);
      this.#setStatus('pictureReady');
    });
  }

  #captionAndGenerate() {
    const captioning = this.#captionSettings();
    const generation = captioning && this.#generationSettings();
    if (!generation) return;
    this.#runTask(this.#refs.bothButton, async () => {
      const text = await this.#describe(captioning.endpoint, captioning.maxSide);
      if (!text.trim()) {
        throw new WorkerError({ code: 'empty-caption', message: STRINGS.en.emptyCaption });
      }
      await this.#paint(text.trim(), generation.endpoint, generation.parameters);
      this.#setStatus('bothReady');
    });
  }

  // What a caption request needs, checked: {endpoint, maxSide}, or null once the first problem
  // has been pointed at.
  #captionSettings() {
    if (!this.#checkImageChosen()) return null;
    const side = this.#uploadSide();
    if (this.#blocked(side)) return null;
    const caption = this.#endpointFor('caption');
    return this.#blocked(caption) ? null : { endpoint: caption.endpoint, maxSide: side.value };
  }

  // What a generation request needs, checked: {endpoint, parameters}, or null as above.
  #generationSettings() {
    const generation = this.#endpointFor('generation');
    if (this.#blocked(generation)) return null;
    const request = this.#generationParameters();
    return this.#blocked(request) ? null : { endpoint: generation.endpoint, parameters: request.parameters };
  }

  // Points at the setting a check found wrong; true when there was one.
  #blocked(check) {
    if (check.problem) this.#pointAtSetting(check.problem, check.field);
    return Boolean(check.problem);
  }

  #checkImageChosen() {
    if (this.#prepared) return true;
    this.#showAlert('chooseImageFirst');
    this.#refs.fileInput.focus();
    return false;
  }

  async #describe(endpoint, maxSide) {
    // The longest side changed since the photo was chosen (say, after a 413): prepare it again.
    if (this.#prepared.maxSide !== maxSide) {
      this.#setStatus('preparingImage');
      this.#acceptPreparedImage(await this.#prepare(this.#sourceFile, maxSide), this.#sourceFile);
    }
    const upload = { bytes: this.#prepared.bytes.slice(0), contentType: this.#prepared.contentType };
    const result = await this.#send('caption', { upload, endpoint }, {
      transfer: [upload.bytes],
      status: 'describing',
    });
    this.#refs.caption.value = result.caption;
    return result.caption;
  }

  async #paint(prompt, endpoint, parameters) {
    const result = await this.#send('generate', { prompt, endpoint, parameters }, {
      status: 'painting',
    });
    await this.#showGeneratedImage(result.bytes, result.mimeType, { prompt, seed: parameters.seed });
  }

  /* --- choosing an image ----------------------------------------------------------------- */

  #chooseImage(file) {
    if (this.#busy) {
      this.#setStatus('waitBeforeChoosing');
      return;
    }
    const side = this.#uploadSide();
    if (this.#blocked(side)) return;
    this.#runTask(null, async () => {
      this.#setStatus('preparingImage');
      this.#acceptPreparedImage(await this.#prepare(file, side.value), file);
      this.#setStatus('imageReady');
    });
  }

  async #prepare(file, maxSide) {
    // arrayBuffer() reads a fresh copy each time, so transferring it leaves the File intact.
    const bytes = await file.arrayBuffer();
    const prepared = await this.#client.request(
      'prepare',
      { bytes, maxSide, format: 'jpeg' },
      { transfer: [bytes] },
    ).promise;
    return { ...prepared, maxSide };
  }

  // Only a successful preparation replaces the previous image: a bad file loses nothing.
  #acceptPreparedImage(prepared, file) {
    const { preview, dropHint, imageInfo } = this.#refs;
    this.#prepared = prepared;
    this.#sourceFile = file;
    if (this.#previewUrl) URL.revokeObjectURL(this.#previewUrl);
    // The preview shows the prepared upload: upright and exactly what the model will see.
    this.#previewUrl = URL.createObjectURL(new Blob([prepared.bytes], { type: prepared.contentType }));
    preview.src = this.#previewUrl;
    preview.hidden = false;
    dropHint.classList.add('has-image');

    const source = `${prepared.sourceWidth} × ${prepared.sourceHeight}`;
    const sent = `${prepared.width} × ${prepared.height}`;
    this.#write(imageInfo, (s) => (source === sent ? s.imageInfo(file.name, source) : s.imageInfoScaled(file.name, source, sent)));
  }

  /* --- showing the result ---------------------------------------------------------------- */

  async #showGeneratedImage(bytes, mimeType, { prompt, seed }) {
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
        message: STRINGS.en.undisplayable(mimeType),
      });
    }
    const { outputImage, outputPlaceholder, download, seedInfo } = this.#refs;
    if (this.#outputUrl) URL.revokeObjectURL(this.#outputUrl);
    this.#outputUrl = url;
    outputImage.src = url;
    outputImage.alt = prompt;
    outputImage.hidden = false;
    outputPlaceholder.hidden = true;
    download.href = url;
    download.download = downloadNameFor(mimeType);
    download.hidden = false;
    // The seed is what it takes to paint this picture again.
    this.#lastSeed = seed ?? null;
    this.#write(seedInfo, seed === undefined ? null : (s) => s.seedInfo(seed));
    seedInfo.hidden = seed === undefined;
  }

  /* --- running requests ------------------------------------------------------------------ */

  /** Sends one request to the worker, showing its progress and allowing it to be cancelled. */
  async #send(type, payload, { transfer = [], status }) {
    this.#activity = status;
    this.#setStatus(status);
    const { id, promise } = this.#client.request(type, payload, {
      transfer,
      onProgress: (notice) => this.#showRetryWait(notice),
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
      this.#stopRetryWait();
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
    refs.cameraInput.disabled = busy;
    refs.dropzone.classList.toggle('is-disabled', busy);
    refs.root.setAttribute('aria-busy', String(busy));
    if (button) button.setAttribute('aria-busy', String(busy));
  }

  #cancelRunningRequest() {
    if (!this.#runningRequestId) return;
    this.#client.cancel(this.#runningRequestId);
    this.#stopRetryWait();
    this.#setStatus('cancelling');
  }

  /* --- waiting before a retry ------------------------------------------------------------ */

  // The core waits, then tries again by itself; meanwhile the person sees why, for how long, and
  // (for a model that is loading) a bar filling up toward the model's own estimate.
  #showRetryWait({ failedAttempt, maxAttempts, waitMs, modelLoading, reason }) {
    this.#stopRetryWait();
    const bar = this.#refs.progress;
    const total = Math.max(0, Number(waitMs) || 0);
    const endsAt = performance.now() + total;
    const token = this.#refs.token.value.trim();
    const cause = (s) => redact(retryCause({ modelLoading, reason }, s), token);
    const attempt = (s) => s.attempt(failedAttempt + 1, maxAttempts);
    const activity = this.#activity;
    bar.max = Math.max(total, 1);
    bar.value = 0;
    bar.hidden = !modelLoading;

    const tick = () => {
      const left = endsAt - performance.now();
      if (left <= 0) {
        this.#stopRetryWait();
        this.#setStatus((s) => s.activityAttempt(render(activity, s), attempt(s)));
        return;
      }
      bar.value = total - left;
      const seconds = Math.ceil(left / 1000);
      this.#setStatus((s) => s.retryingIn(cause(s), seconds, attempt(s)));
    };
    this.#retryWait = setInterval(tick, 250);
    tick();
  }

  #stopRetryWait() {
    clearInterval(this.#retryWait);
    this.#retryWait = null;
    this.#refs.progress.hidden = true;
  }

  /* --- status and errors ----------------------------------------------------------------- */

  // The live regions stay the same elements for the app's whole life and only their text
  // changes: that is what screen readers announce.
  #setStatus(message) {
    this.#write(this.#refs.status, message);
  }

  // The server's id for the latest answer is what a bug report needs; it stays out of the way
  // as the status line's tooltip.
  #keepRequestId(requestId) {
    this.#requestIdTitle = requestId ? (s) => s.requestId(requestId) : null;
    this.#refs.status.title = render(this.#requestIdTitle, this.#strings);
  }

  #reportFailure(error) {
    if (error?.code === 'cancelled') {
      this.#setStatus('cancelled');
      return;
    }
    this.#setStatus(null);
    this.#showAlert(this.#describeFailure(error));
  }

  // The core and the endpoints explain failures in English, with the server's own reason. In
  // another language the app says what happened by the error's code, then shows that original
  // text under it, so nothing a support request might need is lost.
  #describeFailure(error) {
    const token = this.#refs.token.value.trim();
    const message = error?.message || String(error);
    const details = [message];
    if (error?.status && !message.includes(`HTTP ${error.status}`)) details.push(`HTTP ${error.status}`);
    return (s) => {
      const lines = s === STRINGS.en ? [] : [s.errors[error?.code] ?? s.errors.unknown];
      lines.push(...details);
      if (error?.requestId) lines.push(s.requestId(error.requestId));
      if (error?.engineDown) lines.push(s.reloadToRetry);
      return redact(lines.join('\n'), token);
    };
  }

  #showAlert(message) {
    this.#write(this.#refs.alert, message);
  }

  #clearAlert() {
    this.#write(this.#refs.alert, null);
  }

  /* --- language -------------------------------------------------------------------------- */

  /** Shows `message` in `element` now, and again in the new language after a switch. */
  #write(element, message) {
    if (message) this.#messages.set(element, message);
    else this.#messages.delete(element);
    element.textContent = render(message, this.#strings);
  }

  #setLanguage(language) {
    const refs = this.#refs;
    this.#language = language;
    this.#strings = STRINGS[language];
    refs.root.lang = language;
    refs.language.value = language;
    translateMarkup(refs.root, this.#strings);
    for (const [element, message] of this.#messages) element.textContent = render(message, this.#strings);
    refs.status.title = render(this.#requestIdTitle, this.#strings);
    this.#updateDependentFields();
    this.#onLanguageChange?.(language);
  }
}

// Switching API swaps one default address for the other, but never replaces an address the
// person typed themselves.
function offerDefaultUrl(field, [endpointDefault, apiDefault], apiChosen) {
  const [from, to] = apiChosen ? [endpointDefault, apiDefault] : [apiDefault, endpointDefault];
  if (field.value.trim() === from) field.value = to;
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
 * @param {{
 *   workerUrl?: string | URL, storage?: Storage | null, captionUrl?: string, generationUrl?: string,
 *   endpointStyle?: 'hf-inference' | 'custom-json' | 'dedicated', compact?: boolean, language?: string,
 *   onLanguageChange?: (language: string) => void, retryDelayScale?: number,
 * }} [options]
 *   workerUrl: where worker.js lives (default: next to this file);
 *   storage: where remembered settings go (default: localStorage; null remembers nothing);
 *   captionUrl, generationUrl, endpointStyle: the defaults for a first visit and for
 *     "Restore default settings" (what the person chose and the app remembered still wins);
 *   compact: tucks the generation options and settings away behind an "Options" button;
 *   language: the interface language to start with ('en' or 'zh-CN'; any zh* means zh-CN),
 *     unless the person chose one with the switch (default: the browser's languages);
 *   onLanguageChange: called with the language whenever it is set (the standalone page keeps
 *     <html lang> and the title in step with it);
 *   retryDelayScale: 0..1, multiplies every wait before a retry (tests and demos use 0.01).
 * @returns {{ destroy(): void }}
 */
export function mountApp(container, options = {}) {
  const app = new DescribeAndGenerateApp(container, options);
  return { destroy: () => app.destroy() };
}
