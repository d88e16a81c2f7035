// What runs after every trunk build (Trunk.toml's one post_build hook: trunk starts a stage's hooks
// all at once, and these three must run in turn): the assets' versions into their URLs
// (version.mjs), then the Content-Security-Policy (csp.mjs: hashes index.html's inline script),
// then the precompressed twins of everything as it finally is (compress.mjs).
//   node scripts/post-build.mjs [dir]
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
for (const step of ['version.mjs', 'csp.mjs', 'compress.mjs']) {
  execFileSync(process.execPath, [join(here, step), dir], { stdio: 'inherit' });
}
