// End-to-end tests of the built playground (`trunk build --release` → dist/) in Debian's
// Chromium, driven by playwright-core. SwiftShader's WebGPU is slow: the GPU run is tiny.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDist } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const artifacts = `${root}tests/artifacts`;
const FLAGS = ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

before(() => mkdir(artifacts, { recursive: true }));

/** A fresh browser (one at a time) and server, recording console errors and every request.
 *  Without `webgpu`, Chromium exposes navigator.gpu but grants no adapter. */
async function open({ damage = false, webgpu = true, viewport = { width: 1280, height: 1400 }, query = '' } = {}) {
  const server = await serveDist(`${root}dist`, { damage });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS,
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleErrors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  context.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && consoleErrors.push(`worker: ${m.text()}`)));
  await page.goto(server.url + query);
  const close = async () => { await browser.close(); await server.close(); };
  return { page, server, consoleErrors, requests, close };
}

async function ready(page, timeout = 60_000) {
  await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout });
}

/** Sets a control the way a visitor does (select, number box or slider), which resets the run. */
async function set(page, id, value) {
  await page.locator(`#${id}`).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
  await ready(page);
}

const percent = async (page, id) => parseFloat((await page.getByTestId(id).textContent()).replace('%', ''));
const step = async (page) => Number(((await page.getByTestId('status').textContent()).match(/step (\d+)/) ?? [0, 0])[1]);

test('a short CPU run: loads cleanly, learns, distillation wins, nothing leaves the origin', async () => {
  const opened = Date.now();
  const { page, server, consoleErrors, requests, close } = await open();
  try {
    await ready(page);
    const loaded = Date.now();
    await set(page, 'backend', 'cpu');
    await page.getByTestId('backend').filter({ hasText: 'CPU' }).waitFor();
    const started = Date.now();
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /step [1-9]/.test(document.querySelector('[data-testid=status]').textContent));
    const firstReport = Date.now();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 240_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`page open → ready to train: ${((loaded - opened) / 1000).toFixed(1)} s; Start → first report: ${((firstReport - started) / 1000).toFixed(2)} s`);
    const distilled = await percent(page, 'test-accuracy-distilled');
    const baseline = await percent(page, 'test-accuracy-baseline');
    console.log(`CPU, default settings: distilled ${distilled}%, labels only ${baseline}% after ${seconds.toFixed(1)} s;`,
      await page.locator('.sizes').textContent());
    await page.screenshot({ path: `${artifacts}/finished-cpu-run.png`, fullPage: true });
    assert.ok(baseline > 80, `labels-only student learned: ${baseline}%`);
    assert.ok(distilled > baseline, `distilled ${distilled}% beats labels only ${baseline}%`);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.deepEqual(consoleErrors, []);
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'every request stays on the page\'s origin');
  } finally {
    await close();
  }
});

