// The words task (`task=words`): a character-level language model distilled in the page, on the CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { artifacts, download, open, python, ready, root, set, snippet } from './browser.mjs';

const bits = async (page, id) => parseFloat(await page.getByTestId(id).textContent());
const UNIFORM = Math.log2(27); // a guess among 26 letters and the end of a word

test('the words task: every mode learns on the CPU, the students invent words, the next-letter view shows each model', async () => {
  const { page, server, consoleErrors, requests, close } = await open({
    query: '?task=words&backend=cpu&student=mlp:64&budget=300&epochs=3&t=1&alpha=0.9&lr=0.003', webgpu: false,
  });
  try {
    await ready(page);
    const teacher = await bits(page, 'bits-teacher');
    assert.ok(teacher > 2 && teacher < 2.7, `the teacher's bits per character on the pack's test words: ${teacher}`);
    assert.ok((await page.getByTestId('teacher-wrote').textContent()).split(' · ').length >= 5, 'words the teacher wrote');
    assert.equal(await page.locator('#ask-about').isVisible(), false, 'the image API settings are not shown');
    assert.equal(await page.locator('#green').isVisible(), false, 'the words watermark is folded in the API group until a link sets it');
    const rows = [];
    for (const mode of ['soft', 'top8', 'top1', 'text']) {
      await set(page, 'mode', mode);
      const started = Date.now();
      await page.getByTestId('start').click();
      await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
      const seconds = (Date.now() - started) / 1000;
      // Text mode gives the distilled student more examples (so more steps) than the baseline's
      // worker: its last report still reaches the page.
      const [, step, steps] = (await page.getByTestId('status').textContent()).match(/step (\d+) of (\d+)/);
      assert.equal(step, steps, `${mode}: a finished run's status is at its last step`);
      const [distilled, baseline] = [await bits(page, 'bits-distilled'), await bits(page, 'bits-baseline')];
      const invented = await page.getByTestId('invented-distilled').textContent();
      rows.push({ mode, distilled, baseline, seconds, invented });
      assert.ok(distilled < UNIFORM - 0.5 && baseline < UNIFORM - 0.5,
        `${mode}: ${distilled} and ${baseline} bits per character, clearly below the ${UNIFORM.toFixed(2)} of a guess`);
      assert.ok(invented.split(' · ').filter((w) => /^[a-z]+$/.test(w)).length >= 4, `${mode}: invented words: ${invented}`);
    }
    console.log('words task in the page (CPU, 300 words, 3 epochs):');
    for (const r of rows) console.log(`  ${r.mode.padEnd(5)} distilled ${r.distilled} bits/char, words alone ${r.baseline}, ${r.seconds.toFixed(1)} s; invents: ${r.invented}`);
    // Words are what the teacher is asked about (each is answered at every letter): counted as words.
    assert.match(await page.getByTestId('query-counter').textContent(), /^Words put to the teacher: 300 of 300\.$/);
    assert.match(await page.locator('#student-help').textContent(), /letters before the next one/, 'no CNN in the words task\'s help');
    const table = await page.getByTestId('results-table').textContent();
    assert.ok(table.includes('distilled') && table.includes('labels only'), 'each run adds its rows');
    const cell = (header) => page.locator('[data-testid=results-table]').evaluate((t, h) => {
      const column = [...t.querySelectorAll('thead th')].findIndex((th) => th.textContent === h);
      return t.querySelector('tbody tr').children[column].textContent;
    }, header);
    assert.deepEqual([await cell('Images asked about'), await cell('Student')], ['', 'mlp:64'],
      'a setting the words task does not use is left empty, as in the CSV');

    // What each model expects after a prefix: three rows of bars once students exist.
    await page.getByTestId('prefix').fill('distillatio');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=next-letters] .bar-row').length === 3);
    const n = await page.locator('[data-testid=next-letters] .bar-row.teacher .bar[title^="n:"]').getAttribute('title');
    assert.ok(parseFloat(n.split(': ')[1]) > 0.8, `the teacher expects an n after "distillatio": ${n}`);
    await page.screenshot({ path: `${artifacts}/words-task.png`, fullPage: true });
    // A character the alphabet lacks is named, and nothing else is lost.
    await page.getByTestId('prefix').fill('qu1');
    await page.getByTestId('prefix-problem').waitFor();
    assert.match(await page.getByTestId('prefix-problem').textContent(), /«1» is not one of this word list's letters/);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.match(await page.getByTestId('status').textContent(), /Finished/);

    assert.deepEqual(consoleErrors, []);
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'every request stays on the page\'s origin');
    assert.ok(server.sent.some((s) => s.path.endsWith('words-en.safetensors')), 'the words pack is fetched');
    assert.ok(!server.sent.some((s) => s.path.endsWith('mnist-mlp.safetensors')), 'and no image pack');
    assert.ok(server.sent.some((s) => s.path.endsWith('worker-sequences_bg.wasm')), 'the CPU worker built with the words task');
    assert.ok(!server.sent.some((s) => s.path.endsWith('worker-cpu_bg.wasm')), 'not the first visit\'s one');
  } finally {
    await close();
  }
});

