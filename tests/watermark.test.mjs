// Lesson 15: the teacher's API marks 1% of its answers with a keyed lie; after a run, the page
// tests both students for it, and the copy is caught where the student of the true labels is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, open, ready, set } from './browser.mjs';

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
