// Lesson 15: the teacher's API marks 1% of its answers with a keyed lie; after a run, the page
// tests both students for it, and the copy is caught where the student of the true labels is not.
// Lesson 16: the words teacher watermarks the words it writes; the student taught on them writes
// green pairs far above chance. "Test a suspect" tests a weights file the same way, and refuses a
// student of another task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, download, open, ready, set } from './browser.mjs';

/** A safetensors file with no tensors that says it holds a student of `task`. */
function studentOf(task) {
  const header = Buffer.from(JSON.stringify({ __metadata__: { task } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return { name: `${task}-student.safetensors`, mimeType: 'application/octet-stream', buffer: Buffer.concat([length, header]) };
}

/** The watermark test's line: what each student repeats, and the two p-values. */
async function markTest(page) {
  const text = await page.getByTestId('mark-test').textContent();
  const [, repeated, marked, p, baseline, baselineP] =
    text.match(/repeats (\d+) of the (\d+) marked answers it was given \(p = ([\d.e-]+)\), the labels-only student (\d+) \(p = ([\d.e-]+)\)/);
  return { text, repeated: +repeated, marked: +marked, p: +p, baseline: +baseline, baselineP: +baselineP };
}

test('lesson 15, prove it was copied: the copy repeats the marked lies, the honest student does not', async () => {
  const { page, consoleErrors, close } = await open({ query: '?lesson=prove-you-copied&backend=cpu', webgpu: false });
  try {
    await ready(page);
    await page.getByTestId('lesson-text').filter({ hasText: 'DAWN' }).waitFor();
    assert.equal(await page.locator('#mark').inputValue(), '0.01', 'the watermark is in the API group, opened by the link');
    assert.equal(await page.getByTestId('mark-test').count(), 0, 'no test before a run');
    await page.getByTestId('start').click();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
    const copied = await markTest(page);
    console.log(copied.text);
    assert.ok(copied.marked >= 10 && copied.marked <= 40, `about 1% of 2,000 answers are marked: ${copied.marked}`);
    assert.ok(copied.repeated >= 0.8 * copied.marked && copied.p < 1e-10, `the copy is caught: ${copied.text}`);
    assert.ok(copied.baselineP > 0.01, `the student of the true labels is not: ${copied.text}`);
    assert.match(await page.getByTestId('honest-user').textContent(), /an honest user gets 9\d\.\d\d% of the test images right/);
    await page.screenshot({ path: `${artifacts}/lesson-prove-you-copied.png`, fullPage: true });

    // The copy's weights file, tested as a suspect, repeats what the copy repeats; a student of
    // another task is refused with the reason.
    await page.getByTestId('export-weights').click();
    const weights = await download(page, 'weights-link');
    await page.getByTestId('suspect-file').setInputFiles(weights.path);
    const suspect = page.getByTestId('suspect-result');
    await suspect.filter({ hasText: 'repeats' }).waitFor();
    assert.match(await suspect.textContent(), new RegExp(`repeats ${copied.repeated} of the ${copied.marked} marked answers this run's copier was given`));
    await page.getByTestId('suspect-file').setInputFiles(studentOf('words'));
    await suspect.filter({ hasText: 'words-student.safetensors is a student of the words task, and this run is of the images task' }).waitFor();

    // Learnt briefly, the copy keeps too few of the lies to be told from chance.
    await set(page, 'epochs', '2');
    await page.getByTestId('start').click();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
    const brief = await markTest(page);
    console.log(brief.text);
    assert.ok(brief.p > copied.p * 1e6, `2 epochs leave a weaker mark: ${brief.text}`);
    // With no mark, there is nothing to test.
    await set(page, 'mark', '0');
    await page.getByTestId('start').click();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
    assert.equal(await page.getByTestId('mark-test').count(), 0);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

/** The words watermark test's line: each student's z and p, the teacher's z. */
async function greenTest(page) {
  const text = await page.getByTestId('mark-test').textContent();
  const [, z, p, baselineZ, baselineP, teacherZ] = text.match(
    /the distilled student z = (-?[\d.]+) \(\d+ of \d+ pairs green, p = ([\d.e-]+); z = [^)]*\), the labels-only student z = (-?[\d.]+) \(p = ([\d.e-]+)\).*own watermarked words: z = (-?\d+\.\d)/);
  return { text, z: +z, p: +p, baselineZ: +baselineZ, baselineP: +baselineP, teacherZ: +teacherZ };
}

test('lesson 16, radioactive words: the student of watermarked words carries the mark', async () => {
  const { page, consoleErrors, close } = await open({ query: '?lesson=radioactive-words&backend=cpu', webgpu: false });
  try {
    await ready(page);
    await page.getByTestId('lesson-text').filter({ hasText: 'Kirchenbauer' }).waitFor();
    assert.equal(await page.locator('#green').inputValue(), '2', 'the watermark is in the API group, opened by the link');
    assert.equal(await page.locator('#mark').isVisible(), false, 'the images watermark is not the words task\'s');
    await page.getByTestId('start').click();
    await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
    const green = await greenTest(page);
    console.log(green.text);
    assert.ok(green.z > 4 && green.p < 1e-6, `the copy is caught: ${green.text}`);
    assert.ok(green.baselineP > 0.01, `the student of real words is not: ${green.text}`);
    assert.ok(green.teacherZ > 10, green.text);
    await page.screenshot({ path: `${artifacts}/lesson-radioactive-words.png`, fullPage: true });

    await page.getByTestId('export-weights').click();
    const weights = await download(page, 'weights-link');
    await page.getByTestId('suspect-file').setInputFiles(weights.path);
    const suspect = page.getByTestId('suspect-result');
    await suspect.filter({ hasText: 'wrote 300 words' }).waitFor();
    assert.match(await suspect.textContent(), new RegExp(`wrote 300 words: z = ${green.z.toFixed(1)} `), 'the file is the copy');
    await page.getByTestId('suspect-file').setInputFiles(studentOf('images'));
    await suspect.filter({ hasText: 'is a student of the images task, and this run is of the words task' }).waitFor();
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
