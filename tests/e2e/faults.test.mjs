// Every way an endpoint fails (hf-api.md, sections 4 and 6), driven through the real app against
// the HF-compatible test server. Each test asserts what the person sees (the advice in the alert,
// the waiting messages), what the server received (how many attempts, whether the connection was
// closed), and that nothing was lost: the photo, the caption and every setting are still there,
// and trying again against a working endpoint succeeds.
//
//   ./scripts/build && node --test --test-concurrency=1 tests/e2e/

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CHAT_CAPTION, startHfServer } from '../server/hf-server.mjs';
import {
  FAST_RETRIES,
  SERVER_CAPTION,
  TEST_TIMEOUT_MS,
  WAIT_MS,
  alertBox,
  captionBox,
  chooseGoodImage,
  click,
  fieldValues,
  fillFields,
  generatedImage,
  previewImage,
  statusHistory,
  useHarness,
  waitForOutcome,
} from './harness.mjs';
import { quadrantJpeg } from './images.mjs';

// The retired api-inference host, resolved to the test server so that the app sees the real
// address (and names the router in its advice) while the browser talks to the local server.
const LEGACY_HOST = 'api-inference.huggingface.co';

// The `slow` scenario answers after 5 s x 0.6 = 3 s: well past a 1 s timeout.
const harness = useHarness({ hfDelayScale: 0.6, chromiumArgs: [`--host-resolver-rules=MAP ${LEGACY_HOST} 127.0.0.1`] });

const PHOTO = quadrantJpeg(640, 480);
const MY_CAPTION = 'my own words for this photo';
// At most this many attempts per request (README: Retries).
const MAX_ATTEMPTS = 5;

// How each flow is started, where its endpoint is set, and what success looks like.
const FLOWS = {
  caption: {
    button: 'Generate caption',
    done: 'Caption ready.',
    urlLabel: 'Captioning endpoint',
    route: '/models/test-model',
    good: 'caption-array',
    caption: SERVER_CAPTION,
  },
  chat: {
    button: 'Generate caption',
    done: 'Caption ready.',
    urlLabel: 'Captioning endpoint',
    route: '/v1/chat/completions',
    good: 'chat',
    caption: CHAT_CAPTION,
    settings: { 'Chat model captioning': true },
  },
  generate: {
    button: 'Generate image',
    done: 'Picture ready.',
    urlLabel: 'Generation endpoint',
    route: '/models/test-model',
    good: 'gen-jpeg',
  },
};

/**
 * The app with a photo chosen and a caption of the person's own, its `flow` endpoint pointed at
 * `url` (default: the scenario on the test server).
 */
async function appReadyFor(t, { flow, scenario, url, query = FAST_RETRIES, style, settings = {} }) {
  const { urlLabel, route, settings: flowSettings } = FLOWS[flow];
  const page = await harness.openApp(t, {
    query,
    style,
    settings: { ...flowSettings, ...settings, [urlLabel]: url ?? harness.endpoint(scenario, route) },
  });
  await chooseGoodImage(page, PHOTO);
  await captionBox(page).fill(MY_CAPTION);
  return page;
}

/** What must survive a failure: the photo on screen, the person's caption, every setting. */
async function keptState(page) {
  return {
    preview: await previewImage(page).getAttribute('src'),
    caption: await captionBox(page).inputValue(),
    fields: await fieldValues(page),
  };
}

async function assertNothingLostAndRetryWorks(page, flowName, keptBefore) {
  assert.ok(await previewImage(page).isVisible(), 'the photo is still shown');
  assert.deepEqual(await keptState(page), keptBefore);
  for (const name of ['Generate caption', 'Caption and generate', 'Generate image']) {
    assert.ok(await page.getByRole('button', { name, exact: true }).isEnabled(), `"${name}" is usable again`);
  }

  const flow = FLOWS[flowName];
  await fillFields(page, { [flow.urlLabel]: harness.endpoint(flow.good, flow.route) });
  assert.deepEqual(await click(page, flow.button, flow.done), { status: flow.done });
  if (flow.caption) {
    assert.equal(await captionBox(page).inputValue(), flow.caption);
  } else {
    assert.equal(await generatedImage(page).getAttribute('alt'), MY_CAPTION);
  }
}

/** How many POSTs a scenario received: 'once' (never retried), 'several' (retried, but bounded), or 'none'. */
function assertAttempts(scenario, expected) {
  const attempts = harness.hf.attempts(scenario);
  if (expected === 'several') {
    assert.ok(attempts > 1 && attempts <= MAX_ATTEMPTS, `${scenario}: expected 2 to ${MAX_ATTEMPTS} attempts, saw ${attempts}`);
  } else {
    assert.equal(attempts, expected === 'once' ? 1 : 0, `${scenario}: attempts`);
  }
}

