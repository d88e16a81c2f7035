// A static server for the built `dist/` on 127.0.0.1: what `bash scripts/serve.sh`, the browser tests
// and the benchmark use. It serves the precompressed `.br` / `.gz` twin of a file (written at build
// time by scripts/compress.mjs) when the browser accepts it, as a static host configured for them
// would, and counts the bytes it sends. Every response carries an ETag and `Cache-Control: no-cache`,
// so the browser keeps what it fetched and asks again only whether it changed (a 304 costs no body):
// the page's two CPU workers then download their wasm and the pack once. `damage` flips a byte in every pack it serves (to test how
// the page reports a corrupt download); `routes` maps extra URL prefixes to folders (the benchmark's
// TensorFlow.js files); `overrides` (a map the caller may change while serving) answers a path with
// `{ status, body }` instead of the file, for the tests' faults (a 404, a malformed catalog, a worker
// script that throws), `{ stall: true }` a download that hangs after its first KiB, and `once: true`
// only the next request; `base` serves the site under a sub-path (`/course/playground/`) and nothing
// outside it, as a host that puts it there would. Every response also carries the headers the build's `_headers` file gives its path
// (scripts/csp.mjs writes the Content-Security-Policy there), as Netlify or Cloudflare Pages would send.
// For the slow-link benchmark (scripts/slow-link.mjs): `link: { mbps, rttMs }` sends every body through
// one shared pipe of that rate, the responses under way taking turns a few KB at a time (as TCP flows
// share a bottleneck), each response waiting one round trip before its first byte and a new
// connection one more (its handshake); `cacheControl` replaces `no-cache` (e.g. `no-store`, or
// `public, max-age=600` as GitHub Pages sends) and `encodings` the twins offered (`['gzip']`: GitHub Pages).
//
//   node scripts/serve.mjs [dist] [port]
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.safetensors': 'application/octet-stream',
  // the book's pictures and fonts
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf', '.ico': 'image/x-icon',
};
const ENCODINGS = [['br', '.br'], ['gzip', '.gz']];
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** One bottleneck every paced response's body goes through: `mbps` megabits a second, shared in
 *  turns of `SLICE` bytes among the responses under way. */
function pipe(mbps) {
  const SLICE = 4096;
  const bytesPerMs = (mbps * 1e6) / 8 / 1000;
  const queue = []; // [res, body, offset, done] of each response still sending
  let running = false;
  const run = async () => {
    running = true;
    let due = performance.now();
    while (queue.length) {
      const entry = queue.shift();
      const [res, body, offset, done] = entry;
      const slice = body.subarray(offset, offset + SLICE);
      if (!res.destroyed) res.write(slice);
      entry[2] += slice.length;
      if (entry[2] < body.length && !res.destroyed) queue.push(entry);
      else { res.end(); done(); }
      due += slice.length / bytesPerMs;
      await sleep(Math.max(0, due - performance.now()));
    }
    running = false;
  };
  return (res, body) => new Promise((done) => {
    queue.push([res, body, 0, done]);
    if (!running) run();
  });
}

/** A `_headers` file's blocks, as [path pattern, headers]: `/`, `/:file` (one path segment) or
 *  `/*` (any path), as Netlify and Cloudflare Pages read them. */
async function hostHeaders(dist) {
  const text = await readFile(join(dist, '_headers'), 'utf8').catch(() => '');
  const blocks = [];
  for (const line of text.split('\n')) {
    if (/^\//.test(line)) blocks.push([line.trim(), {}]);
    else if (/^\s+[\w-]+:/.test(line) && blocks.length) {
      const colon = line.indexOf(':');
      blocks.at(-1)[1][line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return blocks;
}

/** The headers `blocks` give the file at `path` (`/index.html` is `/` too). */
function headersFor(blocks, path) {
  const matches = (pattern) => pattern === '/*' || (pattern === '/' && path === '/index.html')
    || (pattern === '/:file' && /^\/[^/]+$/.test(path)) || pattern === path;
  return Object.assign({}, ...blocks.filter(([pattern]) => matches(pattern)).map(([, headers]) => headers));
}

export async function serveDist(dist, { damage = false, port = 0, routes = {}, overrides = new Map(), base = '/',
  link = null, cacheControl = 'no-cache', encodings = ['br', 'gzip'] } = {}) {
  const host = await hostHeaders(dist);
  const sent = []; // { path, query, bytes, encoding, status } for every response
  const paced = link && pipe(link.mbps);
  const handshaken = new WeakSet(); // the connections whose first round trip was paid
  const server = createServer(async (req, res) => {
    if (link) {
      await sleep(link.rttMs * (handshaken.has(req.socket) ? 1 : 2));
      handshaken.add(req.socket);
    }
    let asked;
    let query;
    try {
      const url = new URL(req.url, 'http://x');
      asked = decodeURIComponent(url.pathname);
      query = url.search;
    } catch { // `/%`: not a path; a throw here would end the server
      res.writeHead(400).end('bad request');
      return;
    }
    if (!asked.startsWith(base)) { res.writeHead(404).end('not found'); return; }
    let path = normalize(`/${asked.slice(base.length)}`).replace(/^(\.\.[/\\])+/, '');
    if (path.endsWith('/')) path += 'index.html';
    const prefix = Object.keys(routes).find((p) => path.startsWith(p));
    const file = prefix ? join(routes[prefix], path.slice(prefix.length)) : join(dist, path);
    const accepted = String(req.headers['accept-encoding'] ?? '').split(',').map((e) => e.trim().split(';')[0]);
    const headers = { ...headersFor(host, path), 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', vary: 'accept-encoding' };
    const override = overrides.get(path);
    if (override?.once) overrides.delete(path);
    if (override?.stall) { // a host that sends its headers and a little, then hangs
      res.writeHead(200, { ...headers, 'cache-control': 'no-store', 'content-length': 1 << 20 }).write(Buffer.alloc(1024));
      sent.push({ path, query, bytes: 1024, encoding: 'identity', status: 200 });
      return;
    }
    if (override) {
      const body = Buffer.from(override.body ?? '');
      res.writeHead(override.status ?? 200, { ...headers, 'cache-control': 'no-store', 'content-length': body.length }).end(body);
      sent.push({ path, query, bytes: body.length, encoding: 'identity', status: override.status ?? 200 });
      return;
    }
    try {
      let body;
      let encoding = 'identity';
      for (const [name, suffix] of damage ? [] : ENCODINGS) {
        if (!accepted.includes(name) || !encodings.includes(name)) continue;
        body = await readFile(file + suffix).catch(() => undefined);
        if (body) { encoding = name; headers['content-encoding'] = name; break; }
      }
      body ??= await readFile(file);
      if (damage && path.endsWith('.safetensors')) {
        body = Buffer.from(body);
        body[body.length >> 1] ^= 0xff;
      }
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}-${encoding}"`;
      Object.assign(headers, { etag, 'cache-control': cacheControl });
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        sent.push({ path, query, bytes: 0, encoding, status: 304 });
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': body.length });
      sent.push({ path, query, bytes: body.length, encoding, status: 200 });
      if (paced) await paced(res, body);
      else res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}${base}`,
    sent,
    overrides,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dist = 'dist', port = '8080'] = process.argv.slice(2);
  const { url } = await serveDist(dist, { port: Number(port) });
  console.log(`Distill Playground on ${url} (serving ${dist}/, precompressed where it can)`);
}
