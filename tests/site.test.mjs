// The site as scripts/site.sh builds it: the playground, and the book under book/. A lesson's
// "Learn more" opens its section of the book, and Back returns to the lesson as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, open, ready } from './browser.mjs';

test('the site: a lesson\'s Learn more opens its section of the book, and Back returns to the lesson', async () => {
  const { page, consoleErrors, requests, server, close } =
    await open({ query: '?lesson=radioactive-words&backend=cpu', webgpu: false, viewport: { width: 390, height: 900 } });
  try {
    await ready(page);
    await page.getByTestId('lesson-text').filter({ hasText: 'Kirchenbauer' }).waitFor();
    await page.getByTestId('learn-more').click();
    await page.waitForURL(/\/book\/visitors\/lessons\.html#radioactive-words$/);
    const heading = page.getByRole('heading', { name: '16. Radioactive words' });
    await heading.waitFor();
    assert.ok(await heading.isVisible(), 'the lesson\'s section is on screen');
    assert.match(await page.locator('main').textContent(), /lesson=radioactive-words/);
    await page.screenshot({ path: `${artifacts}/book-lesson-radioactive-words.png` });
    await page.goBack();
    await ready(page);
    assert.match(page.url(), /lesson=radioactive-words/);
    await page.getByTestId('lesson-text').filter({ hasText: 'Kirchenbauer' }).waitFor();
    const elsewhere = requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(elsewhere, [], 'neither the page nor the book asks another origin for anything');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
