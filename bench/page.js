// The browser half of ./scripts/bench. In one page, side by side: the app's worker path (the
// release worker and wasm core, answering a 'prepare' message) and Chromium's own pipeline
// (createImageBitmap -> canvas resize -> JPEG blob -> base64, the usual main-thread recipe),
// on the same bytes, interleaved run by run so both see the same machine state.

const longTasks = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

function startWorker(url) {
  const worker = new Worker(url, { type: 'module' });
  const pending = new Map();
  let nextId = 1;
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.type === 'ready') {
        resolve({
          prepare(bytes) {
            const id = nextId++;
            return new Promise((done, fail) => {
              pending.set(id, { done, fail });
              worker.postMessage({ id, type: 'prepare', payload: { bytes, maxSide: 1024, format: 'jpeg', quality: 90 } }, [bytes]);
            });
          },
          warmUp: () => worker.postMessage({ id: 0, type: 'warm-up', payload: {} }),
          close: () => worker.terminate(),
        });
      } else if (data.type === 'fatal') {
        reject(new Error(data.error.message));
      } else if (pending.has(data.id)) {
        const { done, fail } = pending.get(data.id);
        pending.delete(data.id);
        if (data.error) fail(new Error(data.error.message));
        else done(data.result);
      }
    };
  });
}

// What the app does with a chosen file: read its bytes, hand them to the worker, await the upload.
async function appPath(worker, blob) {
  const result = await worker.prepare(await blob.arrayBuffer());
  return { width: result.width, height: result.height, bodyBytes: result.bytes.byteLength };
}

// What a page without the core does: decode, draw smaller, re-encode, base64 for a JSON body.
async function chromiumPipeline(blob) {
  const bitmap = await createImageBitmap(blob);
  const scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const jpeg = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  const dataUrl = await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsDataURL(jpeg);
  });
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return { width: canvas.width, height: canvas.height, bodyBytes: jpeg.size, base64Bytes: base64.length };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Long tasks that overlap [start, end]: the main thread was blocked for over 50 ms in there.
const longestTaskIn = (windows) =>
  Math.max(0, ...longTasks.filter((t) => windows.some(([s, e]) => t.startTime < e && t.startTime + t.duration > s)).map((t) => t.duration));

window.runBench = async ({ inputs, variants }) => {
  const workers = {};
  for (const { name, url } of variants) workers[name] = await startWorker(url);
  const paths = [
    ...variants.map(({ name }) => ({ name, run: (blob) => appPath(workers[name], blob) })),
    { name: 'chromium', run: chromiumPipeline },
  ];
  const results = [];
  for (const { file, runs } of inputs) {
    const blob = await (await fetch(`inputs/${file}`)).blob();
    const timings = Object.fromEntries(paths.map(({ name }) => [name, { ms: [], windows: [], output: null }]));
    for (let run = 0; run <= runs; run += 1) {  // run 0 warms up (JIT, first-use allocations)
      for (const path of paths) {
        const t = timings[path.name];
        if (t.refused) continue;
        const start = performance.now();
        let output;
        try {
          output = await path.run(blob);
        } catch (error) {  // a build whose limits refuse the input: reported, not timed
          t.refused = error.message;
          continue;
        }
        const end = performance.now();
        // Let a long task that ended the run be reported before the next one starts.
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (run === 0) continue;
        t.ms.push(end - start);
        t.windows.push([start, end]);
        t.output = output;
      }
    }
    results.push({
      file,
      inputBytes: blob.size,
      paths: Object.fromEntries(
        Object.entries(timings).map(([name, t]) => [name, { medianMs: median(t.ms), longestTaskMs: longestTaskIn(t.windows), refused: t.refused, ...t.output }]),
      ),
    });
  }
  Object.values(workers).forEach((w) => w.close());
  return results;
};

// The first photo a person prepares, in a page of its own (bench.mjs opens each in a fresh browser
// context: within one, Chromium hands every new worker the wasm code it has already optimised). The worker is
// told to warm up, as the app tells it when a person reaches for the file chooser, or not; then
// it gets the second that choosing a file takes.
window.firstPhoto = async ({ file, url, warm }) => {
  const blob = await (await fetch(`inputs/${file}`)).blob();
  const worker = await startWorker(url);
  if (warm) worker.warmUp();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const start = performance.now();
  try {
    await worker.prepare(await blob.arrayBuffer());
    return performance.now() - start;
  } finally {
    worker.close();
  }
};

window.benchReady = true;
