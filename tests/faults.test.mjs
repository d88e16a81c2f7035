// The page under its Content-Security-Policy, and every fault a visitor's tab can meet: a missing or
// malformed catalog, a missing or oversized pack, a worker that cannot start or crashes, a WebGPU
// device refused or lost, a panic in the page. Each says what happened in words, keeps the settings
// and the results table, and Reset (or a reload, after a panic) recovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { artifacts, open, ready, root } from './browser.mjs';

const TINY = '?backend=cpu&budget=500&epochs=1'; // 8 steps
const error = (page) => page.getByTestId('error').textContent({ timeout: 60_000 });
const rows = (page) => page.locator('[data-testid=results-table] tbody tr').count();

async function finish(page) {
  await page.getByTestId('start').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
}

test('the page and its workers run under the strict Content-Security-Policy, with no violation', async () => {
  const { page, consoleErrors, close } = await open({ query: TINY, webgpu: false });
  try {
    await ready(page);
    const meta = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
    for (const directive of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval' 'sha256-", "worker-src 'self'",
      "connect-src 'self'", "img-src 'self' data: blob:", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
      "form-action 'none'"]) {
      assert.ok(meta.includes(directive), `${directive} in ${meta}`);
    }
    assert.doesNotMatch(meta, /unsafe-inline|'unsafe-eval'/);
    await finish(page);
    await page.getByTestId('export-png').click(); // the charts' PNG: each SVG drawn as an image
    await page.getByTestId('png-link').waitFor();
    assert.deepEqual(consoleErrors, [], 'no policy violation, no error');
    // In force in the page and in each worker (whose policy comes from the header serve.mjs sends):
    // a request to another origin is refused by connect-src before it leaves.
    const probe = () => new Promise((resolve) => {
      self.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
      fetch('http://192.0.2.1/').catch(() => {});
      setTimeout(() => resolve('no violation'), 5000);
    });
    assert.equal(await page.evaluate(probe), 'connect-src');
    assert.ok(page.workers().length >= 1);
    for (const worker of page.workers()) assert.equal(await worker.evaluate(probe), 'connect-src');
  } finally {
    await close();
  }
});

test("a lesson whose text does not load says so under its title, and the lesson's preset still loads", async () => {
  const overrides = new Map([['/lessons.json', { status: 404, body: 'not found' }]]);
  const { page, close } = await open({ query: '?lesson=missing-digit', overrides, webgpu: false });
  try {
    await page.getByTestId('lesson-text').filter({ hasText: 'its text did not load' }).waitFor();
    assert.match(await page.getByTestId('lesson-text').textContent(), /The missing digit/);
    assert.equal(await page.locator('#excluded').inputValue(), '3', 'the preset is in the page, not the file');
  } finally {
    await close();
  }
});

test('Spanish texts that do not load, or of another build, leave the page in English and say so; it still trains', async () => {
  for (const answer of [{ status: 404, body: 'not found' }, { body: '{"Start": "Empezar"}' }]) {
    const { page, close } = await open({ query: '?lang=es', overrides: new Map([['/es.json', answer]]), webgpu: false });
    try {
      await page.getByTestId('spanish-missing').waitFor();
      assert.match(await page.getByTestId('spanish-missing').textContent(), /The Spanish texts did not load/);
      await ready(page);
      assert.equal(await page.getByTestId('start').textContent(), 'Start', 'every text in one language');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.ok(page.url().includes('lang=es'), 'the link still asks for Spanish');
    } finally {
      await close();
    }
  }
});

test('a missing or malformed catalog says what is wrong in words', async () => {
  const cases = [
    [{ status: 404, body: 'not found' }, /catalog\.json: HTTP 404/],
    [{ body: '{"packs": [' }, /catalog\.json/],
    [{ body: JSON.stringify({ packs: [{ teacher: 'mnist-mlp', class_names: ['0'] }] }) }, /catalog\.json/],
  ];
  for (const [answer, message] of cases) {
    const { page, close } = await open({ overrides: new Map([['/packs/catalog.json', answer]]), webgpu: false });
    try {
      assert.match(await error(page), message);
      assert.ok(await page.getByTestId('start').isDisabled(), 'nothing to train on');
    } finally {
      await close();
    }
  }
});

