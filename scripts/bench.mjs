// The benchmark: how heavy the first visit is and how fast students train, against TensorFlow.js
// on the same MLPs, batches, data and optimiser, in one headless Chromium. Prints tables; asserts
// nothing about speed. Needs a release build in dist/ (`trunk build --release`).
//
//   node scripts/bench.mjs            full run (several minutes on 2 cores)
//   node scripts/bench.mjs --smoke    a few steps of everything, so CI keeps the benchmark working
//   node scripts/bench.mjs --dist DIR another build (e.g. an older commit's dist/, to compare)
//   node scripts/bench.mjs --visit    only the first visit and load → ready
//   node scripts/bench.mjs --cpu      only this project's CPU throughput (with --dist: did a build slow it?)
//   node scripts/bench.mjs --webgpu   only the WebGPU rows: this project's and TF.js's, same adapter
//   node scripts/bench.mjs --sequences only the words and reasoning students, CPU and WebGPU
//   node scripts/bench.mjs --slow     only the first visit on a slow link (scripts/slow-link.mjs):
//                                     bytes, Start enabled, first curve point, run finished
//   node scripts/bench.mjs --soak [MIN] only sweeps back to back for MIN minutes (20), the tab's memory
//                                     sampled every minute (scripts/soak.mjs)
//   node scripts/bench.mjs --json FILE also writes every figure printed to FILE; the book's
//                                     snapshot is docs/src/results/benchmark.json, drawn by
//                                     scripts/plots.mjs
//
// What is measured:
// - The first visit on a slow link: see scripts/slow-link.mjs.
// - First visit: every byte the server sends while the default page opens and becomes ready to
//   train (compressed as the browser accepted it), and the raw / gzip / brotli size of each file.
// - Load → ready: from the start of navigation (the page's performance clock) until the status
//   line first says "Ready", median of five fresh visits.
// - Training throughput per student, steady state: this project through the page itself (a sweep
//   of four points of the same student; the last two points' rows give steps × batch / seconds, so
//   shader compilation and warm-up are left out). On the CPU with two or more cores the page trains
//   two points at once, one per worker, so this is "per student while both train"; on WebGPU one
//   worker trains them in turn. TF.js 4.22 (wasm SIMD, WebGL, WebGPU): Adam steps timed after
//   warm-up steps, one model, one thread.
// - The words and reasoning tasks' students the same way (their task's default student, batch and
//   mode), in examples/s and tokens/s: the symbols a step feeds its model (SEQUENCES).
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serveDist } from './serve.mjs';
import { slowLink } from './slow-link.mjs';
import { soak } from './soak.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const smoke = process.argv.includes('--smoke');
const cpuOnly = process.argv.includes('--cpu');
const webgpuOnly = process.argv.includes('--webgpu');
const sequencesOnly = process.argv.includes('--sequences');
const slowOnly = process.argv.includes('--slow');
const soakArgument = process.argv.indexOf('--soak');
const distArgument = process.argv.indexOf('--dist');
const dist = distArgument > 0 ? process.argv[distArgument + 1] : `${root}dist`;
const jsonArgument = process.argv.indexOf('--json');
const FLAGS = ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];
const TFJS = `${root}node_modules/@tensorflow/`;
// [student, hidden layers, batch]: the two MLPs of the issue's table.
const MODELS = [['mlp:100', [100], 64], ['mlp:800-800', [800, 800], 128]];
// [task, its student, examples a budget's unit gives, tokens an example feeds, steps on the CPU and
// on WebGPU (long enough that the one scoring at the end weighs little), link]: the sequence tasks
// at their own defaults. Words: the budget counts words, an example is one letter (or a word's
// end) predicted from the 8 before it; the pack's 2,000 training words are 18,497 of them.
// Reasoning (text mode, the teacher's solutions): an example is a problem of n bits, `$`, the bits,
// `>`, n steps, `=`, the answer, `.`: 2n + 4 tokens in, n from 5 to 8 (17 on average; a batch pads
// to its longest).
const SEQUENCES = [
  ['words', 'mlp:64 over 8 letters', 18497 / 2000, 1, [2000, 100], 'task=words&student=mlp:64&budget=2000&batch=64'],
  ['reasoning', 'transformer d32 ×2 layers (27.0k)', 1, 17, [400, 30], 'task=reasoning&budget=1000&batch=32&mode=text'],
];

/** Steps timed per model and backend: enough for a steady figure, few where a step is slow
 *  (SwiftShader's WebGPU is CPU-emulated). */
