// The first visit on a slow link, for scripts/bench.mjs --slow: a phone-sized page opened through
// scripts/serve.mjs's paced pipe (Lighthouse's mobile profile: 1.6 Mbit/s shared by every response,
// 150 ms round trips), nothing cached, a link that starts its run by itself. Reported from the start
// of navigation: when Start could first be pressed, when the first point of a curve was drawn,
// when the run finished, and every byte the host sent. Each link is opened from a host that serves
// brotli and from a gzip-only one (GitHub Pages), each with `max-age=600` (GitHub Pages' caching)
// and `no-store` (a host that lets nothing be cached); the default link once more with the CPU 4×
// slower (Chromium's `Emulation.setCPUThrottlingRate`), as a mid-range phone's.
import { serveDist } from './serve.mjs';

const MOBILE = { mbps: 1.6, rttMs: 150 };
const PHONE = { width: 390, height: 844 };
// [name, query]: what a visitor follows, each training on the CPU (no adapter is assumed).
const LINKS = [
  ['default', '?autostart=1&backend=cpu'],
  ['words', '?task=words&autostart=1&backend=cpu'],
  ['lesson 2', '?lesson=beats-labels&autostart=1&backend=cpu'],
];
const HOSTS = [
  ['brotli, max-age=600', ['br', 'gzip'], 'public, max-age=600'],
  ['gzip, max-age=600', ['gzip'], 'public, max-age=600'],
  ['brotli, no-store', ['br', 'gzip'], 'no-store'],
  ['gzip, no-store', ['gzip'], 'no-store'],
];

/** Runs in the page before its scripts: notes when each moment first happens (ms after navigation). */
function watch() {
  const moments = (window.slowLink = {});
  const note = (name) => { moments[name] ??= performance.now(); };
  new MutationObserver(() => {
    const start = document.querySelector('[data-testid=start]');
    const status = document.querySelector('[data-testid=status]')?.textContent ?? '';
    if ((start && !start.disabled) || /^Ready|step \d/.test(status)) note('startable');
    if ([...document.querySelectorAll('svg polyline')].some((p) => (p.getAttribute('points') ?? '').includes(','))) note('point');
    if (status.startsWith('Finished')) note('finished');
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/** One visit: the moments in seconds and the bytes sent. */
async function visit(browser, dist, { query, encodings, cacheControl, link = MOBILE, cpuSlowdown = 1 }) {
  const server = await serveDist(dist, { link, encodings, cacheControl });
  const context = await browser.newContext({ viewport: PHONE });
  try {
    const page = await context.newPage();
    if (cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    }
    await page.addInitScript(watch);
    await page.goto(server.url + query);
    await page.waitForFunction(() => window.slowLink?.finished, null, { timeout: 300_000, polling: 200 });
    const moments = await page.evaluate(() => window.slowLink);
    const seconds = (name) => (moments[name] === undefined ? null : Math.round(moments[name]) / 1000);
    const sent = server.sent.reduce((sum, f) => sum + f.bytes, 0);
    const requests = server.sent.map((f) => f.path);
    return { sent, startable_s: seconds('startable'), first_point_s: seconds('point'), finished_s: seconds('finished'), requests };
  } finally {
    await context.close();
    await server.close();
  }
}

/** Every row, printed as a table and added to `report.slow_link`. `smoke`: one visit of the default
 *  link on a fast link, so the measurement keeps working. */
export async function slowLink(browser, dist, report, { smoke = false, table }) {
  const plan = [];
  if (smoke) {
    plan.push({ link: 'default', host: 'brotli, max-age=600 (smoke: 40 Mbit/s, 20 ms)', query: LINKS[0][1],
      encodings: HOSTS[0][1], cacheControl: HOSTS[0][2], pipe: { mbps: 40, rttMs: 20 } });
  } else {
    for (const [link, query] of LINKS) {
      for (const [host, encodings, cacheControl] of link === 'default' ? HOSTS : HOSTS.slice(0, 2)) {
        plan.push({ link, host, query, encodings, cacheControl });
      }
    }
    plan.push({ link: 'default', host: `${HOSTS[0][0]}, CPU 4× slower`, query: LINKS[0][1], encodings: HOSTS[0][1],
      cacheControl: HOSTS[0][2], cpuSlowdown: 4 });
  }
  const rows = [];
  for (const { link, host, query, encodings, cacheControl, pipe, cpuSlowdown } of plan) {
    const measured = await visit(browser, dist, { query, encodings, cacheControl, link: pipe ?? MOBILE, cpuSlowdown });
    const { requests, ...figures } = measured;
    const repeated = [...new Set(requests.filter((path, i) => requests.indexOf(path) !== i))];
    (report.slow_link ??= []).push({ link, query, host, ...figures, fetched_twice: repeated });
    const s = (x) => (x === null ? '–' : `${x.toFixed(1)} s`);
    rows.push([link, host, `${(figures.sent / 1e6).toFixed(2)} MB`, s(figures.startable_s), s(figures.first_point_s),
      s(figures.finished_s), repeated.join(' ') || 'none']);
  }
  console.log(`\nFirst visit on a slow link (${MOBILE.mbps} Mbit/s shared, ${MOBILE.rttMs} ms round trip), phone-sized, ` +
    'nothing cached; seconds from navigation');
  console.log(table(['link', 'host', 'sent', 'Start enabled', 'first curve point', 'run finished', 'fetched twice'], rows));
}