test('a very short WebGPU run on SwiftShader learns', async () => {
  const { page, consoleErrors, close } = await open();
  try {
    await ready(page);
    await set(page, 'budget', 500);
    await set(page, 'epochs', 1);
    await set(page, 'backend', 'webgpu');
    const backend = await page.getByTestId('backend').textContent();
    assert.match(backend, /WebGPU/, backend);
    const started = Date.now();
    await page.getByTestId('start').click();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
    const distilled = await percent(page, 'test-accuracy-distilled');
    const baseline = await percent(page, 'test-accuracy-baseline');
    console.log(`${backend}: 8 steps in ${((Date.now() - started) / 1000).toFixed(1)} s: distilled ${distilled}%, labels only ${baseline}%`);
    assert.ok(distilled > 40 && baseline > 40, `well above the 10% of chance: ${distilled}%, ${baseline}%`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('without a WebGPU adapter the page says so and trains on the CPU', async () => {
  const { page, consoleErrors, close } = await open({ webgpu: false, viewport: { width: 390, height: 844 } });
  try {
    await ready(page);
    assert.match(await page.getByTestId('backend').textContent(), /CPU/);
    assert.match(await page.locator('.notice').textContent(), /WebGPU is not available/);
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /step 1 of/.test(document.querySelector('[data-testid=status]').textContent));
    assert.match(await page.getByTestId('test-accuracy-distilled').textContent(), /^\d+\.\d\d%$/);
    await page.screenshot({ path: `${artifacts}/phone-no-webgpu.png` }); // what a phone shows first
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('pause stops progress', async () => {
  const { page, close } = await open();
  try {
    await ready(page);
    await set(page, 'backend', 'cpu');
    await set(page, 'epochs', 200);
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /Training: step [1-9]/.test(document.querySelector('[data-testid=status]').textContent));
    await page.getByTestId('pause').click();
    await page.getByTestId('status').filter({ hasText: 'Paused' }).waitFor();
    const paused = await step(page);
    await page.waitForTimeout(1500);
    assert.equal(await step(page), paused, 'no step while paused');
    await page.getByTestId('start').click();
    await page.waitForFunction((s) => Number((document.querySelector('[data-testid=status]').textContent.match(/step (\d+)/) ?? [0, 0])[1]) > s, paused);
  } finally {
    await close();
  }
});

test('a corrupt pack shows a clear error, not a blank page', async () => {
  const { page, close } = await open({ damage: true });
  try {
    const error = page.getByTestId('error');
    await error.waitFor({ timeout: 60_000 });
    const text = await error.textContent();
    assert.match(text, /mnist-mlp\.safetensors/);
    assert.match(text, /SHA-256/);
    assert.ok(await page.getByTestId('start').isDisabled(), 'nothing to train on');
  } finally {
    await close();
  }
});

test('every setting is in the URL: change, reload, same experiment', async () => {
  const { page, consoleErrors, close } = await open({ query: '?student=mlp:30-30&t=4&seed=7&backend=cpu' });
  try {
    await ready(page);
    assert.equal(await page.locator('#student').inputValue(), 'mlp:30-30');
    assert.equal(await page.locator('#seed').inputValue(), '7');
    await set(page, 'alpha', 0.25);
    await set(page, 'mode', 'top3');
    const url = page.url();
    for (const part of ['student=mlp:30-30', 't=4', 'seed=7', 'alpha=0.25', 'mode=top3', 'backend=cpu']) {
      assert.ok(url.includes(part), `${part} in ${url}`);
    }
    assert.equal(await page.getByTestId('share-link').inputValue(), url);
    await page.reload();
    await ready(page);
    assert.equal(await page.locator('#alpha').inputValue(), '0.25');
    assert.equal(await page.locator('#mode').inputValue(), 'top3');
    assert.equal(await page.locator('#student').inputValue(), 'mlp:30-30');
    assert.match(await page.getByTestId('embed-snippet').inputValue(), /<iframe src="[^"]*embed=1/);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('embed mode hides and locks what the link says, and autostart trains', async () => {
  const { page, close } = await open({ query: '?embed=1&hide=seed,charts&lock=teacher,t&backend=cpu&budget=300&epochs=1&autostart=1' });
  try {
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('.lede').isVisible(), false, 'no introduction in an iframe');
    assert.equal(await page.locator('#seed').count(), 0);
    assert.equal(await page.locator('.charts').count(), 0);
    assert.ok(await page.locator('#teacher').isDisabled());
    assert.ok(await page.locator('#temperature').isDisabled());
    assert.ok(!(await page.locator('#student').isDisabled()));
    assert.ok(parseFloat(await page.getByTestId('test-accuracy-distilled').textContent()) > 50);
  } finally {
    await close();
  }
});

test('bad URL parameters are reported, clamped or ignored, never injected', async () => {
  const { page, consoleErrors, close } = await open({ query: '?t=999&bogus=1&student=mlp:x&teacher=%3Cb%20id%3Dinjected%3Ex%3C%2Fb%3E' });
  try {
    await ready(page);
    const notice = await page.getByTestId('url-notice').textContent();
    for (const part of ['t=999 is out of range; using 20', 'unknown parameter `bogus`', 'mlp:x', 'there is no teacher `<b id=injected>x</b>`']) {
      assert.ok(notice.includes(part), `${part} in ${notice}`);
    }
    assert.equal(await page.locator('#injected').count(), 0);
    assert.equal(await page.locator('#temperature').inputValue(), '20');
    assert.equal(await page.locator('#teacher').inputValue(), 'mnist-mlp', 'the default teacher instead');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('the missing-digit lesson: a 3 never seen in training is still recognised by the distilled student', async () => {
  const { page, consoleErrors, close } = await open({ query: '?lesson=missing-digit&backend=cpu&autostart=1' });
  try {
    assert.match(await page.getByTestId('lesson-text').textContent(), /missing digit/i);
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
    const text = await page.getByTestId('missing-class').textContent();
    const [, distilled, total, baseline] = text.match(/gets (\d+) of (\d+) right, labels only (\d+)/).map(Number);
    console.log(`missing-digit lesson (CPU): ${text} Accuracy: distilled ${await page.getByTestId('test-accuracy-distilled').textContent()}, labels only ${await page.getByTestId('test-accuracy-baseline').textContent()}`);
    assert.equal(baseline, 0, 'labels alone cannot predict a class they never saw');
    assert.ok(distilled >= 5 && distilled <= total, `the distilled student recognises some 3s: ${distilled} of ${total}`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('axe-core finds no accessibility violations, on the page and in embed mode', async () => {
  for (const query of ['', '?embed=1&lock=teacher,t&hide=seed']) {
    const { page, close } = await open({ query, webgpu: false });
    try {
      await ready(page);
      await page.getByTestId('step').click(); // charts, matrices and probabilities drawn
      await page.waitForFunction(() => /step 1 of/.test(document.querySelector('[data-testid=status]').textContent));
      await page.addScriptTag({ path: `${root}node_modules/axe-core/axe.min.js` });
      const violations = await page.evaluate(async () =>
        (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(violations, [], `axe on ${query || 'the main page'}`);
    } finally {
      await close();
    }
  }
});
