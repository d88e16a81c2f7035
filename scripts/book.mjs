// Finishes a built book (mdBook's HTML, scripts/book.sh): writes its Content-Security-Policy into
// every page, then checks its links. Exits 1, naming each problem, if there is one.
//
// The policy: mdBook's pages carry a few inline scripts (the theme and the sidebar), whose SHA-256
// go into `script-src`, so nothing else inline runs, as in the playground's policy (scripts/csp.mjs);
// its one inline style attribute becomes a class of the book's stylesheet (docs/book.css). The policy
// is a <meta> tag in every page, so any static host applies it.
// The checks: every link inside the book reaches a page that exists, and an anchor a link names is
// on that page; every image or script a page loads is in the book, and none from another origin
// (a link *to* another site is fine).
//   node scripts/book.mjs dist/book
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { inlineScriptHashes } from './csp.mjs';

const root = resolve(process.argv[2] ?? 'dist/book');

async function pages(folder) {
  const found = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await pages(path)));
    else if (entry.name.endsWith('.html')) found.push(path);
  }
  return found;
}

/** The book's policy, for inline scripts of these `sha256-…` sources. */
function policy(hashes) {
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.map((h) => `'${h}'`).join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Every page, its inline style turned into a class and the policy in a <meta> tag. */
async function withPolicy(paths) {
  const html = new Map();
  for (const page of paths) {
    const text = (await readFile(page, 'utf8')).replaceAll('<div style="clear: both"></div>', '<div class="clear-both"></div>');
    if (/<[^>]*\sstyle="/.test(text)) throw new Error(`${page}: an inline style attribute the policy would block`);
    html.set(page, text);
  }
  const csp = policy([...new Set([...html.values()].flatMap(inlineScriptHashes))].sort());
  for (const [page, text] of html) {
    const withMeta = text.replace(/(<meta charset="UTF-8">)/i, `$1\n        <meta http-equiv="Content-Security-Policy" content="${csp}">`);
    if (withMeta === text) throw new Error(`${page}: no <meta charset> to put the policy after`);
    html.set(page, withMeta);
    await writeFile(page, withMeta);
  }
  console.log(`the book's Content-Security-Policy (${html.size} pages): ${csp}`);
  return html;
}

const foreign = (url) => /^[a-z]+:\/\//i.test(url) || url.startsWith('//');

/** What is wrong with the links of the book's pages (`html`: path → text). */
function problems(html) {
  const ids = (text) => new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  const found = [];
  for (const [page, text] of html) {
    const name = relative(root, page);
    const loads = [...text.matchAll(/<(?:script|img|iframe|source)\b[^>]*\ssrc="([^"]+)"/g),
      ...text.matchAll(/<link\b[^>]*\shref="([^"]+)"/g)];
    for (const [, url] of loads) {
      if (foreign(url)) found.push(`${name}: loads ${url} from another origin`);
      else if (!url.startsWith('data:') && !existsSync(resolve(dirname(page), decodeURIComponent(url.split(/[?#]/)[0])))) {
        found.push(`${name}: loads ${url}, which is not in the book`);
      }
    }
    for (const [, href] of text.matchAll(/<a\b[^>]*\shref="([^"]*)"/g)) {
      if (/^[a-z]+:/i.test(href) || href.startsWith('//')) continue; // another site, mailto:
      const [path, anchor] = href.split('#');
      const target = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
      const targetText = html.get(target) ?? html.get(join(target, 'index.html'));
      if (targetText === undefined) found.push(`${name}: ${href} goes to no page of the book`);
      else if (anchor && !ids(targetText).has(decodeURIComponent(anchor))) found.push(`${name}: ${href} names an anchor its page does not have`);
    }
  }
  if (html.size === 0) found.push(`${root}: no pages (was the book built?)`);
  return found;
}

const found = problems(await withPolicy(await pages(root)));
for (const problem of found) console.error(problem);
console.log(`${found.length} broken link${found.length === 1 ? '' : 's'}`);
process.exit(found.length ? 1 : 0);
