// The page shell of Describe & Generate: builds the UI inside one container and talks to
// worker.js, which owns the WebAssembly core. This file and web/app/ only touch the DOM: every
// byte of image work and every HTTP request happens in the worker. Its words are in strings.js.
// The build bundles web/app/ into main.js.

import { STRINGS, browserLanguage, supportedLanguage } from './strings.js';
import { buildDom, translateMarkup } from './app/markup.js';
import {
  DEFAULT_CHAT_URL,
  DEFAULT_MAX_SIDE,
  DEFAULT_OPENAI_IMAGES_URL,
  DEFAULT_TIMEOUT_S,
  REMEMBERED_FIELDS,
  SETTINGS_FIELDS,
  SettingsStore,
  defaultStorage,
  defaultValues,
} from './app/settings.js';
import { UnavailableWorker, WorkerClient, WorkerError } from './app/worker-client.js';

export {
  DEFAULT_CAPTION_URL,
  DEFAULT_CHAT_MODEL,
  DEFAULT_CHAT_URL,
  DEFAULT_ENDPOINT_STYLE,
  DEFAULT_GENERATION_URL,
  DEFAULT_IMAGE_MODEL,
  DEFAULT_OPENAI_IMAGES_URL,
  defaultStorage,
} from './app/settings.js';
export { WorkerError } from './app/worker-client.js';

const DOWNLOAD_EXTENSIONS = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

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
    this.#refs = buildDom(container);
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
    // A pointer or keyboard focus in the app, or a file dragged over it, may mean a photo is on its
    // way: the worker warms up then rather than on every page load, where the app may sit unused
    // (a docs page with several). Choosing a file takes the second or so that it needs.
    const interest = new AbortController();
    for (const type of ['pointerdown', 'focusin', 'dragenter']) {
      refs.root.addEventListener(type, () => {
        this.#client.warmUp();
        interest.abort();
      }, { signal: interest.signal });
    }
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
