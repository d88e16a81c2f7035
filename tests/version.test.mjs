// scripts/version.mjs on a made-up build: a worker's URLs follow its content, and a second run
// (trunk serve rebuilds) leaves one list of versions in index.html.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digest, version } from '../scripts/version.mjs';

test('a worker, the catalog and the texts are named by their content, once however often it runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'version-'));
  try {
    await mkdir(join(dir, 'packs'));
    await writeFile(join(dir, 'index.html'), '<html><head><meta charset="utf-8"></head></html>');
    await writeFile(join(dir, 'packs', 'catalog.json'), '{"packs": []}');
    await writeFile(join(dir, 'lessons.json'), '{}');
    await writeFile(join(dir, 'es.json'), '{"Start": "Empezar"}');
    await writeFile(join(dir, 'worker-cpu.js'), 'export default async function init() {}');
    await writeFile(join(dir, 'worker-cpu_loader.js'), "import init from './worker-cpu.js';await init();");
    await writeFile(join(dir, 'worker-cpu_bg.wasm'), 'one build');
    const first = await version(dir);
    const v = digest('export default async function init() {}', 'one build');
    assert.deepEqual(first, [`./worker-cpu_loader.js?v=${v}`, `./worker-cpu_bg.wasm?v=${v}`, `packs/catalog.json?v=${digest('{"packs": []}')}`, `lessons.json?v=${digest('{}')}`,
      `es.json?v=${digest('{"Start": "Empezar"}')}`]);
    // It waits for the module the page compiled, else fetches its own wasm.
    const loader = await readFile(join(dir, 'worker-cpu_loader.js'), 'utf8');
    assert.ok(loader.startsWith(`import init from './worker-cpu.js?v=${v}';`), loader);
    assert.ok(loader.includes("addEventListener('message'") && loader.includes('instanceof WebAssembly.Module'), loader);
    assert.ok(loader.includes(`new URL('./worker-cpu_bg.wasm?v=${v}', import.meta.url)`), loader);
    await writeFile(join(dir, 'worker-cpu_bg.wasm'), 'the next build');
    const second = await version(dir);
    assert.notEqual(second[0], first[0], 'new wasm, new URL');
    assert.equal(second[2], first[2], 'the same catalog, the same URL');
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    assert.equal(html.match(/distill-versions/g).length, 1, html);
    assert.ok(html.includes(`content="${second.join(' ')}"`), html);
  } finally {
    await rm(dir, { recursive: true });
  }
});