const stepsFor = (backend, hidden) =>
  smoke ? 3 : backend === 'webgpu' ? (hidden.length > 1 ? 10 : 40) : hidden.length > 1 ? 120 : 600;
// Four identical points, the last two timed; the smoke run's two only check that rows come back.
const SWEEP = smoke ? 'seed:1,2' : 'seed:1,2,3,4';
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

const server = await serveDist(dist, { routes: { '/bench/tfjs/': TFJS } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
// Every figure printed, for --json: what scripts/plots.mjs draws the book's snapshot from.
const report = {
  date: new Date().toISOString().slice(0, 10),
  command: `node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
  chromium: browser.version(),
  cpu: cpus()[0].model.trim(),
  cores: cpus().length,
  smoke,
};
try {
  console.log(`Distill Playground benchmark${smoke ? ' (smoke: a few steps, figures mean nothing)' : ''}, ${report.date}`);
  console.log(`Chromium ${report.chromium}, ${report.cores} cores (${report.cpu})\n`);
  if (soakArgument > 0) {
    await soak(browser, server, Number(process.argv[soakArgument + 1]) || 20);
  } else if (sequencesOnly) {
    await sequenceThroughput();
  } else if (slowOnly) {
    await slowLink(browser, dist, report, { smoke, table });
  } else {
    if (!webgpuOnly) await firstVisit();
    if (!webgpuOnly && !cpuOnly && !process.argv.includes('--visit')) await slowLink(browser, dist, report, { smoke, table });
    if (cpuOnly) await projectThroughput();
    else if (!process.argv.includes('--visit')) await compareThroughput();
    if (!process.argv.includes('--visit')) await sequenceThroughput();
  }
  if (jsonArgument > 0) await writeFile(process.argv[jsonArgument + 1], `${JSON.stringify(report, null, 1)}\n`);
} finally {
  await browser.close();
  await server.close();
}

/** This project against TF.js on each model and backend, as a table. */
async function compareThroughput() {
  const ours = await projectThroughput();
  const theirs = await tfjsThroughput();
  const rows = [];
  for (const [student] of MODELS) {
    for (const [backend, tfBackend] of webgpuOnly ? [['webgpu', 'webgpu']] : [['cpu', 'wasm'], ['webgpu', 'webgpu']]) {
      const a = ours[`${student} ${backend}`];
      const b = theirs[`${student} ${tfBackend}`];
      rows.push([student, backend, a ? a.toFixed(0) : '–', tfBackend, b ? b.toFixed(0) : '–', a && b ? `${(a / b).toFixed(2)}×` : '–']);
    }
    const webgl = theirs[`${student} webgl`];
    if (webgl) rows.push([student, '', '', 'webgl', webgl.toFixed(0), '']);
  }
  report.throughput = MODELS.map(([student, , batch]) => ({
    student, batch,
    ours: Object.fromEntries(['cpu', 'webgpu'].filter((b) => ours[`${student} ${b}`]).map((b) => [b, Math.round(ours[`${student} ${b}`])])),
    tfjs: Object.fromEntries(['wasm', 'webgl', 'webgpu'].filter((b) => theirs[`${student} ${b}`]).map((b) => [b, Math.round(theirs[`${student} ${b}`])])),
  }));
  console.log('\nTraining, examples/s per student (steady state; this project on the CPU: two students at once, one per core)');
  console.log(table(['student', 'this project', 'ex/s', 'TF.js', 'ex/s', 'ratio'], rows));
}

/** Bytes of the default first visit, and load → ready. */
async function firstVisit() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const before = server.sent.length;
  const timeline = []; // when each request started and finished, ms after opening
  context.on('requestfinished', (r) => timeline.push([new URL(r.url()).pathname, r.timing()]));
  const ready = await openUntilReady(page);
  const backend = await page.getByTestId('backend').textContent();
  await context.close();
  const files = server.sent.slice(before);
  const measured = []; // each file sent: its sizes raw, gzip and brotli, and what it cost on the wire
  const revalidated = files.filter((f) => f.status === 304).length;
  for (const { path, bytes, encoding } of files.filter((f) => f.status === 200)) {
    const raw = await readFile(`${dist}${path}`);
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 } });
    measured.push({ path, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length, brotli: br.length, sent: bytes, encoding });
  }
  const rows = measured.map((f) => [f.path, f.raw, f.gzip, f.brotli, `${f.sent} (${f.encoding})`]);
  const sum = (i) => rows.reduce((s, r) => s + r[i], 0);
  const sent = files.reduce((s, f) => s + f.bytes, 0);
  rows.push(['total', sum(1), sum(2), sum(3), sent]);
  console.log(`First visit (default link, backend chosen: ${backend.trim()}), bytes; ${revalidated} more requests answered 304 (already cached)`);
  console.log(table(['file', 'raw', 'gzip', 'brotli', 'sent'], rows));
  const again = [];
  for (let i = 0; i < (smoke ? 0 : 4); i++) again.push(await loadToReady());
  const all = [ready, ...again].sort((a, b) => a - b);
  console.log(`first visit sent ${kb(sent)}; load → ready ${(all[all.length >> 1] / 1000).toFixed(2)} s (median of ${all.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
  report.first_visit = {
    backend: backend.trim(),
    sent,
    revalidated,
    files: measured.map(({ encoding, ...sizes }) => sizes),
    load_to_ready_s: all.map((t) => Math.round(t) / 1000),
  };
  const t0 = Math.min(...timeline.map(([, t]) => t.startTime));
  console.log('requests (ms after the first): ' + timeline.map(([path, t]) =>
    `${path} ${(t.startTime - t0).toFixed(0)}–${(t.startTime - t0 + t.responseEnd).toFixed(0)}`).join(', '));
}

/** Navigation start → the status line's first "Ready", in ms, in a fresh context (nothing cached). */
async function loadToReady() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const ms = await openUntilReady(page);
  await context.close();
  return ms;
}

async function openUntilReady(page) {
  await page.addInitScript(() => new MutationObserver(() => {
    const status = document.querySelector('[data-testid=status]');
    if (!window.readyAt && status?.textContent.startsWith('Ready')) window.readyAt = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true }));
  await page.goto(server.url);
  await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout: 120_000 });
  return page.evaluate(() => window.readyAt);
}

/** This project, through the page: a sweep of four identical points; the last two ones' rows. */
async function projectThroughput() {
  const figures = {};
  for (const [student, hidden, batch] of MODELS) {
    for (const backend of cpuOnly ? ['cpu'] : webgpuOnly ? ['webgpu'] : ['cpu', 'webgpu']) {
      const steps = stepsFor(backend, hidden);
      // The pack has 5,000 training rows: more steps than fit in one pass are more epochs.
      const budget = Math.min(batch * steps, 5000);
      const epochs = Math.ceil((10 * batch * steps) / budget) / 10;
      const query = `?backend=${backend}&student=${student}&batch=${batch}&budget=${budget}&epochs=${epochs}&sweep=${SWEEP}&mode=soft`;
      const { last, together } = await sweepRows(query);
      const perSecond = last.reduce((sum, r) => sum + (r.steps * Math.min(batch, r.examples)) / r.seconds, 0) / last.length;
      figures[`${student} ${backend}`] = perSecond;
      console.log(`this project ${student} b${batch} ${backend} (${last[0].backend_used}; ${together ? 'two points at once' : 'one point at a time'}): ` +
        `${last[0].steps} steps in ${last.map((r) => r.seconds.toFixed(2)).join(' s, ')} s → ${perSecond.toFixed(0)} ex/s per student`);
    }
  }
  return figures;
}

/** A sweep of four identical points through the page, as in projectThroughput; the last two
 *  points' rows (their time includes one scoring at the end). */
async function sweepRows(query) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(server.url + query);
  await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('run-sweep').click();
  await page.getByTestId('sweep-progress').waitFor();
  await page.getByTestId('run-sweep').waitFor({ timeout: 900_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const rows = JSON.parse(await readFile(await file.path(), 'utf8'));
  const workers = await page.getByTestId('backend').textContent();
  await context.close();
  return { last: rows.slice(-2), together: workers.includes('× 2') };
}

/** The words and reasoning students through the page, per student: examples/s and tokens/s. */
async function sequenceThroughput() {
  const rows = [];
  for (const [task, student, perUnit, tokens, [cpuSteps, webgpuSteps], link] of SEQUENCES) {
    for (const backend of cpuOnly ? ['cpu'] : webgpuOnly ? ['webgpu'] : ['cpu', 'webgpu']) {
      const steps = smoke ? 3 : backend === 'webgpu' ? webgpuSteps : cpuSteps;
      const batch = Number(new URLSearchParams(link).get('batch'));
      // As for the images: the budget, or fewer examples where the steps need fewer; more epochs.
      const budget = Math.min(Number(new URLSearchParams(link).get('budget')), Math.ceil((batch * steps) / perUnit));
      const epochs = Math.ceil((10 * batch * steps) / (budget * perUnit)) / 10;
      const query = `?${link.replace(/budget=\d+/, `budget=${budget}`)}&backend=${backend}&epochs=${epochs}&sweep=${SWEEP}`;
      const { last, together } = await sweepRows(query);
      const perSecond = last.reduce((sum, r) => sum + (r.steps * Math.min(batch, r.examples)) / r.seconds, 0) / last.length;
      rows.push([task, student, `${backend} (${last[0].backend_used}${together ? ', two at once' : ''})`, batch,
        last[0].steps, perSecond.toFixed(0), (perSecond * tokens).toFixed(0)]);
      (report.sequences ??= []).push({ task, student, backend, adapter: last[0].backend_used, two_at_once: together, batch,
        steps: last[0].steps, examples_per_s: Math.round(perSecond), tokens_per_s: Math.round(perSecond * tokens) });
    }
  }
  console.log('\nSequence tasks, per student (steady state, a run\'s one final scoring included; for scale: TinyGPT, a\n' +
    '0.37M-parameter GPT in wasm SIMD on 4 threads of an Apple M-series, reports ~10,000 tokens/s)');
  console.log(table(['task', 'student', 'backend', 'batch', 'steps', 'ex/s', 'tokens/s'], rows));
}

/** TF.js on the pack's images and labels, same MLP, batch and Adam (lr 0.001). */
async function tfjsThroughput() {
  const figures = {};
  const page = await browser.newPage();
  // An empty page on the server's origin (no app): the TF.js scripts load from node_modules.
  await page.route('**/bench/tfjs.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>tfjs</title>' }));
  await page.goto(`${server.url}bench/tfjs.html`);
  for (const script of ['tfjs/dist/tf.min.js', 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js', 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js']) {
    await page.addScriptTag({ url: `${server.url}bench/tfjs/${script}` });
  }
  for (const backend of webgpuOnly ? ['webgpu'] : ['wasm', 'webgl', 'webgpu']) {
    for (const [student, hidden, batch] of MODELS) {
      const steps = stepsFor(backend, hidden);
      const result = await page.evaluate(trainWithTfjs, { backend, hidden, batch, steps, warmup: smoke ? 1 : 10 });
      if (result.error) {
        console.log(`TF.js ${backend}: ${result.error}`);
        break;
      }
      figures[`${student} ${backend}`] = result.perSecond;
      console.log(`TF.js ${student} b${batch} ${backend}: ${steps} steps in ${result.seconds.toFixed(2)} s → ${result.perSecond.toFixed(0)} ex/s`);
    }
  }
  await page.close();
  return figures;
}

