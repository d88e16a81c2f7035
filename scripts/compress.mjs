// Writes a brotli (`.br`) and a gzip (`.gz`) twin beside every compressible file of a built site,
// for static hosts that serve precompressed files (and for scripts/serve.mjs). Run by trunk after a
// release build (post-build.mjs, last, on trunk's staging folder), or by hand:
//   node scripts/compress.mjs [dir]
// Prints what it wrote: raw, gzip and brotli bytes per file.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(html|js|mjs|css|json|wasm|safetensors|svg|txt)$/;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') process.exit(0); // debug builds: no need
for await (const path of files(dir)) {
  const raw = await readFile(path);
  if (raw.length < 1024) continue; // a header costs more than it saves
  // The best brotli for what a first visit loads; one notch less for the multi-MB WebGPU worker,
  // where quality 11 costs minutes of build time for a few percent.
  const quality = raw.length > 8e6 ? 9 : 11;
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_LGWIN]: 24 },
  });
  const gz = gzipSync(raw, { level: 9 });
  if (br.length < raw.length) await writeFile(`${path}.br`, br); // else the server sends the file itself
  if (gz.length < raw.length) await writeFile(`${path}.gz`, gz);
  console.log(`${relative(dir, path).padEnd(44)} ${String(raw.length).padStart(9)} raw ${String(gz.length).padStart(9)} gz ${String(br.length).padStart(9)} br`);
}
