// The other two engines the playground must work in, behind one small driver each: Firefox
// (Debian's firefox-esr, over WebDriver BiDi by puppeteer-core) and WebKit (Debian's WebKitGTK
// MiniBrowser through WebKitWebDriver, classic WebDriver over HTTP, on an Xvfb display: it has no
// headless mode). Both offer the same few calls, all by script in the page, so one test body
// drives either: `goto`, `run` (an expression's value), `waitFor` (until an expression is true),
// `click` (a data-testid), `choose` (a control's value, as a visitor sets it), `close`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import puppeteer from 'puppeteer-core';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** A free TCP port on the loopback. */
async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Polls `check` (an async function) until it returns a truthy value; throws after `timeout` ms
 *  with what `describe` says of the page then. */
async function poll(check, timeout, what, describe) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}; ${await describe()}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

/** The calls every engine offers, over `evaluate(source)`: the value of a JS expression. */
function driver(evaluate, goto, close) {
  const run = (source) => evaluate(source);
  const status = () => run("document.querySelector('[data-testid=status]')?.textContent ?? '(no status)'");
  return {
    goto,
    run,
    close,
    status,
    waitFor: (source, timeout = 60_000) =>
      poll(() => run(`Boolean(${source})`), timeout, source, async () => `status: ${await status()}; error: ${await run("document.querySelector('[data-testid=error]')?.textContent ?? '(none)'")}`),
    click: (testId) => run(`document.querySelector('[data-testid=${testId}]').click()`),
    // As a visitor sets it: the value, then the change event the page listens to.
    choose: (id, value) => run(`(() => { const el = document.getElementById(${JSON.stringify(id)});
      el.value = ${JSON.stringify(String(value))}; el.dispatchEvent(new Event('change', { bubbles: true })); })()`),
  };
}

export async function firefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    // No update checks, telemetry or other traffic of its own: the page's requests are the test's.
    extraPrefsFirefox: { 'app.update.enabled': false, 'network.captive-portal-service.enabled': false },
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    engine: 'Firefox',
    version: await browser.version(),
    errors,
    ...driver(
      (source) => page.evaluate(source),
      (url) => page.goto(url),
      () => browser.close(),
    ),
  };
}

export async function webkit() {
  const display = `:${90 + Math.floor(Math.random() * 9)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x1400x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const port = await freePort();
  const webdriver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
  const stop = () => { webdriver.kill(); xvfb.kill(); };
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await response.json();
    if (value && value.error) throw new Error(`WebDriver ${path}: ${value.error}: ${value.message}`);
    return value;
  };
  try {
    await poll(() => fetch(`${base}/status`).then((r) => r.ok, () => false), 20_000, 'WebKitWebDriver', async () => 'not listening');
    const capabilities = {
      alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } },
    };
    const session = await call('POST', '/session', { capabilities });
    const id = session.sessionId;
    return {
      engine: 'WebKit',
      version: `${session.capabilities.browserName} ${session.capabilities.browserVersion}`,
      errors: [],
      ...driver(
        (source) => call('POST', `/session/${id}/execute/sync`, { script: `return (${source});`, args: [] }),
        (url) => call('POST', `/session/${id}/url`, { url }),
        async () => { await call('DELETE', `/session/${id}`).catch(() => {}); stop(); },
      ),
    };
  } catch (error) {
    stop();
    throw error;
  }
}
