// What the app remembers on this device and what a first visit starts with: the endpoints' and
// options' defaults, how each remembered field is read and written, and the storage behind them.
// The token is kept apart: a secret, remembered only when the person asks.

import { LANGUAGES } from '../strings.js';

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
export const DEFAULT_CHAT_PROMPT = 'Describe this image in one sentence.';
// Sensible waits for CPU captioning and for busy generation providers (hf-api.md, section 5).
export const DEFAULT_TIMEOUT_S = { caption: 60, generation: 120 };
// BLIP works at 384 px; 1024 keeps detail while staying far below the routers' body limits.
export const DEFAULT_MAX_SIDE = 1024;

const STORAGE_KEYS = {
  settings: 'describe-and-generate.settings',
  token: 'describe-and-generate.token',
};

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
export const SETTINGS_FIELDS = {
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
export const REMEMBERED_FIELDS = { ...SETTINGS_FIELDS, ...OPTION_FIELDS };

/** The values a first visit starts with; an embedding page may choose its own endpoints. */
export function defaultValues({ captionUrl, generationUrl, endpointStyle }) {
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

export class SettingsStore {
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