test('the words lessons open from a link and from the list; Spanish has its own word list', async () => {
  const { page, consoleErrors, close } = await open({ query: '?lesson=dark-knowledge-in-text', webgpu: false });
  try {
    await ready(page);
    assert.match(await page.getByTestId('lesson-text').textContent(), /Dark knowledge in text/);
    assert.equal(await page.locator('#mode').inputValue(), 'soft');
    assert.equal(await page.locator('#task').inputValue(), 'words');
    await page.getByTestId('lesson-logits-or-text').click();
    await ready(page);
    assert.equal(await page.locator('#mode').inputValue(), 'text');
    assert.ok(page.url().includes('lesson=logits-or-text'), page.url());
    // Back to images through the task menu: the digit teacher and its panels again.
    await set(page, 'task', 'images');
    assert.equal(await page.locator('#teacher').inputValue(), 'mnist-mlp');
    await page.getByTestId('test-accuracy-distilled').waitFor();
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
  const spanish = await open({ query: '?lang=es&task=words&teacher=words-es&backend=cpu&budget=200&epochs=2', webgpu: false });
  try {
    await spanish.page.getByTestId('status').filter({ hasText: 'Listo' }).waitFor({ timeout: 60_000 });
    await spanish.page.getByTestId('prefix').fill('españ');
    await spanish.page.waitForFunction(() => document.querySelectorAll('[data-testid=next-letters] .bar-row').length >= 1);
    assert.equal(await spanish.page.getByTestId('prefix-problem').count(), 0, 'ñ is a Spanish letter');
    assert.match(await spanish.page.locator('label[for=budget]').textContent(), /Palabras leídas/);
    assert.deepEqual(spanish.consoleErrors, []);
  } finally {
    await spanish.close();
  }
});

test('words → an image lesson with a class left out → words again, a step each: no crash, each task its panels', async () => {
  const { page, consoleErrors, close } = await open({
    query: '?lesson=dark-knowledge-in-text&backend=cpu&exclude=3&noise=0.5&dropout=0.3', webgpu: false,
  });
  try {
    await ready(page);
    const notice = await page.getByTestId('url-notice').textContent();
    for (const key of ['exclude', 'noise', 'dropout']) {
      assert.ok(notice.includes(`${key}= is not a setting of the words task; ignored`), `${key}: ${notice}`);
    }
    assert.ok(!page.url().includes('exclude='), `the words link keeps no image setting: ${page.url()}`);
    const oneStep = async () => {
      await page.getByTestId('step').click();
      await page.waitForFunction(() => /step [1-9]/.test(document.querySelector('[data-testid=status]').textContent));
    };
    await oneStep();
    await page.getByTestId('bits-distilled').filter({ hasText: /\d/ }).waitFor();
    await page.getByTestId('lesson-missing-digit').click();
    await ready(page);
    assert.equal(await page.locator('#task').inputValue(), 'images');
    assert.equal(await page.getByTestId('bits-distilled').count(), 0, 'the words headline is gone');
    assert.equal(await page.getByTestId('url-notice').count(), 0, 'the opening link\'s notices went with it');
    await oneStep();
    await page.getByTestId('missing-class').waitFor();
    assert.match(await page.getByTestId('missing-class').textContent(), /^Test images of class \S+, which neither student ever saw/);
    await page.getByTestId('lesson-dark-knowledge-in-text').click();
    await ready(page);
    assert.equal(await page.getByTestId('missing-class').count(), 0, 'the image headline is gone');
    await oneStep();
    await page.getByTestId('bits-distilled').filter({ hasText: /\d/ }).waitFor();
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('words through the shared code: a sweep gives the CLI\'s rows; the exported student, rebuilt in NumPy, gives the page\'s next letters', async () => {
  const query = '?task=words&backend=cpu&student=mlp:64&budget=100&epochs=1&sweep=t:1,4&by=mode:soft,text';
  const { page, consoleErrors, close } = await open({ query, webgpu: false });
  try {
    await ready(page);
    assert.equal(await page.getByTestId('sweep-vary').inputValue(), 't:1,4');
    await page.getByTestId('run-sweep').click();
    await page.getByTestId('sweep-progress').waitFor();
    await page.getByTestId('run-sweep').waitFor({ timeout: 120_000 }); // back when the queue is empty
    assert.match(await page.locator('.sweep').textContent(), /Sweep: bits per character on the test words/);
    const inPage = JSON.parse((await download(page, 'export-json')).bytes.toString('utf8'));
    assert.deepEqual(inPage.map((r) => [r.series, r.point]),
      [['mode=soft', 't=1'], ['mode=soft', 't=4'], ['mode=text', 't=1'], ['mode=text', 't=4']]);
    // The same link natively: the same students, step for step (the sums of one wasm thread and
    // of several native ones may differ in their last bits; measured: the same to 4 decimals).
    const file = `${artifacts}/cli-words-sweep.json`;
    await promisify(execFile)('cargo', ['run', '-q', '-p', 'distill-cli', '--', 'run', '--query', query.slice(1), '--json', file], { cwd: root });
    const native = JSON.parse(await readFile(file, 'utf8'));
    const same = (r) => [r.series, r.point, r.steps, r.examples, r.queries, JSON.stringify(r.settings)];
    assert.deepEqual(native.map(same), inPage.map(same));
    inPage.forEach((r, i) => {
      console.log(`${r.series} ${r.point}: page ${r.bits_per_char.toFixed(4)} bits/char, CLI ${native[i].bits_per_char.toFixed(4)}`);
      assert.ok(Math.abs(r.bits_per_char - native[i].bits_per_char) < 1e-3, `${r.series} ${r.point}`);
      assert.ok(Math.abs(r.test_accuracy - native[i].test_accuracy) <= 1e-3, `${r.series} ${r.point}`);
      assert.ok(r.bits_per_char < UNIFORM - 0.3, `${r.series} ${r.point} learned: ${r.bits_per_char}`);
    });

    // A single run, its distilled student exported and rebuilt by The book's NumPy lines.
    await page.getByTestId('start').click();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('export-weights').click();
    const weights = await download(page, 'weights-link');
    assert.equal(weights.name, 'student-mlp_64-words-en.safetensors');
    const numpy = await python(await snippet('docs/src/developers/your-files.md', 'words-student-numpy.py'), weights.path, `${root}dist/packs/words-en.safetensors`);
    console.log(`the words student rebuilt in NumPy: ${numpy}`);
    const [, right, all] = numpy.match(/^(\d+) of (\d+) next letters get the page's answer; accuracy [\d.]+%$/) ?? [];
    assert.ok(Number(all) > 1000 && right === all, numpy);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
