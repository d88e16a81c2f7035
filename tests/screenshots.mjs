// The screenshots the README and the book show, taken from the real build (dist/): a run of each
// task on the CPU, finished, at a desktop's width and a phone's. `node scripts/screenshots.mjs`
// writes them to docs/src/images/ (committed: retake them when the page's look changes);
// tests/site.test.mjs takes them into tests/artifacts/ on every test run, so taking them keeps working.
import { open } from './browser.mjs';

// `scroll`: the element (a test id) brought to the top of the screen first.
export const SHOTS = [
  { name: 'training', query: '?backend=cpu&autostart=1', viewport: { width: 1280, height: 1000 } },
  { name: 'phone-beats-labels', query: '?lesson=beats-labels&backend=cpu&autostart=1', viewport: { width: 390, height: 844 },
    scroll: 'test-accuracy-distilled' },
  { name: 'words', query: '?task=words&backend=cpu&autostart=1', viewport: { width: 1280, height: 1000 } },
];

/** Takes every shot into `dir` as `<name>.jpg` (quality 70: 30–200 KB each); returns the
 *  console errors each page logged. */
export async function takeScreenshots(dir) {
  const errors = [];
  for (const { name, query, viewport, scroll } of SHOTS) {
    const { page, consoleErrors, close } = await open({ query, viewport, webgpu: false });
    try {
      await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
      if (scroll) await page.getByTestId(scroll).evaluate((e) => e.closest('section, div').scrollIntoView());
      await page.screenshot({ path: `${dir}/${name}.jpg`, type: 'jpeg', quality: 70 });
      errors.push(...consoleErrors.map((e) => `${name}: ${e}`));
    } finally {
      await close();
    }
  }
  return errors;
}
