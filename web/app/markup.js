// The app's markup, written once per mount and translated in place.

import { LANGUAGES, STRINGS } from '../strings.js';
import { DEFAULT_CHAT_PROMPT, DEFAULT_MAX_SIDE, DEFAULT_TIMEOUT_S } from './settings.js';

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
export function translateMarkup(root, strings) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = strings[element.dataset.i18n];
  for (const element of root.querySelectorAll('[data-i18n-html]')) element.innerHTML = strings[element.dataset.i18nHtml];
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = strings[element.dataset.i18nPlaceholder];
  for (const element of root.querySelectorAll('[data-i18n-alt]')) element.alt = strings[element.dataset.i18nAlt];
  for (const element of root.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', strings[element.dataset.i18nLabel]);
}

let mountedCount = 0;

/** Fills `container` with a fresh copy of the app's markup; returns its elements by data-ref. */
export function buildDom(container) {
  mountedCount += 1;
  const template = document.createElement('template');
  template.innerHTML = appMarkup(`dg${mountedCount}`).trim();
  const root = template.content.firstElementChild;
  const refs = { root };
  for (const element of root.querySelectorAll('[data-ref]')) refs[element.dataset.ref] = element;
  container.replaceChildren(root);
  return refs;
}
