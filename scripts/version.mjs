// Puts each asset's content in its URL (Trunk.toml's post_build hook, through post-build.mjs; or by
// hand: `node scripts/version.mjs [dir]`). Trunk names the page's own files by their hash, but not
// the workers' (their loader imports fixed names) nor the catalog the page reads the packs from.
// A host that caches for minutes (GitHub Pages: 10) could then hand a new page an old worker, or an
// old catalog. So each worker's loader is rewritten to import its script and wasm as
// `worker-cpu.js?v=<hash>` and `worker-cpu_bg.wasm?v=<hash>` (the hash of both), and index.html gets
// `<meta name="distill-versions">` with the versioned URL of each loader and its wasm, of packs/catalog.json, of
// lessons.json (the lessons' texts) and of es.json (the Spanish texts), which the page fetches them by. The packs themselves are fetched with their catalog SHA-256 in
// the URL (distill_data::catalog::download_url). Prints the URLs.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The first 16 hex digits of the SHA-256 of these byte strings, one after the other. */
export function digest(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
}

/** Rewrites `dir`'s worker loaders and index.html; returns the versioned URLs. */
export async function version(dir) {
  const urls = [];
  for (const loader of (await readdir(dir)).filter((name) => name.endsWith('_loader.js')).sort()) {
    const worker = loader.slice(0, -'_loader.js'.length);
    const [script, wasm] = await Promise.all([readFile(join(dir, `${worker}.js`)), readFile(join(dir, `${worker}_bg.wasm`))]);
    const v = digest(script, wasm);
    // The page compiles the wasm once for all the workers of a build and sends each the module as
    // its first message (crates/page/src/ui/assets.rs); null, and the worker fetches it itself.
    await writeFile(join(dir, loader), `import init from './${worker}.js?v=${v}';` +
      "const module = await new Promise((ok) => addEventListener('message', (e) => ok(e.data), { once: true }));" +
      `await init({module_or_path: module instanceof WebAssembly.Module ? module : new URL('./${worker}_bg.wasm?v=${v}', import.meta.url)});`);
    urls.push(`./${loader}?v=${v}`, `./${worker}_bg.wasm?v=${v}`);
  }
  const catalog = await readFile(join(dir, 'packs', 'catalog.json')).catch(() => undefined);
  if (catalog) urls.push(`packs/catalog.json?v=${digest(catalog)}`);
  for (const texts of ['lessons.json', 'es.json']) {
    const content = await readFile(join(dir, texts)).catch(() => undefined);
    if (content) urls.push(`${texts}?v=${digest(content)}`);
  }
  const path = join(dir, 'index.html');
  const html = (await readFile(path, 'utf8')).replace(/\s*<meta name="distill-versions"[^>]*>/, '');
  const withMeta = html.replace(/(<meta charset="utf-8">)/, `$1\n  <meta name="distill-versions" content="${urls.join(' ')}">`);
  if (withMeta === html) throw new Error(`${path}: no <meta charset="utf-8"> to put the versions after`);
  await writeFile(path, withMeta);
  return urls;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
  console.log(`versioned: ${(await version(dir)).join(' ')}`);
}