test('a missing, cut short or damaged pack says so, naming the part; the results stay, and Reset recovers once the pack is back', async () => {
  const overrides = new Map();
  const { page, close } = await open({ query: TINY, overrides, webgpu: false });
  try {
    await ready(page);
    await finish(page);
    const before = await rows(page);
    assert.ok(before >= 1, 'a finished run is a row');
    const pack = '/packs/mnist-cnn.safetensors';
    overrides.set(pack, { status: 404, body: 'gone' });
    await page.locator('#teacher').selectOption('mnist-cnn');
    assert.match(await error(page), /mnist-cnn\.safetensors failed: HTTP 404/);
    // Cut short: the first two parts arrive (the run is built on the first), the third does not.
    const whole = await readFile(`${root}dist${pack}`);
    overrides.set(pack, { body: whole.subarray(0, 1_500_000) });
    await page.getByTestId('reset').click(); // after a fault, fresh workers load the pack again
    assert.match(await page.getByTestId('error').filter({ hasText: 'ended after' }).textContent({ timeout: 60_000 }),
      new RegExp(`packs/mnist-cnn\\.safetensors \\(part 5 of 14\\) failed: it ended after 1500000 of its ${whole.length} bytes`));
    // Damaged: its first part is not the catalog's.
    overrides.set(pack, { body: Buffer.alloc(6 << 20) });
    await page.getByTestId('reset').click();
    assert.match(await page.getByTestId('error').filter({ hasText: 'checksum' }).textContent({ timeout: 60_000 }),
      /packs\/mnist-cnn\.safetensors \(part 1 of 14\): expected SHA-256/);
    assert.equal(await rows(page), before, 'the results table keeps its rows');
    overrides.clear();
    await page.getByTestId('reset').click();
    await ready(page);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.equal(await rows(page), before);
    assert.match(page.url(), /teacher=mnist-cnn/, 'the settings stay');
  } finally {
    await close();
  }
});