/** Runs one failing request and checks the alert, the attempts, and that nothing was lost. */
async function assertFailure(t, row) {
  const flow = row.flow ?? 'caption';
  const page = await appReadyFor(t, { ...row, flow });
  const keptBefore = await keptState(page);

  const outcome = await click(page, FLOWS[flow].button, FLOWS[flow].done);

  assert.ok(outcome.alert, `expected an error, but the status said "${outcome.status}"`);
  for (const advice of row.says) assert.match(outcome.alert, advice);
  assert.doesNotMatch(outcome.alert, /<\/?(!doctype|html|head|title|body|center|h1)\b/i, 'raw HTML must never be shown');
  if (row.status) {
    assert.match(outcome.alert, new RegExp(`HTTP ${row.status}\\b`));
    assert.match(outcome.alert, new RegExp(`Request id: req-${row.scenario}-\\d+`));
  } else {
    assert.doesNotMatch(outcome.alert, /HTTP \d/, 'no HTTP status when no answer came');
  }
  assertAttempts(row.scenario, row.attempts);
  await row.alsoCheck?.(page);
  await assertNothingLostAndRetryWorks(page, flow, keptBefore);
}

/* --- failures that are never retried ------------------------------------------------------- */

const NOT_RETRIED = [
  { scenario: 'unauthorized', status: 401, says: [/token was not accepted/, /Check the token in Settings/] },
  { scenario: 'forbidden', status: 403, says: [/Inference Providers/, /permission/] },
  { scenario: 'payment', status: 402, says: [/credits/] },
  { scenario: 'payment-json', status: 402, says: [/credits/, /Purchase pre-paid credits/] },
  { scenario: 'not-found-json', status: 404, says: [/No model was found/, /Model test-model does not exist/] },
  { scenario: 'not-found-text', status: 404, says: [/No model was found/] },
  { scenario: 'not-supported', status: 400, says: [/Choose another model/] },
  {
    scenario: 'not-supported',
    flow: 'generate',
    status: 400,
    says: [/not served by this provider/, /Choose another model/],
  },
  {
    scenario: 'bad-request-array',
    status: 400,
    says: [/rejected the request/, /`inputs` must not be empty/, /guidance_scale/],
  },
  { scenario: 'deprecated', status: 410, says: [/retired/, /Choose another model/] },
  { scenario: 'legacy-text', status: 410, says: [/retired/, /router\.huggingface\.co\/hf-inference\/models\//] },
  {
    scenario: 'too-large',
    status: 413,
    says: [/too large/, /Longest side/],
    // The advice must lead somewhere: the field it names exists.
    alsoCheck: async (page) => assert.ok(await page.getByLabel('Longest side (px)', { exact: true }).isVisible()),
  },
  { scenario: 'unprocessable-json', status: 422, says: [/could not use this input/, /must be strictly positive/] },
  { scenario: 'unprocessable-text', status: 422, says: [/the request body could not be validated/] },
  { scenario: 'unprocessable-detail', status: 422, says: [/field required/] },
  { scenario: 'unprocessable-problem', status: 422, says: [/inputs must be a string/] },
  { scenario: 'html-200', status: 200, says: [/captioning endpoint answered with an HTML page/] },
  { scenario: 'html-200', flow: 'generate', status: 200, says: [/generation endpoint answered with an HTML page/] },
  { scenario: 'truncated-json', status: 200, says: [/not valid JSON/] },
  { scenario: 'truncated-json', flow: 'generate', status: 200, says: [/generation endpoint answered/] },
  { scenario: 'chat-error', flow: 'chat', status: 400, says: [/rejected the request/, /does not support image inputs/] },
  { scenario: 'chat-null', flow: 'chat', status: 200, says: [/chat model answered without any text/] },
  {
    scenario: 'dedicated',
    flow: 'generate',
    style: 'dedicated',
    settings: { Width: '128', Height: '64' },
    status: 400,
    says: [/Width and height must be equal/],
    // The page warned before the request was sent.
    alsoCheck: async (page) => {
      assert.ok(await page.getByText(/Dedicated endpoints accept only square sizes/).isVisible());
      assert.ok(await page.getByText(/Width and height differ/).isVisible());
    },
  },
];

describe('failures that are not retried', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const row of NOT_RETRIED) {
    test(`${row.scenario} (${row.flow ?? 'caption'}): ${row.status} says ${row.says.join(' + ')}, one attempt`, (t) =>
      assertFailure(t, { ...row, attempts: 'once' }));
  }
});

/* --- failures retried until the app gives up ----------------------------------------------- */

