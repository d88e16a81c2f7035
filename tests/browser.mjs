// What every browser test starts from: Debian's Chromium (one at a time) driven by playwright-core,
// over scripts/serve.mjs serving the built dist/, recording console errors (a Content-Security-Policy
// violation among them) and every request.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDist } from '../scripts/serve.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const artifacts = `${root}tests/artifacts`;
const FLAGS = ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A fresh browser (one at a time) and server, recording console errors and every request.
 *  Without `webgpu`, Chromium exposes navigator.gpu but grants no adapter. `overrides`: paths the
 *  server answers otherwise (serve.mjs); `bypassCSP` for a test that injects a script of its own;
 *  `init`: a function run in the page before its own scripts; `cacheControl`: what the host says
 *  of caching (serve.mjs: `no-cache`, revalidated). */
export async function open({ damage = false, webgpu = true, viewport = { width: 1280, height: 1400 }, query = '',
  overrides = new Map(), bypassCSP = false, base = '/', init = null, cacheControl } = {}) {
  await mkdir(artifacts, { recursive: true });
  const server = await serveDist(`${root}dist`, { damage, overrides, base, cacheControl });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS,
  });
  const context = await browser.newContext({ viewport, acceptDownloads: true, bypassCSP });
  // A policy violation in the page is a console error, so every test that checks the console checks it.
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`)));
  if (init) await context.addInitScript(init); // e.g. a browser without storage
  const page = await context.newPage();
  const consoleErrors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  context.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && consoleErrors.push(`worker: ${m.text()}`)));
  await page.goto(server.url + query);
  const close = async () => { await browser.close(); await server.close(); };
  return { page, server, consoleErrors, requests, close };
}

export async function ready(page, timeout = 60_000) {
  await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout });
}

/** Sets a control the way a visitor does (select, number box or slider), which resets the run. */
export async function set(page, id, value) {
  await page.locator(`#${id}`).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
  await ready(page);
}

/** Clicks `testId` and returns the bytes of the file the page offers for download. */
export async function download(page, testId) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), path: await file.path(), bytes: await readFile(await file.path()) };
}

export const percent = async (page, id) => parseFloat((await page.getByTestId(id).textContent()).replace('%', ''));
export const step = async (page) => Number(((await page.getByTestId('status').textContent()).match(/step (\d+)/) ?? [0, 0])[1]);

// The code block (Python unless `language` says otherwise) that follows `<!-- name -->` in a
// Markdown file, written to tests/artifacts/name (the tests run what the book shows, so the two
// cannot drift apart).
export async function snippet(markdown, name, language = 'python') {
  const text = await readFile(`${root}${markdown}`, 'utf8');
  const block = text.split(`<!-- ${name} -->\n\`\`\`${language}\n`)[1]?.split('\n```')[0];
  if (!block) throw new Error(`${markdown} has no ${language} block after <!-- ${name} -->`);
  await mkdir(artifacts, { recursive: true });
  const path = `${artifacts}/${name}`;
  await writeFile(path, `${block}\n`);
  return path;
}

// Runs Python (the venv scripts/setup.sh makes, with NumPy and safetensors) from the repository root.
export async function python(...args) {
  const { stdout } = await promisify(execFile)(`${root}.cache/venv/bin/python`, args, { cwd: root });
  return stdout.trim();
}