test('from a host that lets nothing be cached, every file crosses the link once, for both workers', async () => {
  const { page, server, requests, consoleErrors, close } = await open({ query: TINY, webgpu: false, cacheControl: 'no-store' });
  try {
    await ready(page);
    await finish(page);
    if (await page.evaluate(() => navigator.hardwareConcurrency >= 2)) {
      assert.match(await page.getByTestId('backend').textContent(), /× 2/, 'two workers, each needing the wasm and the pack');
    }
    // A worker's own script (its loader and JS glue, 5 KB) is fetched by each worker: a browser
    // shares no script between them when the host forbids caching. Everything else comes once.
    const script = (url) => /\/worker-cpu(_loader)?\.js/.test(url);
    const asked = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && !script(url));
    const twice = asked.filter((url, i) => asked.indexOf(url) !== i);
    assert.deepEqual(twice, [], `the page's request log: ${asked.join(' ')}`);
    const sent = server.sent.map((s) => s.path).filter((path) => !script(path));
    assert.deepEqual(sent.filter((path, i) => sent.indexOf(path) !== i), [], `the host's: ${sent.join(' ')}`);
    assert.ok(sent.includes('/worker-cpu_bg.wasm') && sent.includes('/packs/mnist-mlp.safetensors'), sent.join(' '));
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('a pack download that hangs after its headers is abandoned and tried once more', async () => {
  const pack = '/packs/mnist-mlp.safetensors';
  const overrides = new Map([[pack, { stall: true }]]);
  const { page, server, close } = await open({ query: TINY, overrides, webgpu: false });
  try {
    // The page downloads the pack once for both workers: its first request hangs, and its second
    // try, 20 s later, is answered.
    const asked = () => server.sent.filter((s) => s.path === pack).length;
    const opened = Date.now();
    for (let i = 0; i < 240 && asked() < 1; i++) await new Promise((ok) => setTimeout(ok, 250));
    await new Promise((ok) => setTimeout(ok, 3000));
    assert.equal(asked(), 1, 'one request for every worker');
    assert.match(await page.getByTestId('status').textContent(), /Loading/);
    overrides.clear();
    await ready(page, 90_000);
    const seconds = (Date.now() - opened) / 1000;
    console.log(`a hanging pack download (${asked()} requests): ready ${seconds.toFixed(1)} s after the page opened`);
    assert.ok(seconds > 19, 'ready only once the stalled try was given up');
    assert.equal(asked(), 2, 'the stalled try and the one that was answered');
    assert.equal(await page.getByTestId('error').count(), 0);
  } finally {
    await close();
  }
});

test('a worker that cannot start, or crashes mid-run, is reported; settings and results stay; Reset starts afresh', async () => {
  const overrides = new Map([['/worker-cpu_loader.js', { body: "throw new Error('a worker that fails to start');" }]]);
  const { page, close } = await open({ query: TINY, overrides, webgpu: false });
  try {
    assert.match(await error(page), /The training worker stopped: .*a worker that fails to start.*press Reset/);
    overrides.clear();
    await page.getByTestId('reset').click();
    await ready(page);
    await finish(page);
    const before = await rows(page);
    const link = page.url();
    // A crash inside a running worker: an exception nothing catches.
    await page.workers().at(-1).evaluate(() => setTimeout(() => { throw new Error('a crash in the worker'); }));
    assert.match(await error(page), /The training worker stopped: .*a crash in the worker/);
    assert.equal(await rows(page), before, 'the results table keeps its rows');
    assert.equal(page.url(), link, 'the settings stay');
    await page.getByTestId('reset').click();
    await ready(page);
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /step 1 of/.test(document.querySelector('[data-testid=status]').textContent));
    assert.equal(await rows(page), before);
  } finally {
    await close();
  }
});

test('WebGPU: a refused device falls back to the CPU with a notice; a lost one stops the run with the reason, and Reset starts a fresh device', async () => {
  const loader = '/worker-webgpu_loader.js';
  const start = "import init from './worker-webgpu.js'; await init();";
  const overrides = new Map([[loader, { body: `GPUAdapter.prototype.requestDevice = () =>
    Promise.reject(new DOMException('refused by the test', 'OperationError'));\n${start}` }]]);
  const { page, close } = await open({ query: '?backend=webgpu&budget=500&epochs=1', overrides });
  try {
    await ready(page);
    assert.match(await page.getByTestId('backend').textContent(), /CPU/);
    const notice = await page.locator('.notice').first().textContent();
    console.log(`a refused device: ${notice}`);
    assert.match(notice, /^WebGPU is not available here \(Unable to request a wgpu device: OperationError: refused by the test\); training on the CPU instead\.$/);
    // Now a device that the test can destroy, as a driver reset or a GPU that went away would.
    overrides.set(loader, { body: `const request = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...args) { self.testDevice = await request.apply(this, args); return self.testDevice; };\n${start}` });
    await page.locator('#backend').selectOption('cpu');
    await ready(page);
    await page.locator('#backend').selectOption('webgpu');
    await page.getByTestId('backend').filter({ hasText: 'WebGPU' }).waitFor({ timeout: 60_000 });
    await ready(page);
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /step 1 of/.test(document.querySelector('[data-testid=status]').textContent), null, { timeout: 120_000 });
    const worker = page.workers().find((w) => w.url().includes('webgpu'));
    await worker.evaluate(() => self.testDevice.destroy());
    // The loss may be noticed at once (the page stops) or at the next read, once training goes on.
    await page.getByTestId('start').click({ timeout: 5_000 }).catch(() => {});
    const reason = await error(page);
    console.log(`after device.destroy(): ${reason}`);
    assert.match(reason, /^The GPU device was lost \(Destroyed: .*press Reset/);
    await page.screenshot({ path: `${artifacts}/device-lost.png` });
    await page.getByTestId('reset').click();
    await page.getByTestId('backend').filter({ hasText: 'WebGPU' }).waitFor({ timeout: 60_000 });
    await ready(page, 120_000);
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /step 1 of/.test(document.querySelector('[data-testid=status]').textContent), null, { timeout: 120_000 });
    assert.equal(await page.getByTestId('error').count(), 0);
  } finally {
    await close();
  }
});

