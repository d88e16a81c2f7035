// The site as scripts/site.sh builds it: the playground, and the book under book/. A lesson's
// "Learn more" opens its section of the book, and Back returns to the lesson as it was. The
// screenshots the README and the book show are taken from this build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { artifacts, open, ready, root } from './browser.mjs';
import { SHOTS, takeScreenshots } from './screenshots.mjs';

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
    const broken = await page.evaluate(() => [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
    assert.deepEqual(broken, [], 'every picture on the page loads');
    assert.ok(await page.locator('main img').count() > 0, 'the lessons chapter shows the page');
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

/** A JPEG's [width, height], from its frame header (SOF0–SOF2). */
function jpegSize(bytes) {
  for (let at = 2; at + 9 < bytes.length; at += 2 + bytes.readUInt16BE(at + 2)) {
    if (bytes[at] !== 0xff) throw new Error('not a JPEG segment');
    if (bytes[at + 1] >= 0xc0 && bytes[at + 1] <= 0xc2) return [bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5)];
  }
  throw new Error('no JPEG frame header');
}

test('the screenshots the README and the book show: taken from this build, the size of the committed ones; every image shown exists', async () => {
  const dir = `${artifacts}/screenshots`;
  await mkdir(dir, { recursive: true });
  assert.deepEqual(await takeScreenshots(dir), [], 'no page logged an error');
  for (const { name, viewport } of SHOTS) {
    const fresh = jpegSize(await readFile(`${dir}/${name}.jpg`));
    assert.deepEqual(fresh, [viewport.width, viewport.height], name);
    assert.deepEqual(jpegSize(await readFile(`${root}docs/src/images/${name}.jpg`)), fresh,
      `docs/src/images/${name}.jpg is another size than the page's: retake it, node scripts/screenshots.mjs`);
  }
  // The README's images (the book's are checked by scripts/book.mjs when it is built).
  const readme = await readFile(`${root}README.md`, 'utf8');
  const shown = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(shown.length > 0, 'the README shows the page');
  for (const path of shown) assert.ok(existsSync(`${root}${path}`), `README.md shows ${path}, which does not exist`);
});
