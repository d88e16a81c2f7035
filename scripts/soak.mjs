// The benchmark's soak run (`node scripts/bench.mjs --soak [MINUTES]`, default 20): sweeps back to
// back on the CPU in one tab, as a class leaves a page running, with the tab's memory sampled every
// minute: the resident memory of this browser's renderer processes (the page and its workers, wasm
// memories included), the page's JS heap and its DOM nodes. A leak shows as a line that keeps
// climbing after the first minutes (the wasm memories grow to their working size first; the
// results table draws at most its newest 100 rows); prints a table and the spread after minute 3.
// Asserts nothing.
import { readFile } from 'node:fs/promises';

/** The resident memory, in MB, of this browser's renderer processes (it runs one tab). */
async function rendererMegabytes(browserSession) {
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  let kb = 0;
  for (const { id } of processInfo.filter((p) => p.type === 'renderer')) {
    const status = await readFile(`/proc/${id}/status`, 'utf8').catch(() => '');
    kb += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  }
  return kb / 1024;
}

/** Rows of the results table (it draws only the newest). */
const rows = (page) => page.getByTestId('results-table').getAttribute('data-rows').then(Number);

export async function soak(browser, server, minutes) {
  // The default run, twice per sweep (at once: one worker per core on two cores).
  const query = '?backend=cpu&sweep=seed:1,2';
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const browserSession = await browser.newBrowserCDPSession();
  await cdp.send('Performance.enable');
  await page.goto(server.url + query);
  await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout: 120_000 });
  const started = Date.now();
  const samples = [];
  let sweeps = 0;
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => metrics.find((m) => m.name === name).value;
    const [heap, nodes] = [metric('JSHeapUsedSize') / 2 ** 20, metric('Nodes')];
    samples.push({ minute: (Date.now() - started) / 60_000, sweeps, rows: await rows(page), rss: await rendererMegabytes(browserSession), heap, nodes });
  };
  await sample();
  while (Date.now() - started < minutes * 60_000) {
    const before = await rows(page);
    await page.getByTestId('run-sweep').click();
    await page.waitForFunction((count) => Number(document.querySelector('[data-testid=results-table]').dataset.rows) >= count,
      before + 2, { timeout: 300_000, polling: 250 });
    await page.getByTestId('run-sweep').waitFor({ timeout: 60_000 });
    sweeps += 1;
    if (Date.now() - started >= samples.length * 60_000) await sample();
  }
  await sample();
  await context.close();
  console.log(`\nSoak: ${sweeps} sweeps of 2 runs back to back for ${minutes} min (${query})`);
  console.log('minute | sweeps | rows | renderers RSS MB | JS heap MB | DOM nodes');
  for (const s of samples) {
    console.log(`${s.minute.toFixed(1).padStart(6)} | ${String(s.sweeps).padStart(6)} | ${String(s.rows).padStart(4)} | ` +
      `${s.rss.toFixed(0).padStart(16)} | ${s.heap.toFixed(1).padStart(10)} | ${String(s.nodes).padStart(9)}`);
  }
  const settled = samples.filter((s) => s.minute >= 3).map((s) => s.rss);
  if (settled.length > 1) {
    const [low, high] = [Math.min(...settled), Math.max(...settled)];
    console.log(`after minute 3: renderers ${low.toFixed(0)}–${high.toFixed(0)} MB, a spread of ${(100 * (high - low) / low).toFixed(1)}%`);
  }
}