test('a panic in the page shows a reload banner, and the link in it keeps the settings', async () => {
  const { page, close } = await open({ query: '?t=5', webgpu: false });
  try {
    await ready(page);
    await page.evaluate(() => window.wasmBindings.crashForTest()).catch(() => {});
    const banner = page.getByTestId('crash');
    assert.match(await banner.textContent(), /The page hit an internal error .*a crash asked for by a test.*reload.* Reload$/);
    const href = await banner.locator('a').getAttribute('href');
    assert.match(href, /t=5/);
    await page.screenshot({ path: `${artifacts}/page-panic.png` });
    await Promise.all([page.waitForEvent('load'), banner.locator('a').click()]);
    await ready(page);
    assert.equal(await page.getByTestId('crash').count(), 0, 'a fresh page');
    assert.equal(await page.locator('#temperature').inputValue(), '5');
  } finally {
    await close();
  }
});

test('the results table survives a reload, a panic\'s Reload and a worker script that does not load; Clear empties it for good', async () => {
  // A worker script that does not load (offline, or a deploy replaced it) fires a plain Event, with
  // no message: the page says so instead of freezing, and Reset tries again.
  const overrides = new Map([['/worker-cpu_loader.js', { status: 404, body: 'not found' }]]);
  const { page, consoleErrors, close } = await open({ query: TINY, overrides, webgpu: false });
  const runs = () => page.locator('[data-testid=results-table] tbody tr td:first-child').allTextContents();
  try {
    assert.match(await error(page), /The training worker could not be loaded .*Your settings and results are kept; press Reset/);
    overrides.clear();
    await page.getByTestId('reset').click();
    await ready(page);
    await finish(page);
    assert.equal(await rows(page), 2);
    await page.reload();
    await ready(page);
    assert.deepEqual(await runs(), ['run 1', 'run 1'], 'a reload keeps the rows');
    await finish(page);
    assert.deepEqual(await runs(), ['run 1', 'run 1', 'run 2', 'run 2'], 'this visit\'s run is numbered after the kept ones');
    await page.evaluate(() => window.wasmBindings.crashForTest()).catch(() => {});
    await Promise.all([page.waitForEvent('load'), page.getByTestId('crash').locator('a').click()]);
    await ready(page);
    assert.equal(await rows(page), 4, 'the crash banner\'s Reload keeps them too');
    overrides.set('/worker-cpu_loader.js', { status: 404, body: 'not found' });
    await page.reload();
    assert.match(await error(page), /could not be loaded/);
    assert.equal(await rows(page), 4, 'a worker that does not load loses no row');
    // After a deploy, a host's cache hands the page a worker of another build: its first message
    // says so (variant 0, protocol 1), or, from before the protocol number, cannot be read (a bare 0).
    for (const first of ['[0, 1]', '[0]']) {
      overrides.set('/worker-cpu_loader.js', { body: `self.postMessage(new Uint8Array(${first}));` });
      await page.reload();
      assert.match(await error(page), /from another version of the playground than this page .*Reload the page; your settings and results are kept/);
      assert.equal(await rows(page), 4, 'a worker of another version loses no row');
    }
    overrides.clear();
    await page.getByTestId('reset').click();
    await ready(page);
    await page.getByTestId('clear-results').click();
    await page.reload();
    await ready(page);
    assert.equal(await rows(page), 0, 'cleared for good');
    assert.equal(await page.getByTestId('results-not-kept').count(), 0);
    assert.deepEqual(consoleErrors.filter((e) => !/404|crash asked for by a test|Failed to load|panicked/.test(e)), []);
  } finally {
    await close();
  }
});

test('a browser that keeps nothing says so once, and the page works as before', async () => {
  const { page, close } = await open({ query: TINY, webgpu: false, init: () => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  } });
  try {
    await ready(page);
    assert.match(await page.getByTestId('results-not-kept').textContent(), /does not let the page keep the results table \(.*insecure.*\): a reload loses it/);
    await finish(page);
    assert.equal(await rows(page), 2);
  } finally {
    await close();
  }
});
