#!/usr/bin/env node
// A small static file server for the built app (node:http only, no dependencies).
//
//   node scripts/serve.mjs [dir=dist] [--port N] [--host H]
//
// Browsers refuse to stream-compile a .wasm served with the wrong type and refuse module
// scripts served as anything but JavaScript, so the MIME table below is the point of this file.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function mimeTypeOf(filePath) {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

function isInside(root, candidate) {
  return candidate === root || candidate.startsWith(root + path.sep);
}

// Maps a request path onto a file under root, or null when it is malformed, outside root
// (also through a symlink) or missing. A directory means its index.html.
async function resolveFile(root, requestUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;

  let filePath = path.resolve(root, '.' + pathname);
  if (!isInside(root, filePath)) return null;
  try {
    if ((await stat(filePath)).isDirectory()) filePath = path.join(filePath, 'index.html');
    const realFile = await realpath(filePath);
    if (!isInside(root, realFile)) return null;
    const info = await stat(realFile);
    return info.isFile() ? { filePath: realFile, size: info.size } : null;
  } catch {
    return null;
  }
}

function sendPlain(response, status, text) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache',
  });
  response.end(text);
}

async function handleRequest(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendPlain(response, 405, 'Method Not Allowed\n');
    return;
  }
  const file = await resolveFile(root, request.url);
  if (!file) {
    sendPlain(response, 404, 'Not Found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': mimeTypeOf(file.filePath),
    'Content-Length': file.size,
    // Always revalidate: a rebuilt dist/ must never mix an old main.js with a new worker.js.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file.filePath);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function formatUrl(host, port) {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${port}/`;
}

/**
 * Serves the files under `root`. Resolves once listening; port 0 picks a free port.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic({ root, host = '127.0.0.1', port = 0 }) {
  const realRoot = await realpath(path.resolve(root));
  const server = http.createServer((request, response) => {
    handleRequest(realRoot, request, response).catch(() => {
      if (!response.headersSent) sendPlain(response, 500, 'Internal Server Error\n');
      else response.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    url: formatUrl(host, server.address().port),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Browsers keep idle connections open; without this close() would wait for them.
        server.closeAllConnections();
      }),
  };
}

function parseCommandLine(args) {
  const options = { dir: 'dist', host: '127.0.0.1', port: 0 };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--port') options.port = Number(args[++i]);
    else if (arg.startsWith('--port=')) options.port = Number(arg.slice('--port='.length));
    else if (arg === '--host') options.host = args[++i];
    else if (arg.startsWith('--host=')) options.host = arg.slice('--host='.length);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.dir = arg;
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('--port needs a number between 0 and 65535');
  }
  if (!options.host) throw new Error('--host needs a value');
  return options;
}

async function main() {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`serve.mjs: ${error.message}\nusage: node scripts/serve.mjs [dir=dist] [--port N] [--host H]`);
    process.exit(2);
  }
  const root = path.resolve(options.dir);
  const indexExists = await stat(path.join(root, 'index.html')).then((s) => s.isFile(), () => false);
  if (!indexExists) {
    console.error(`serve.mjs: ${root} has no index.html (run ./scripts/build first)`);
    process.exit(1);
  }
  const { url, close } = await serveStatic({ root, host: options.host, port: options.port });
  console.log(`Describe & Generate is served at ${url}`);
  const stop = () => close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`serve.mjs: ${error.message}`);
    process.exit(1);
  });
}
