// The playground in Firefox and WebKit (Safari's engine), one engine at a time: the CPU path of
// both tasks, a sweep from a lesson's link, an import, faults (a worker that does not load, one of
// another build, a missing catalog), and the results table across a reload. The Chromium suite (the other files) covers each in depth; this one keeps the other
// two engines working. Neither offers WebGPU here, so the page must choose the CPU by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist } from '../scripts/serve.mjs';
import { root } from './browser.mjs';
import { firefox, webkit } from './engines.mjs';

const TINY = '?budget=500&epochs=1'; // 8 steps, the backend left to the page
const rows = "document.querySelectorAll('[data-testid=results-table] tbody tr').length";
const status = (pattern) => `/${pattern}/.test(document.querySelector('[data-testid=status]')?.textContent)`;
const text = (testId) => `document.querySelector('[data-testid=${testId}]')?.textContent ?? ''`;

async function walk(open) {
  const overrides = new Map();
  const server = await serveDist(`${root}dist`, { overrides });
  const browser = await open();
  const timings = [];
  const timed = async (what, body) => {
    const started = Date.now();
    await body();
    timings.push(`${what} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  try {
    await timed('images: load and a run', async () => {
      await browser.goto(server.url + TINY);
      await browser.waitFor(status('Ready'), 90_000);
      assert.match(await browser.run(text('backend')), /CPU/, 'no WebGPU here: the page chose the CPU by itself');
      await browser.click('start');
      await browser.waitFor(status('Finished'), 120_000);
      assert.equal(await browser.run(rows), 2);
      const distilled = parseFloat(await browser.run(text('test-accuracy-distilled')));
      assert.ok(distilled > 50, `the distilled student learnt: ${distilled}%`);
    });
    await timed('a weights file that is not a student: refused', async () => {
      await browser.run(`(() => {
        const input = document.querySelector('[data-testid=import-weights]');
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array([1, 2, 3, 4])], 'not-a-student.safetensors'));
        input.files = files.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      })()`);
      await browser.waitFor(`/cannot use/.test(${text('import-message')})`, 30_000);
      assert.match(await browser.status(), /Finished/, 'the students are untouched');
    });
    await timed('a reload keeps the results', async () => {
      await browser.goto(server.url + TINY);
      await browser.waitFor(status('Ready'), 90_000);
      assert.equal(await browser.run(rows), 2);
    });
    await timed('a sweep from a lesson', async () => {
      await browser.goto(`${server.url}?lesson=less-data&backend=cpu&budget=1000&epochs=1&sweep=budget:100,1000&by=mode:soft`);
      await browser.waitFor(status('Ready'), 90_000);
      await browser.click('run-sweep');
      await browser.waitFor(`${rows} === 4`, 180_000); // the 2 rows kept, and one per sweep run
      await browser.waitFor("document.querySelector('[data-testid=run-sweep]')", 30_000);
      assert.equal(await browser.run("document.querySelectorAll('.sweep circle').length"), 2, 'a dot per sweep run');
    });
    await timed('words: one step', async () => {
      await browser.goto(`${server.url}?task=words&backend=cpu&student=mlp:64&budget=300&epochs=3`);
      await browser.waitFor(status('Ready'), 90_000);
      await browser.click('step');
      await browser.waitFor(status('step 1 of'), 60_000);
      await browser.waitFor(`Number.isFinite(parseFloat(${text('bits-distilled')}))`, 30_000);
      const bits = parseFloat(await browser.run(text('bits-distilled')));
      assert.ok(bits > 0 && bits < 6, `bits per character after a step: ${bits}`);
    });
    await timed('a worker that does not load, then one of another build: said, rows kept, Reset', async () => {
      overrides.set('/worker-cpu_loader.js', { status: 404, body: 'not found' });
      await browser.goto(server.url + TINY);
      await browser.waitFor(`/could not be loaded/.test(${text('error')})`, 60_000);
      assert.equal(await browser.run(rows), 4, 'no row lost');
      overrides.set('/worker-cpu_loader.js', { body: 'self.postMessage(new Uint8Array([0, 1]));' });
      await browser.click('reset');
      await browser.waitFor(`/another version/.test(${text('error')})`, 60_000);
      overrides.clear();
      await browser.click('reset');
      await browser.waitFor(status('Ready'), 90_000);
      assert.equal(await browser.run(rows), 4);
    });
    await timed('a missing catalog: said in words', async () => {
      overrides.set('/packs/catalog.json', { status: 404, body: 'not found' });
      await browser.goto(server.url);
      await browser.waitFor(`/catalog\\.json/.test(${text('error')})`, 60_000);
      assert.match(await browser.run(text('error')), /Cannot load packs\/catalog\.json: .*404/);
    });
    assert.deepEqual(browser.errors, [], 'no uncaught error in the page');
    console.log(`${browser.engine} (${browser.version}): ${timings.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

test('Firefox: both tasks on the CPU, a sweep, an import, faults, results across a reload', () => walk(firefox));

test('WebKit: both tasks on the CPU, a sweep, an import, faults, results across a reload', () => walk(webkit));
