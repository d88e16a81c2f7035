// The page's Content-Security-Policy, written into a built site (post-build.mjs, after version.mjs
// and before compress.mjs; or by hand: `node scripts/csp.mjs [dir]`). Trunk's build puts one inline module script
// in index.html (the wasm loader); its SHA-256 goes into `script-src`, so nothing else inline runs.
// The policy goes two places: a <meta> tag in index.html (which any static host serves) and
// `_headers` (Netlify / Cloudflare Pages syntax, for the site's root and the files beside the page) for
// hosts that send headers, which is the only way the workers get it too: a worker's policy comes from its own response. scripts/serve.mjs sends
// what `_headers` says. Prints the policy.
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The policy for a page whose inline scripts have these `sha256-…` sources. */
export function policy(scriptHashes) {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.map((h) => `'${h}'`).join(' ')}`.trim(),
    "worker-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** `sha256-…` of every inline <script> body in `html`. */
export function inlineScriptHashes(html) {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map(([, body]) => `sha256-${createHash('sha256').update(body).digest('base64')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
  const path = join(dir, 'index.html');
  const html = (await readFile(path, 'utf8')).replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  const csp = policy(inlineScriptHashes(html));
  // Right after <meta charset>: a policy applies only to what follows it.
  const withMeta = html.replace(/(<meta charset="utf-8">)/, `$1\n  <meta http-equiv="Content-Security-Policy" content="${csp}">`);
  if (withMeta === html) throw new Error(`${path}: no <meta charset="utf-8"> to put the policy after`);
  await writeFile(path, withMeta);
  // The page and the files beside it (its workers): `/:file` is one path segment, so the book's
  // pages under book/ keep the policy of their own <meta> tag (scripts/book.mjs).
  await writeFile(join(dir, '_headers'), `/\n  Content-Security-Policy: ${csp}\n/:file\n  Content-Security-Policy: ${csp}\n`);
  console.log(`Content-Security-Policy: ${csp}`);
}
