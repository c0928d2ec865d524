// The wasm build of momentum-web equals the native build on the same inputs.
//   scripts/build_web.sh && node web/tests/wasm_equals_native.mjs
// Native answers: `cargo run -p momentum-web --example reference` on tests/cases.json; wasm answers:
// the Node bindings in web/build/node. Numbers must agree to 1e-12 relative (the two builds share
// the code; only libm's last bits may differ), messages exactly. Independently of both builds'
// agreement, every simulated run must stay under its exact finite-horizon envelope.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const wasm = createRequire(import.meta.url)(join(root, 'web', 'build', 'node', 'momentum_web.js'));
const cases = JSON.parse(readFileSync(join(here, 'cases.json'), 'utf8'));
const native = JSON.parse(execFileSync('cargo', ['run', '-q', '-p', 'momentum-web', '--example', 'reference'],
  { cwd: root, input: JSON.stringify(cases), maxBuffer: 1 << 28 }).toString());

function viaWasm(c) {
  const q = JSON.stringify(c.q);
  const a = c.args ?? [];
  try {
    switch (c.fn) {
      case 'analyze': return { ok: JSON.parse(wasm.analyze(q)) };
      case 'tunings': return { ok: JSON.parse(wasm.tunings(q)) };
      case 'trajectory': return { ok: JSON.parse(wasm.trajectory(q)) };
      case 'express': return { ok: JSON.parse(wasm.express(q, a[0], a[1])) };
      case 'overlays': return { ok: JSON.parse(wasm.overlays(q, a[0], a[1], a[2], a[3])) };
      case 'map': return { ok: Array.from(wasm.map(q, a[0], a[1], a[2], a[3], a[4])) };
      default: throw new Error(`unknown fn ${c.fn}`);
    }
  } catch (e) {
    return { err: typeof e === 'string' ? e : String(e.message ?? e) };
  }
}

let worst = 0;
let compared = 0;
function same(a, b, path) {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
    worst = Math.max(worst, a === b ? 0 : d);
    compared++;
    if (!(a === b || d <= 1e-12)) throw new Error(`${path}: wasm ${a} != native ${b}`);
    return;
  }
  if (Array.isArray(a) || (a && typeof a === 'object')) {
    if (!b || typeof b !== 'object') throw new Error(`${path}: shape differs`);
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) same(a[k], b[k], `${path}.${k}`);
    return;
  }
  if (a !== b) throw new Error(`${path}: wasm ${JSON.stringify(a)} != native ${JSON.stringify(b)}`);
}

let errors = 0;
let runs = 0;
cases.forEach((c, i) => {
  const w = viaWasm(c);
  same(w, native[i], `case ${i} (${c.fn})`);
  if (w.err) {
    errors++;
    if (!/\S/.test(w.err) || w.err.includes('\n')) throw new Error(`case ${i}: the message must be one line`);
  }
  if (c.fn === 'trajectory' && w.ok) {
    runs++;
    w.ok.envelope.forEach((env, k) => {
      const e = w.ok.error[k + 1];
      if (env !== null && e !== undefined && !(e <= env * (1 + 1e-9) + 1e-300)) {
        throw new Error(`case ${i}: run error ${e} above the exact envelope ${env} at step ${k + 1}`);
      }
    });
  }
});
// the expected failures really fail, with the value named
const msg = (i) => native[i].err ?? '';
for (const [i, want] of [[10, 'mu <= L'], [11, 'lr'], [12, 'empty'], [13, 'x3'], [14, 'momentum'], [23, 'momentum-min'], [28, 'steps']]) {
  if (!msg(i).includes(want)) throw new Error(`case ${i}: expected a message naming '${want}', got '${msg(i)}'`);
}
console.log(`wasm == native: ${cases.length} calls (${errors} rejected with the same message), ${compared} numbers, max relative difference ${worst.toExponential(2)}; ${runs} runs under their exact envelope`);
