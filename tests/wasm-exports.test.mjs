// The page's and the workers' wasm, as the linker left it (before wasm-opt strips the names): no export may be
// wrapped in a call to the static constructors. wasm-ld wraps every export of a module that never
// calls `__wasm_call_ctors` itself, and the WebGPU worker links ~4,900 constructors (cubecl's
// `inventory` registrations): each time JavaScript entered the module they all ran again, which
// made a WebGPU training step ~3× slower (`distill_worker::main` now runs them once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

const MODULES = ['worker-webgpu', 'worker-cpu', 'worker-sequences', 'distill-page'];

/** The function names in a wasm module's `name` section. */
function functionNames(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0, shift = 0, byte;
    do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return value;
  };
  const text = (length) => new TextDecoder().decode(bytes.subarray(at, (at += length)));
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = leb() + at;
    if (id === 0 && text(leb()) === 'name') {
      const names = [];
      while (at < end) {
        const sub = bytes[at++];
        const subEnd = leb() + at;
        if (sub === 1) for (let n = leb(); n > 0; n--) { leb(); names.push(text(leb())); }
        at = subEnd;
      }
      return names;
    }
    at = end;
  }
  return [];
}

test('no export of the page or a worker re-runs the static constructors', () => {
  const built = MODULES.map((name) => ['release', 'debug'].map((profile) => `target/wasm32-unknown-unknown/${profile}/${name}.wasm`)
    .find(existsSync)).filter(Boolean);
  assert.equal(built.length, MODULES.length, 'build the page first (`trunk build --release`)');
  for (const file of built) {
    const names = functionNames(readFileSync(file));
    assert.ok(names.length > 1000, `${file} has its function names`);
    const wrapped = names.filter((name) => name.endsWith('.command_export'));
    assert.deepEqual(wrapped.slice(0, 3), [], `${file}: ${wrapped.length} exports wrapped in __wasm_call_ctors`);
  }
});
