// scripts/serve.mjs, the static server the tests (and `serve.sh`) use: a request that is not a
// path gets a 400 and the server goes on serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { serveDist } from '../scripts/serve.mjs';
import { root } from './browser.mjs';

// fetch() would normalise the path; a raw request sends it as written.
const get = (url, path) => new Promise((ok, fail) => {
  const { hostname, port } = new URL(url);
  request({ hostname, port, path }, (res) => { res.resume(); ok(res.statusCode); }).on('error', fail).end();
});

test('a request for /% is refused, and the server still answers', async () => {
  const server = await serveDist(`${root}dist`);
  try {
    assert.equal(await get(server.url, '/%'), 400);
    assert.equal(await get(server.url, '/%E0%A4%A'), 400);
    assert.equal(await get(server.url, '/'), 200);
  } finally {
    await server.close();
  }
});