const GIVE_UP = [
  { scenario: 'loading-forever', status: 503, says: [/not ready yet/, /Try again in a minute/] },
  { scenario: 'rate-limited', status: 429, says: [/rate limit/, /Wait a few minutes/] },
  { scenario: 'bad-gateway', status: 502, says: [/server had a problem/] },
  { scenario: 'gateway-timeout', status: 504, says: [/server had a problem/] },
  { scenario: 'gateway-timeout', flow: 'generate', status: 504, says: [/server had a problem/] },
  { scenario: 'drop', status: 0, says: [/could not be reached/, /dropped the connection/] },
  { scenario: 'no-cors', status: 0, says: [/could not be reached/, /CORS/] },
];

describe('failures retried, then reported', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const row of GIVE_UP) {
    test(`${row.scenario} (${row.flow ?? 'caption'}): retried at most ${MAX_ATTEMPTS} times, then says ${row.says.join(' + ')}`, (t) =>
      assertFailure(t, { ...row, attempts: 'several' }));
  }
});

/* --- failures retried until they succeed --------------------------------------------------- */

const RECOVERS = [
  { scenario: 'loading-twice', attempts: 3, waiting: /^The model is loading — /, loadingBar: true },
  { scenario: 'scaling-empty', attempts: 2, waiting: /^The model is not ready yet \(it is loading or scaling up\) — /, loadingBar: false },
  { scenario: 'scaling-html', attempts: 2, waiting: /^The model is not ready yet \(it is loading or scaling up\) — /, loadingBar: false },
  { scenario: 'error500-once', attempts: 2, waiting: /^The server had a problem \(HTTP 500\) — /, loadingBar: false },
  { scenario: 'retry-after', attempts: 2, waiting: /^Too many requests: the rate limit was reached — /, loadingBar: false },
];

describe('failures retried until they succeed', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const { scenario, attempts, waiting, loadingBar } of RECOVERS) {
    test(`${scenario}: says why and when it tries again, succeeds after ${attempts} attempts`, async (t) => {
      const page = await appReadyFor(t, { flow: 'caption', scenario });

      assert.deepEqual(await click(page, 'Generate caption', 'Caption ready.'), { status: 'Caption ready.' });

      assert.equal(await captionBox(page).inputValue(), SERVER_CAPTION);
      assert.equal(harness.hf.attempts(scenario), attempts);
      const waits = (await statusHistory(page)).filter(({ status }) => /trying again in \d+ s/.test(status));
      assert.match(waits[0]?.status ?? '(no waiting message)', waiting);
      assert.match(waits[0].status, /trying again in \d+ s \(attempt 2 of 5\)\.$/);
      assert.equal(waits.some((shown) => shown.loadingBar !== null), loadingBar, 'the "Model loading" bar only for a loading model');
      // Its second wait (if any) says so.
      if (attempts > 2) assert.ok(waits.some(({ status }) => status.includes('(attempt 3 of 5)')));
      assert.ok(!(await page.getByRole('progressbar').isVisible()), 'the bar is gone once the answer came');
    });
  }

  test('a loading model shows a "Model loading" bar that counts toward its own estimate', async (t) => {
    // 20 s estimated x 0.05 = a 1 s wait: long enough to look at.
    const page = await appReadyFor(t, { flow: 'caption', scenario: 'loading-twice', query: '?retryDelayScale=0.05' });

    await page.getByRole('button', { name: 'Generate caption', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Model loading' }).waitFor({ timeout: WAIT_MS });
    assert.ok(await page.getByRole('button', { name: 'Cancel', exact: true }).isVisible(), 'a wait can be cancelled');
    assert.deepEqual(await waitForOutcome(page, 'Caption ready.'), { status: 'Caption ready.' });

    assert.equal(harness.hf.attempts('loading-twice'), 3);
    const shownWithBar = (await statusHistory(page)).filter(({ loadingBar }) => loadingBar !== null);
    assert.ok(shownWithBar.length > 0);
    for (const { status, loadingBar } of shownWithBar) {
      assert.equal(loadingBar, 1000, 'the bar spans the scaled estimated_time (20 s x 0.05)');
      assert.match(status, /^The model is loading — trying again in 1 s \(attempt [23] of 5\)\.$/);
    }
  });
});

/* --- no answer at all ---------------------------------------------------------------------- */

