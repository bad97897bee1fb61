// <describe-generate>: the whole app as one element, for documentation pages and other sites.
//
//   <script type="module" src="https://example.org/describe-generate/describe-generate.js"></script>
//   <describe-generate caption-endpoint="…" generation-endpoint="…" endpoint-style="hf-inference"
//                      language="zh-CN" compact></describe-generate>
//
// Each element mounts its own app (with its own worker) in an open shadow root, so the page's
// styles and the app's styles cannot touch each other, and several elements work side by side.
// Every asset is found next to this file, not next to the page.

import { defaultStorage, mountApp } from './main.js';

const STYLESHEET_URL = new URL('./styles.css', import.meta.url).href;
const WORKER_URL = new URL('./worker.js', import.meta.url);

// Attributes are configuration: changing one remounts the app with the new options.
const OPTION_ATTRIBUTES = ['caption-endpoint', 'generation-endpoint', 'endpoint-style', 'language', 'lang', 'compact'];

// Inherited properties (font, colour, line height…) would otherwise flow in from the page; the
// app sets its own on .dg. The page can still size and place the element itself.
const HOST_STYLE = `
  :host { all: initial; display: block; color-scheme: light dark; }
  :host([hidden]) { display: none; }
  .dg-embed-root:not(.is-styled) { visibility: hidden; }
  /* The app paints its own backdrop; it follows the corners the page gives the element. */
  .dg-embed-root, .dg-embed-root > .dg { border-radius: inherit; }
`;

let crossOriginWorkerUrl = null;

// Browsers only start workers from the page's own origin. When this file is served from another
// origin (a CDN, the app's own site), the worker is started from a one-line same-origin module
// that imports the real worker.js; its imports, and the .wasm, still resolve next to worker.js.
// That origin must send CORS headers, as it must for this module script anyway. The URL is kept
// for the page's lifetime: every element reuses it.
function workerUrl() {
  if (WORKER_URL.origin === location.origin) return WORKER_URL;
  crossOriginWorkerUrl ??= URL.createObjectURL(
    new Blob([`import ${JSON.stringify(WORKER_URL.href)};\n`], { type: 'text/javascript' }),
  );
  return crossOriginWorkerUrl;
}

// What one configuration of the element remembers (settings, and the token when the person asks)
// lives under its own prefix, derived from its endpoint attributes. So two elements pointing at
// different endpoints never overwrite each other's settings, a token remembered for one endpoint
// is never offered to another, and nothing mixes with the standalone app on the same origin.
class PrefixedStorage {
  #prefix;

  constructor(prefix) {
    this.#prefix = prefix;
  }

  getItem(key) {
    return defaultStorage()?.getItem(this.#prefix + key) ?? null;
  }

  setItem(key, value) {
    defaultStorage()?.setItem(this.#prefix + key, value);
  }

  removeItem(key) {
    defaultStorage()?.removeItem(this.#prefix + key);
  }
}

export class DescribeGenerateElement extends HTMLElement {
  static observedAttributes = OPTION_ATTRIBUTES;

  #app = null;
  #container = null;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    const hostStyle = document.createElement('style');
    hostStyle.textContent = HOST_STYLE;
    const stylesheet = document.createElement('link');
    stylesheet.rel = 'stylesheet';
    stylesheet.href = STYLESHEET_URL;
    this.#container = document.createElement('div');
    this.#container.className = 'dg-embed-root';
    // Hidden until the app's styles are in, so the page never flashes unstyled controls; shown
    // anyway if they cannot load, because an unstyled app beats no app.
    const reveal = () => this.#container.classList.add('is-styled');
    stylesheet.addEventListener('load', reveal, { once: true });
    stylesheet.addEventListener('error', reveal, { once: true });
    shadow.append(hostStyle, stylesheet, this.#container);
  }

  connectedCallback() {
    this.#mount();
  }

  // Moving the element elsewhere in the page disconnects and reconnects it in one go; the app
  // (and whatever the person typed) survives that, and goes only when the element really leaves.
  disconnectedCallback() {
    queueMicrotask(() => {
      if (!this.isConnected) this.#unmount();
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    // Before connection (the parser setting attributes) there is nothing to remount yet.
    if (this.#app && oldValue !== newValue) {
      this.#unmount();
      this.#mount();
    }
  }

  /** The options mountApp receives; an absent attribute leaves the app's own default. */
  #options() {
    const captionUrl = this.getAttribute('caption-endpoint');
    const generationUrl = this.getAttribute('generation-endpoint');
    const endpointStyle = this.getAttribute('endpoint-style');
    const configuration = JSON.stringify([endpointStyle, captionUrl, generationUrl]);
    const options = {
      workerUrl: workerUrl(),
      compact: this.hasAttribute('compact'),
      storage: new PrefixedStorage(`describe-generate-element:${configuration}:`),
    };
    const language = this.getAttribute('language') || this.getAttribute('lang');
    if (captionUrl) options.captionUrl = captionUrl;
    if (generationUrl) options.generationUrl = generationUrl;
    if (endpointStyle) options.endpointStyle = endpointStyle;
    if (language) options.language = language;
    return options;
  }

  #mount() {
    if (this.#app) return;
    this.#app = mountApp(this.#container, this.#options());
  }

  // Terminates the element's worker, which also aborts any request still in flight.
  #unmount() {
    this.#app?.destroy();
    this.#app = null;
  }
}

if (!customElements.get('describe-generate')) {
  customElements.define('describe-generate', DescribeGenerateElement);
}
