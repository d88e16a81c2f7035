// Retakes the screenshots the README and the book show (tests/screenshots.mjs) from the release
// build in dist/, into docs/src/images/. Run it when the page's look changes, and commit the images.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { takeScreenshots } from '../tests/screenshots.mjs';

const dir = fileURLToPath(new URL('../docs/src/images', import.meta.url));
await mkdir(dir, { recursive: true });
const errors = await takeScreenshots(dir);
if (errors.length) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
console.log(`screenshots.mjs: wrote ${dir}`);