/** Runs in the page: trains an MLP with TF.js for `steps` Adam steps after `warmup` ones. */
async function trainWithTfjs({ backend, hidden, batch, steps, warmup }) {
  const tf = window.tf;
  if (backend === 'wasm') tf.wasm.setWasmPaths('/bench/tfjs/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend(backend).catch(() => false))) return { error: 'backend not available here' };
  await tf.ready();
  const pack = new Uint8Array(await (await fetch('/packs/mnist-mlp.safetensors')).arrayBuffer());
  const headerLength = Number(new DataView(pack.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(pack.subarray(8, 8 + headerLength)));
  const tensor = (name) => pack.subarray(8 + headerLength + header[name].data_offsets[0], 8 + headerLength + header[name].data_offsets[1]);
  const images = tensor('train_images');
  const labels = tensor('train_labels');
  const rows = labels.length;
  const model = tf.sequential();
  hidden.forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [784] } : {}) })));
  model.add(tf.layers.dense({ units: 10 }));
  const optimizer = tf.train.adam(0.001);
  const x = new Float32Array(batch * 784);
  const y = new Float32Array(batch * 10);
  let cursor = 0;
  const step = async () => {
    y.fill(0);
    for (let b = 0; b < batch; b++, cursor = (cursor + 1) % rows) {
      for (let p = 0; p < 784; p++) x[b * 784 + p] = images[cursor * 784 + p] / 255;
      y[b * 10 + labels[cursor]] = 1;
    }
    const loss = tf.tidy(() => {
      const xs = tf.tensor2d(x, [batch, 784]);
      const ys = tf.tensor2d(y, [batch, 10]);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.predict(xs)), true);
    });
    await loss.data(); // one read-back per step, as a training loop that shows its loss does
    loss.dispose();
  };
  for (let i = 0; i < warmup; i++) await step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const seconds = (performance.now() - start) / 1000;
  model.dispose();
  optimizer.dispose();
  return { seconds, perSecond: (steps * batch) / seconds };
}