describe('no answer', { timeout: TEST_TIMEOUT_MS }, () => {
  test('an endpoint that answers after the timeout: "did not answer in time", not retried, connection closed', (t) =>
    assertFailure(t, {
      scenario: 'slow',
      settings: { 'Captioning timeout (s)': '1' },
      status: 0,
      says: [/did not answer in time/, /longer timeout/],
      attempts: 'once',
      alsoCheck: () =>
        harness.hf.waitForRequest((request) => request.scenario === 'slow' && request.closedEarly, WAIT_MS),
    }));

  test('a refused preflight (the legacy host\'s answer): "could not be reached", retried, nothing posted', (t) =>
    assertFailure(t, {
      scenario: 'legacy',
      status: 0,
      says: [/could not be reached/, /CORS/],
      attempts: 'none',
      alsoCheck: () => {
        const preflights = harness.hf.requests.filter((request) => request.method === 'OPTIONS');
        assert.ok(preflights.length >= 1 && preflights.length <= MAX_ATTEMPTS, `saw ${preflights.length} preflights`);
      },
    }));

  test('the retired api-inference host: the app names the router address to use instead', async (t) => {
    const legacyUrl = new URL('/legacy/models/org/old-model', harness.hf.url);
    legacyUrl.hostname = LEGACY_HOST;
    const page = await appReadyFor(t, { flow: 'caption', url: legacyUrl.href });
    const keptBefore = await keptState(page);

    const { alert } = await click(page, 'Generate caption', 'Caption ready.');

    assert.match(alert, /api-inference\.huggingface\.co address is retired/);
    assert.match(alert, /https:\/\/router\.huggingface\.co\/hf-inference\/models\/org\/old-model/);
    const methods = new Set(harness.hf.requests.map((request) => `${request.method} ${request.headers.host.split(':')[0]}`));
    assert.deepEqual([...methods], [`OPTIONS ${LEGACY_HOST}`], 'only the refused preflight reached the server');
    await assertNothingLostAndRetryWorks(page, 'caption', keptBefore);
  });

  test('offline: "You are offline", and no request is even attempted', async (t) => {
    const page = await appReadyFor(t, { flow: 'caption', scenario: 'caption-array' });
    const keptBefore = await keptState(page);
    await page.context().setOffline(true);

    const { alert } = await click(page, 'Generate caption', 'Caption ready.');

    assert.match(alert, /You are offline/);
    assert.match(alert, /your image and caption are kept/);
    assert.deepEqual(harness.hf.requests, [], 'no request reached the server');
    await page.context().setOffline(false);
    await assertNothingLostAndRetryWorks(page, 'caption', keptBefore);
  });
});

/* --- cancelling ---------------------------------------------------------------------------- */

describe('cancelling', { timeout: TEST_TIMEOUT_MS }, () => {
  let slowServer;
  // Its `slow` scenario answers only after minutes, so only a real cancel can end the request.
  before(async () => {
    slowServer = await startHfServer({ delayScale: 60 });
  });
  after(() => slowServer?.close());

  test('"Cancel" during a request closes the connection and leaves the page as it was', async (t) => {
    const page = await appReadyFor(t, { flow: 'generate', url: harness.endpoint('slow', '/models/test-model', slowServer) });
    const keptBefore = await keptState(page);

    await page.getByRole('button', { name: 'Generate image', exact: true }).click();
    await slowServer.waitForRequest((request) => request.method === 'POST', WAIT_MS);
    assert.ok(await page.getByRole('button', { name: 'Generate image', exact: true }).isDisabled());
    assert.deepEqual(await click(page, 'Cancel', 'Cancelled.'), { status: 'Cancelled.' });

    const aborted = await slowServer.waitForRequest((request) => request.method === 'POST' && request.closedEarly, WAIT_MS);
    assert.equal(aborted.scenario, 'slow');
    assert.equal(slowServer.attempts('slow'), 1);
    assert.equal(await alertBox(page).textContent(), '', 'a cancel is not an error');
    assert.ok(!(await page.getByRole('button', { name: 'Cancel', exact: true }).isVisible()));
    await assertNothingLostAndRetryWorks(page, 'generate', keptBefore);
  });

  test('"Cancel" while waiting for a loading model stops every further attempt', async (t) => {
    // 20 s estimated x 0.1 = a 2 s wait before the second attempt.
    const page = await appReadyFor(t, { flow: 'caption', scenario: 'loading-forever', query: '?retryDelayScale=0.1' });
    const keptBefore = await keptState(page);

    await page.getByRole('button', { name: 'Generate caption', exact: true }).click();
    const first = await harness.hf.waitForRequest((request) => request.method === 'POST', WAIT_MS);
    await page.getByRole('progressbar', { name: 'Model loading' }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await click(page, 'Cancel', 'Cancelled.'), { status: 'Cancelled.' });

    assert.ok(!(await page.getByRole('progressbar').isVisible()));
    // Longer than the wait that was cancelled: a second attempt would have come by then.
    await assert.rejects(harness.hf.waitForRequest((request) => request.method === 'POST' && request !== first, 3000), /no match/);
    assert.equal(harness.hf.attempts('loading-forever'), 1);
    await assertNothingLostAndRetryWorks(page, 'caption', keptBefore);
  });
});
