// What the offline and embedding tests add to harness.mjs: private copies of the build (tests
// that stop the server or deploy a new build need their own), the service worker's shell list,
// a mirror that serves the build from another origin with CORS headers as a CDN would, and a
// browser context that fails the test on uncaught page errors.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { DIST } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A private copy of the build in a temporary folder, removed when the test ends. */
export function copyOfDist(t) {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'dg-dist-'));
  cpSync(DIST, copy, { recursive: true });
  t.after(() => rmSync(copy, { recursive: true, force: true }));
  return copy;
}

/** Stamps a build folder's sw.js again after its files changed, as scripts/build does. */
export function restampServiceWorker(dir) {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/stamp-service-worker.mjs'), dir], { stdio: 'pipe' });
}

/** What the service worker must precache: every file of the build but sw.js and examples/. */
export function shellFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => name.split(path.sep).join('/'))
    .filter((name) => statSync(path.join(dir, name)).isFile())
    .filter((name) => name !== 'sw.js' && !name.startsWith('examples/'))
    .sort();
}

/**
 * Serves everything `upstream` serves, from another port (so another origin), adding
 * `Access-Control-Allow-Origin: *` the way static hosts and CDNs do for public files.
 */
export async function startCorsMirror(upstream) {
  const server = http.createServer(async (request, response) => {
    try {
      const answer = await fetch(new URL(request.url, upstream), { method: request.method });
      const headers = Object.fromEntries(answer.headers);
      headers['access-control-allow-origin'] = '*';
      const body = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, headers);
      response.end(body);
    } catch {
      response.writeHead(502).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
