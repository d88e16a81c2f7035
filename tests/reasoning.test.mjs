// The reasoning task (`task=reasoning`): a small transformer distilled in the page, on the CPU, from
// a teacher's worked solutions to parity problems; the "show your work" view; its lessons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { artifacts, download, open, percent, ready, root, set } from './browser.mjs';

/** The charts' height (distill_playground::chart::HEIGHT): a value's line is drawn that far above 0. */
const CHART_HEIGHT = 160;
const finished = (page, timeout = 240_000) => page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout });

test('the reasoning task: every mode learns on the CPU (its loss falls) and is scored by problem size; show your work', async () => {
  const { page, server, consoleErrors, requests, close } = await open({
    query: '?task=reasoning&backend=cpu&budget=200&epochs=4', webgpu: false,
  });
  try {
    await ready(page);
    assert.equal(await page.getByTestId('accuracy-teacher').textContent(), '100.00%', 'the teacher on the sizes it was taught');
    assert.ok(await page.locator('#student').isHidden(), 'the student is the task\'s own transformer');
    assert.equal(await page.locator('#ask-about').count(), 0, 'the image API settings are not drawn');
    // The teacher writes its solution to the problem in the box as soon as the pack is in.
    const teacherWrote = page.getByTestId('solution-teacher');
    await teacherWrote.waitFor();
    assert.equal(await teacherWrote.textContent(), '>1001110=0.', 'the running parity of 1101001, then its answer');
    const rows = [];
    for (const mode of ['top1', 'top2', 'text', 'verified', 'soft']) {
      await set(page, 'mode', mode);
      const started = Date.now();
      await page.getByTestId('start').click();
      await finished(page);
      const seconds = (Date.now() - started) / 1000;
      const [distilled, baseline] = [await percent(page, 'accuracy-distilled'), await percent(page, 'accuracy-baseline')];
      const bySize = await page.getByTestId('by-size').locator('tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
      rows.push({ mode, distilled, baseline, seconds });
      assert.ok(distilled >= 0 && distilled <= 100 && baseline >= 0 && baseline <= 100, `${mode}: ${distilled} ${baseline}`);
      assert.equal(bySize.length, 4, `${mode}: sizes, then the teacher and each student: ${bySize}`);
      assert.ok(bySize[0].includes('5 bits') && bySize[0].includes('9 bits'), bySize[0]);
      assert.ok(!bySize[2].includes('–'), `${mode}: the distilled student scored at every size: ${bySize[2]}`);
      // It learns: the distilled student's loss (the Loss chart's line; 0 at the box's bottom)
      // falls well below its first report's. 25 steps are far from solving parity (a trace needs
      // ~900: crates/worker/tests/reasoning.rs and the sweep below), not from learning.
      const points = await page.locator('figure', { has: page.locator('figcaption', { hasText: /^Loss$/ }) })
        .locator('polyline.line.distilled').getAttribute('points');
      const losses = points.split(' ').map((p) => CHART_HEIGHT - Number(p.split(',')[1]));
      rows.at(-1).loss = losses;
      assert.ok(losses.length >= 3 && losses.at(-1) < 0.8 * losses[0], `${mode}: the loss falls: ${losses}`);
    }
    console.log('reasoning task in the page (CPU, 200 problems, 4 epochs):');
    for (const r of rows) {
      const fell = (100 * (1 - r.loss.at(-1) / r.loss[0])).toFixed(0);
      console.log(`  ${r.mode.padEnd(8)} distilled ${r.distilled}%, true answers alone ${r.baseline}%, loss ${fell}% lower, ${r.seconds.toFixed(1)} s`);
    }
    assert.match(await page.getByTestId('query-counter').textContent(), /^Problems put to the teacher: 200 of 200\.$/);
    const table = await page.getByTestId('results-table').textContent();
    assert.ok(table.includes('verified') && table.includes('labels only'), 'each run adds its rows');

    // Show your work: each model writes its solution to a typed problem, symbol by symbol.
    await page.getByTestId('problem').fill('10110');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=solutions] .solution').length === 3);
    assert.equal(await teacherWrote.textContent(), '>11011=1.');
    // Each symbol in one of four shades, by the probability the teacher gave it (its title).
    const shades = await teacherWrote.locator('span').evaluateAll((s) => s.map((e) => [e.className, Number(e.title)]));
    assert.ok(shades.length === 9 && shades.every(([c, q]) => /^sure[0-3]$/.test(c) && Math.abs(Number(c[4]) - 3 * q) <= 0.51), JSON.stringify(shades));
    assert.ok(shades.every(([, q]) => q > 0.5), `the teacher is sure of every step of a 5-bit problem: ${JSON.stringify(shades)}`);
    await page.screenshot({ path: `${artifacts}/reasoning-task.png`, fullPage: true });
    // A problem that is not one is refused with a clear message, and nothing else is lost.
    await page.getByTestId('problem').fill('10a1');
    await page.getByTestId('problem-refusal').waitFor();
    assert.equal(await page.getByTestId('problem-refusal').textContent(), '“a” is not a bit: a problem is made of 0s and 1s, e.g. 1011.');
    await page.getByTestId('problem').fill('1'.repeat(17));
    assert.equal(await page.getByTestId('problem-refusal').textContent(), '17 bits is too many: at most 16.');
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.match(await page.getByTestId('status').textContent(), /Finished/);

    assert.deepEqual(consoleErrors, []);
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'every request stays on the page\'s origin');
    assert.ok(server.sent.some((s) => s.path.endsWith('parity.safetensors')), 'the reasoning pack is fetched');
    assert.ok(!server.sent.some((s) => s.path.endsWith('mnist-mlp.safetensors')), 'and no image pack');
    assert.ok(server.sent.some((s) => s.path.endsWith('worker-sequences_bg.wasm')), 'the CPU worker with the sequence tasks');
    assert.ok(!server.sent.some((s) => s.path.endsWith('worker-cpu_bg.wasm')), 'not the first visit\'s one');
  } finally {
    await close();
  }
});

