// The wasm build of momentum-web equals the native build on the same inputs.
//   scripts/build_web.sh && node web/tests/wasm_equals_native.mjs
// Native answers: `cargo run -p momentum-web --example reference` on tests/cases.json; wasm answers:
// web/dist/momentum_web.wasm through the page's own loader web/dist/momentum.js. Numbers must agree to 1e-12 relative (the two builds share
// the code; only libm's last bits may differ), messages exactly. Independently of both builds'
// agreement, every simulated run must stay under its exact finite-horizon envelope. Then the wasm
// certified rates and QHM conversions against the native CLI's `momentum certify|analyze --json`
// (MOMENTUM_BIN, default $CARGO_TARGET_DIR/debug/momentum: `cargo build -p momentum-cli` first).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const wasm = await import(pathToFileURL(join(root, 'web', 'dist', 'momentum.js')).href);
await wasm.default();
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
      case 'certify': return { ok: JSON.parse(wasm.certify(q)) };
      case 'zoo_map': return { ok: JSON.parse(wasm.zoo_map(q)) };
      case 'certify_setting': return { ok: JSON.parse(wasm.certify_setting(q)) };
      case 'certified_map': return { ok: JSON.parse(wasm.certified_map(q, a[0], a[1], a[2], a[3])) };
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
for (const [i, want] of [[10, 'mu <= L'], [11, 'lr'], [12, 'empty'], [13, 'x3'], [14, 'momentum'], [23, 'momentum-min'], [28, 'steps'],
  [30, 'nu must be in [0, 1], got 1.5'], [31, 'nu is empty'], [32, 'convention must be canonical'], [34, 'momentum range'],
  [46, 'cells per axis']]) {
  if (!msg(i).includes(want)) throw new Error(`case ${i}: expected a message naming '${want}', got '${msg(i)}'`);
}
// ---- against the native CLI --------------------------------------------------------------------
const bin = process.env.MOMENTUM_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'momentum');
const cli = (args) => JSON.parse(execFileSync(bin, [...args, '--json']).toString());
let cliChecks = 0;
function near(a, b, tol, what) {
  cliChecks++;
  if (!(a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) throw new Error(`${what}: wasm ${a} vs CLI ${b}`);
}
const base = { family: 'hb', convention: 'canonical', lr: '0.02', momentum: '0.5', spectrum: 'interval', mu: '1', L: '100', steps: '60' };
const certCases = [
  [{}, ['--method', 'hb', '--lr', '0.02', '--momentum', '0.5', '--mu', '1', '--L', '100']],
  [{ family: 'nag', lr: '0.01', momentum: '0.8' }, ['--method', 'nag', '--lr', '0.01', '--momentum', '0.8', '--mu', '1', '--L', '100']],
  [{ family: 'tmm', spectrum: 'kappa', kappa: '1000' }, ['--method', 'tmm', '--kappa', '1000']],
  [{ lr: '0.035', momentum: '0.3' }, ['--method', 'hb', '--lr', '0.035', '--momentum', '0.3', '--mu', '1', '--L', '100']],
  [{ family: 'lookahead', lookahead: '0.3', lr: '0.015', momentum: '0.7' }, ['--lr', '0.015', '--momentum', '0.7', '--lookahead', '0.3', '--mu', '1', '--L', '100']],
  [{ family: 'qhm', lr: '0.04', momentum: '0.8', nu: '0.7' }, ['--convention', 'qhm', '--lr', '0.04', '--momentum', '0.8', '--nu', '0.7', '--mu', '1', '--L', '100']],
  [{ family: 'qhm', lr: '1.5', momentum: '0.9', nu: '0.2', mu: '0.1', L: '10' }, ['--convention', 'qhm', '--lr', '1.5', '--momentum', '0.9', '--nu', '0.2', '--mu', '0.1', '--L', '10']],
  [{ convention: 'ewma', lr: '0.3', momentum: '0.9', mu: '0.1', L: '10' }, ['--convention', 'ewma', '--lr', '0.3', '--momentum', '0.9', '--mu', '0.1', '--L', '10']],
];
let certified = 0;
for (const [over, args] of certCases) {
  const q = JSON.stringify({ ...base, ...over });
  const w = JSON.parse(wasm.certify(q));
  const c = cli(['certify', ...args]);
  if (w.certified !== c.certified) throw new Error(`${args.join(' ')}: certified ${w.certified} vs CLI ${c.certified}`);
  if (c.rate !== null) { near(w.rate, c.rate, 1e-12, `certified rate ${args.join(' ')}`); certified++; }
  near(w.quadratic_rate, c.quadratic_rate, 1e-12, `quadratic rate ${args.join(' ')}`);
  for (const k of ['step', 'momentum', 'lookahead']) near(w.method[k], c.method[k], 1e-15, `method.${k} ${args.join(' ')}`);
}
// the overlay's cells equal the CLI's certificate of that cell's method (QHM at lr = α/(1 − β))
const cellChecks = [
  [{}, [0.04, -1, 1, 12], (a, b) => ['--method', 'hb', '--lr', String(a), '--momentum', String(b), '--mu', '1', '--L', '100']],
  [{ family: 'qhm', lr: '0.04', momentum: '0.8', nu: '0.7' }, [0.04, 0, 1, 10],
    (a, b) => ['--convention', 'qhm', '--lr', String(a / (1 - b)), '--momentum', String(b), '--nu', '0.7', '--mu', '1', '--L', '100']],
];
let cells = 0;
for (const [over, [stepMax, b0, b1, n], args] of cellChecks) {
  const m = JSON.parse(wasm.certified_map(JSON.stringify({ ...base, ...over }), stepMax, b0, b1, n));
  // every third stable cell, so both the certified and the uncertified ones are asked
  const picks = m.rates.map((r, k) => k).filter((k) => m.quadratic_stable[k]).filter((k, idx) => idx % 3 === 0);
  for (const k of picks) {
    const a = stepMax * ((k % n) + 0.5) / n, b = b0 + (b1 - b0) * (Math.floor(k / n) + 0.5) / n;
    const c = cli(['certify', ...args(a, b)]);
    if ((m.rates[k] === null) !== (c.rate === null)) throw new Error(`cell ${k} (${a}, ${b}): wasm ${m.rates[k]} vs CLI ${c.rate}`);
    // the overlay is the map's route (bisection to 1e-10, unchecked); certify's rate is the
    // checked one, sought at ρ + f(1 − ρ) with f from 1e-9 up: they agree to 1e-8
    if (c.rate !== null) near(m.rates[k], c.rate, 1e-8, `cell ${k} (${a}, ${b})`);
    if ((m.zones[k] === 3) !== (m.rates[k] !== null) || (m.zones[k] === 1 && c.rate !== null)) throw new Error(`cell ${k}: zone ${m.zones[k]} vs CLI ${c.rate}`);
    cells++;
  }
}
// QHM converted by the wasm page equals `momentum analyze --convention qhm --json`
for (const [lr, beta, nu] of [['0.04', '0.8', '0.7'], ['0.5', '0.9', '0.9'], ['0.01', '0.5', '1'], ['0.02', '0.95', '0']]) {
  const w = JSON.parse(wasm.analyze(JSON.stringify({ ...base, family: 'qhm', lr, momentum: beta, nu })));
  const c = cli(['analyze', '--convention', 'qhm', '--lr', lr, '--momentum', beta, '--nu', nu, '--mu', '1', '--L', '100']);
  const what = `QHM lr ${lr} beta ${beta} nu ${nu}`;
  for (const k of ['step', 'momentum', 'lookahead']) near(w.point[k], c.method[k], 1e-15, `${what}: ${k}`);
  for (const k of ['p0', 'p1', 'q0', 'q1']) near(w.recurrence[k], c.recurrence[k], 1e-15, `${what}: ${k}`);
  near(w.spectral_radius, c.spectral_radius, 1e-12, `${what}: rho`);
  near(w.stable_lr.lo, c.stable_lr.lo, 1e-12, `${what}: stable lr lo`);
  near(w.stable_lr.hi, c.stable_lr.hi, 1e-12, `${what}: stable lr hi`);
}
console.log(`wasm == CLI: ${certCases.length} certificates (${certified} certified rates), ${cells} overlay cells, 4 QHM conversions; ${cliChecks} numbers`);
console.log(`wasm == native: ${cases.length} calls (${errors} rejected with the same message), ${compared} numbers, max relative difference ${worst.toExponential(2)}; ${runs} runs under their exact envelope`);
// ---- the loader's interface (web/www/momentum.js over web/src/abi.rs) -------------------------
// every export answers one bad input per function with an Error carrying a one-line message (never
// a trap); a deliberate panic is an Error too, and the next call runs on a fresh instance; calls
// free what they allocate (the instance's memory stops growing)
const good = JSON.stringify(base);
const bad = [
  ['analyze', () => wasm.analyze('{'), /./],
  ['analyze_setting', () => wasm.analyze_setting(JSON.stringify({ setting: { method: 'hb', lr: 0.1, momentum: 0.5 }, spectrum: { file: 'H.npy' } }),
    new Uint8Array([1, 2, 3, 4, 5])), /./],
  ['analyze_schedule', () => wasm.analyze_schedule('null'), /./],
  ['minibatch_edge', () => wasm.minibatch_edge(good, 0, 100, -1, 1, 40), /batch size B = 0 must be a whole number >= 1/],
  ['certify_setting', () => wasm.certify_setting('[]'), /./],
  ['map', () => wasm.map(good, 0.04, -1, 1, -1, -1), /above the page's limit/],
  ['overlays', () => wasm.overlays(good, -1, -1, 1, 100), /bad plot range/],
  ['tunings', () => wasm.tunings(''), /./],
  ['express', () => wasm.express('{"family": 3}', 0.01, 0.5), /./],
  ['trajectory', () => wasm.trajectory(JSON.stringify({ ...base, steps: '1e12' })), /steps/],
  ['certify', () => wasm.certify(JSON.stringify({ ...base, mu: '-1' })), /mu/],
  ['certified_map', () => wasm.certified_map(good, 0.04, -1, 1, 0), /cells per axis, got 0/],
];
for (const [name, f, want] of bad) {
  let msg = null;
  try {
    f();
  } catch (e) {
    if (!(e instanceof Error) || e instanceof WebAssembly.RuntimeError) throw new Error(`${name}: not an Error: ${e}`);
    msg = e.message;
  }
  if (msg === null) throw new Error(`${name}: a bad input was accepted`);
  if (!want.test(msg) || msg.includes('\n') || /internal error/.test(msg)) throw new Error(`${name}: message '${msg}'`);
}
const rho = JSON.parse(wasm.analyze(good)).spectral_radius;
let panicked = '';
try { wasm.test_panic(); } catch (e) { panicked = e.message; }
if (!/^internal error in the WebAssembly module \(.*a deliberate panic/.test(panicked)) throw new Error(`the panic came back as '${panicked}'`);
if (JSON.parse(wasm.analyze(good)).spectral_radius !== rho) throw new Error('the call after a panic differs');
// the same calls many times: the memory stops growing once the allocator has its blocks
const round = () => {
  wasm.analyze(good); wasm.tunings(good); wasm.trajectory(good); wasm.certify(good); wasm.express(good, 0.01, 0.5);
  wasm.overlays(good, 0.04, -1, 1, 400); wasm.minibatch_edge(good, 4, 100, -1, 1, 60);
  if (wasm.map(good, 0.04, -1, 1, 128, 128).length !== 128 * 128) throw new Error('map: 128 x 128 numbers');
  wasm.certified_map(good, 0.04, -1, 1, 8);
  for (const [, f] of bad) try { f(); } catch { /* the errors above */ }
};
for (let k = 0; k < 5; k++) round();
const settled = wasm.memoryBytes();
for (let k = 0; k < 100; k++) round();
if (wasm.memoryBytes() !== settled) throw new Error(`the memory grew from ${settled} to ${wasm.memoryBytes()} bytes over 100 rounds: a leak`);
console.log(`loader: ${bad.length} exports refuse a bad input with a message, a panic is an error and the next call works, 100 rounds of every export leave the memory at ${settled} bytes`);