test('reasoning through the shared code: lessons, a sweep with the CLI\'s rows, the CSV and the link', async () => {
  const { page, consoleErrors, close } = await open({ query: '?lesson=show-your-work', webgpu: false });
  try {
    await ready(page);
    assert.match(await page.getByTestId('lesson-text').textContent(), /Show your work/);
    assert.equal(await page.locator('#task').inputValue(), 'reasoning');
    assert.equal(await page.locator('#mode').inputValue(), 'text');
    await page.getByTestId('lesson-check-the-work').click();
    await ready(page);
    assert.equal(await page.locator('#mode').inputValue(), 'verified');
    assert.ok(page.url().includes('lesson=check-the-work'), page.url());
    assert.match(await page.locator('#mode option:checked').textContent(), /only its solutions with a right answer/);
    // Spanish: the task's own words.
    await page.getByTestId('lang').selectOption('es');
    await page.locator('label[for=budget]').filter({ hasText: /Problemas consultados/ }).waitFor(); // once es.json is in
    await page.getByTestId('lang').selectOption('en');
    // Back to images through the task menu: the digit teacher and its panels again.
    await set(page, 'task', 'images');
    assert.equal(await page.locator('#teacher').inputValue(), 'mnist-mlp');
    assert.equal(await page.getByTestId('by-size').count(), 0, 'the reasoning headline is gone');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }

  const query = '?task=reasoning&backend=cpu&budget=200&epochs=20&sweep=budget:100,200&by=mode:text,verified';
  const sweep = await open({ query, webgpu: false });
  try {
    const { page } = sweep;
    await ready(page);
    await page.getByTestId('run-sweep').click();
    await page.getByTestId('sweep-progress').waitFor();
    await page.getByTestId('run-sweep').waitFor({ timeout: 240_000 }); // back when the queue is empty
    const inPage = JSON.parse((await download(page, 'export-json')).bytes.toString('utf8'));
    assert.deepEqual(inPage.map((r) => [r.series, r.point]),
      [['mode=text', 'budget=100'], ['mode=text', 'budget=200'], ['mode=verified', 'budget=100'], ['mode=verified', 'budget=200']]);
    // The same link natively: the same students, the same answers on the same test problems.
    const file = `${artifacts}/cli-reasoning-sweep.json`;
    await promisify(execFile)('cargo', ['run', '-q', '-p', 'distill-cli', '--', 'run', '--query', query.slice(1), '--json', file], { cwd: root });
    const native = JSON.parse(await readFile(file, 'utf8'));
    const same = (r) => [r.series, r.point, r.steps, r.examples, r.queries, JSON.stringify(r.settings)];
    assert.deepEqual(native.map(same), inPage.map(same));
    inPage.forEach((r, i) => {
      console.log(`${r.series} ${r.point}: page ${(100 * r.test_accuracy).toFixed(1)}%, CLI ${(100 * native[i].test_accuracy).toFixed(1)}%`);
      assert.ok(Math.abs(r.test_accuracy - native[i].test_accuracy) <= 0.02, `${r.series} ${r.point}`);
    });
    const csv = (await download(page, 'export-csv')).bytes.toString('utf8').trim().split('\n');
    assert.equal(csv.length, 5, 'a header and a row a point');
    assert.ok(csv.slice(1).every((line) => line.includes('parity')), csv.join('\n'));
    assert.ok(page.url().includes('task=reasoning') && !page.url().includes('student='), page.url());
    assert.deepEqual(sweep.consoleErrors, []);
  } finally {
    await sweep.close();
  }
});
