// One setting, one answer: every setting × spectrum of tests/data/parity.json through the wasm
// build's analyze_setting and the native CLI's `momentum analyze --json` (MOMENTUM_BIN, default
// $CARGO_TARGET_DIR/debug/momentum). The two documents must be equal number for number — to the
// last bit, except where a transcendental function (ln, atan2 of a period) comes from wasm's libm
// rather than the system's: there 1e-14 relative — and a refusal the same message. The order-n
// optimizers' certificate with a window or the SDP engine, and their maps, against the CLI too.
//   scripts/build_web.sh && cargo build -p momentum-cli && node web/tests/parity.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// the page's own loader and module (web/dist, from scripts/build_web.sh)
const wasm = await import(pathToFileURL(join(root, 'web', 'dist', 'momentum.js')).href);
await wasm.default();
const bin = process.env.MOMENTUM_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'momentum');
const corpus = JSON.parse(readFileSync(join(root, 'tests', 'data', 'parity.json'), 'utf8'));

// Python's repr of a float, which the CLI reads back exactly: JS's shortest round trip is the same
const num = (x) => String(x);

function flags(setting) {
  const out = [];
  for (const [k, v] of Object.entries(setting)) {
    const name = `--${k.replaceAll('_', '-')}`;
    if (v === true) out.push(name);
    else out.push(name, typeof v === 'number' ? num(v) : String(v));
  }
  return out;
}

function spectrumFlags(s) {
  if (s.lambda) return ['--lambda', ...s.lambda.map(num)];
  if (s.file) return ['--spectrum', join(root, s.file)];
  return ['--mu', num(s.mu), '--L', num(s.L)];
}

let identical = 0, worst = 0;
// relative tolerance where libm differs (ln, atan2 of a period); schedules set their own below
let tol = 1e-14;
function same(a, b, path) {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a !== 'number' || typeof b !== 'number') throw new Error(`${path}: wasm ${a} != CLI ${b}`);
    if (Object.is(a, b)) {
      identical++;
      return 1;
    }
    const d = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    worst = Math.max(worst, d);
    if (!(d <= tol)) throw new Error(`${path}: wasm ${a} != CLI ${b} (relative ${d.toExponential(2)})`);
    return 1;
  }
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object') throw new Error(`${path}: shape differs`);
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    let n = 0;
    for (const k of keys) n += same(a[k], b[k], `${path}.${k}`);
    return n;
  }
  if (a !== b) throw new Error(`${path}: wasm ${JSON.stringify(a)} != CLI ${JSON.stringify(b)}`);
  return 0;
}

let docs = 0, refusals = 0, numbers = 0;
for (const setting of corpus.settings) {
  for (const spectrum of corpus.spectra) {
   for (const options of corpus.options) {
    const args = ['analyze', ...flags(setting), ...spectrumFlags(spectrum), ...flags(options), '--json'];
    const cli = spawnSync(bin, args, { encoding: 'utf8' });
    const file = spectrum.file ? readFileSync(join(root, spectrum.file)) : new Uint8Array();
    const q = JSON.stringify({ setting, spectrum: spectrum.file ? { file: spectrum.file } : spectrum, options });
    let got;
    try {
      got = JSON.parse(wasm.analyze_setting(q, file));
    } catch (e) {
      const msg = typeof e === 'string' ? e : String(e.message ?? e);
      if (cli.status === 0) throw new Error(`${args.join(' ')}: wasm refused (${msg}), the CLI did not`);
      if (cli.stderr.trim() !== `error: ${msg}`) throw new Error(`${args.join(' ')}: CLI '${cli.stderr.trim()}' != wasm '${msg}'`);
      refusals++;
      continue;
    }
    if (cli.status !== 0) throw new Error(`${args.join(' ')}: the CLI refused: ${cli.stderr}`);
    const want = JSON.parse(cli.stdout);
    numbers += same(got, want, args.join(' '));
    docs++;
   }
  }
}
// certify: every setting on every interval
let certs = 0;
for (const setting of corpus.settings) {
  for (const spectrum of corpus.intervals) {
    const args = ['certify', ...flags(setting), ...spectrumFlags(spectrum), '--json'];
    const cli = spawnSync(bin, args, { encoding: 'utf8' });
    let got;
    try {
      got = JSON.parse(wasm.certify_setting(JSON.stringify({ setting, spectrum })));
    } catch (e) {
      const msg = typeof e === 'string' ? e : String(e.message ?? e);
      if (cli.status === 0 || cli.stderr.trim() !== `error: ${msg}`) throw new Error(`${args.join(' ')}: CLI '${cli.stderr.trim()}' != wasm '${msg}'`);
      refusals++;
      continue;
    }
    if (cli.status !== 0) throw new Error(`${args.join(' ')}: the CLI refused: ${cli.stderr}`);
    numbers += same(got, JSON.parse(cli.stdout), args.join(' '));
    certs++;
  }
}
// the order-n optimizers' certificate asked with a window or the SDP engine: one refusal from the
// shared layer (setting::certify::zoo_options), word for word the CLI's; window 1 is the default
const zooSettings = [...corpus.settings.filter((s) => ['ademamix', 'lookahead', 'schedule_free', 'aggmo', 'sam'].includes(s.convention)),
  { convention: 'aggmo', lr: 0.5, momenta: [0.3, 0.9] }];
let zooRefusals = 0;
for (const setting of zooSettings) {
  for (const extra of [{ window: 3 }, { window: 0 }, { engine: 'sdp' }, { engine: 'sdp', window: 2 }, { window: 1 }]) {
    const spectrum = { mu: 0.1, L: 1 };
    const args = ['certify', ...flags(setting), ...spectrumFlags(spectrum), ...flags(extra), '--json'];
    const cli = spawnSync(bin, args, { encoding: 'utf8' });
    let got;
    try {
      got = JSON.parse(wasm.certify_setting(JSON.stringify({ setting, spectrum, ...extra })));
    } catch (e) {
      const msg = typeof e === 'string' ? e : String(e.message ?? e);
      if (cli.status === 0 || cli.stderr.trim() !== `error: ${msg}`) throw new Error(`${args.join(' ')}: CLI '${cli.stderr.trim()}' != wasm '${msg}'`);
      if (extra.window !== undefined && extra.window !== 1 || extra.engine) zooRefusals++;
      refusals++;
      continue;
    }
    if (extra.window !== 1 || extra.engine) throw new Error(`${args.join(' ')}: wasm certified what the shared layer refuses`);
    if (cli.status !== 0) throw new Error(`${args.join(' ')}: the CLI refused: ${cli.stderr}`);
    numbers += same(got, JSON.parse(cli.stdout), args.join(' '));
    certs++;
  }
}
if (zooRefusals !== 4 * zooSettings.length) throw new Error(`${zooRefusals} window/engine refusals, want ${4 * zooSettings.length}`);
// the order-n optimizers' maps: wasm's zoo_map document against `map --convention X --json`
let zooMaps = 0;
for (const setting of zooSettings) {
  const axes = setting.convention === 'ademamix' ? ['momentum', 'b3'] : setting.convention === 'lookahead' ? ['momentum', 'slow_step'] : ['momentum'];
  for (const axis of axes) {
    for (const spectrum of [{ mu: 0.1, L: 1 }, { lambda: [-1e-15, 0.01, 30.0] }]) {
      const grid = setting.convention === 'lookahead' ? [6, 5] : [14, 9];
      const held = Object.fromEntries(Object.entries(setting).filter(([k]) => k !== 'lr' && k !== 'momentum')); // the CLI's map takes neither
      const args = ['map', ...flags(held), ...spectrumFlags(spectrum), '--axis', axis.replace('_', '-'), '--grid', String(grid[0]),
        '--grid-momentum', String(grid[1]), '--mark', `${setting.lr},0.5`, '--json'];
      const cli = spawnSync(bin, args, { encoding: 'utf8' });
      let got;
      try {
        got = JSON.parse(wasm.zoo_map(JSON.stringify({ setting: held, spectrum, map: { axis, grid, marks: [[setting.lr, 0.5]] } })));
      } catch (e) {
        const msg = typeof e === 'string' ? e : String(e.message ?? e);
        if (cli.status === 0 || cli.stderr.trim() !== `error: ${msg}`) throw new Error(`${args.join(' ')}: CLI '${cli.stderr.trim()}' != wasm '${msg}'`);
        refusals++;
        continue;
      }
      if (cli.status !== 0) throw new Error(`${args.join(' ')}: the CLI refused: ${cli.stderr}`);
      const want = JSON.parse(cli.stdout);
      delete want.seconds; delete want.cells_per_second;
      numbers += same(got.doc, want, args.join(' '));
      if (got.radii.length !== grid[0] * grid[1] || got.stable.length !== got.radii.length) throw new Error(`${args.join(' ')}: ${got.radii.length} radii`);
      const stable = got.stable.filter((x) => x).length;
      if (stable !== want.stable_cells) throw new Error(`${args.join(' ')}: ${stable} stable cells, the document ${want.stable_cells}`);
      zooMaps++;
    }
  }
}
// schedules: every setting on two spectra under three shapes (and a periodic one). A shape's
// values come through cos (wasm's libm against the system's: last bits), and a run of N steps
// carries such a difference multiplied by its conditioning: 1e-12 relative here
const before = worst;
worst = 0;
tol = 1e-12;
let scheds = 0;
const shapes = [
  { lr_schedule: 'warmup_cosine_decay_schedule(0, 0.05, 10, 120)' },
  { lr_schedule: 'cosine_onecycle_schedule(80, 0.04)' },
  { lr_schedule: 'cyclic(0.01, 0.05, 3)', periodic: true },
];
for (const setting of corpus.settings) {
  for (const spectrum of [{ mu: 1, L: 30 }, { lambda: [0.5, 3, 20] }]) {
    for (const sh of shapes) {
      const base = Object.fromEntries(Object.entries(setting).filter(([k]) => k !== 'lr'));
      const args = ['analyze', ...flags(base), ...spectrumFlags(spectrum), '--lr-schedule', sh.lr_schedule,
        ...(sh.periodic ? ['--periodic'] : []), '--json'];
      const cli = spawnSync(bin, args, { encoding: 'utf8' });
      let got;
      try {
        got = JSON.parse(wasm.analyze_schedule(JSON.stringify({ setting: base, spectrum, schedule: sh }))).analysis;
      } catch (e) {
        const msg = typeof e === 'string' ? e : String(e.message ?? e);
        if (cli.status === 0 || cli.stderr.trim() !== `error: ${msg}`) throw new Error(`${args.join(' ')}: CLI '${cli.stderr.trim()}' != wasm '${msg}'`);
        refusals++;
        continue;
      }
      if (cli.status !== 0) throw new Error(`${args.join(' ')}: the CLI refused: ${cli.stderr}`);
      const want = JSON.parse(cli.stdout);
      delete want.schema; delete want.lr_source; delete want.momentum_source; delete want.schedule.source;
      // a maximiser's location is fixed to ~√ε by its own value (a flat top), and golden section
      // walks there through cos, which is wasm's libm here: 1e-6 relative for the λ of a maximum
      for (const [g, w, k] of [[got, want, 'worst_lambda'], [got, want, 'peak_lambda'], [got.horizon, want.horizon, 'worst_lambda'],
        [got.horizon, want.horizon, 'peak_lambda']]) {
        if (!g || (g[k] === undefined && w[k] === undefined)) continue;
        if (!(Math.abs(g[k] - w[k]) <= 1e-6 * Math.abs(w[k]))) throw new Error(`${args.join(' ')}: ${k} wasm ${g[k]} != CLI ${w[k]}`);
        g[k] = w[k];
      }
      numbers += same(got, want, args.join(' '));
      scheds++;
    }
  }
}
// AdEMAMix's own schedules (optax's b3_scheduler, alpha_scheduler): the same document
{
  const setting = { convention: 'ademamix', lr: 0.05, momentum: 0.9, b3: 0.999, alpha: 5 };
  const sh = { b3_schedule: 'linear_hl_warmup_scheduler(0.999, 0.9, 60)', alpha_schedule: 'linear_schedule(0, 5, 60)', steps: 90 };
  const spectrum = { mu: 1, L: 30 };
  const args = ['analyze', ...flags(setting), ...spectrumFlags(spectrum), '--b3-schedule', sh.b3_schedule,
    '--alpha-schedule', sh.alpha_schedule, '--steps', '90', '--json'];
  const cli = spawnSync(bin, args, { encoding: 'utf8' });
  if (cli.status !== 0) throw new Error(`${args.join(' ')}: the CLI refused: ${cli.stderr}`);
  const want = JSON.parse(cli.stdout);
  delete want.schema; delete want.schedule.source;
  const got = JSON.parse(wasm.analyze_schedule(JSON.stringify({ setting, spectrum, schedule: sh }))).analysis;
  if (!want.schedule.b3 || !want.schedule.alpha) throw new Error(`${args.join(' ')}: no b3/alpha range`);
  numbers += same(got, want, args.join(' '));
  scheds++;
}
const schedWorst = worst;
worst = before;
if (docs + refusals < 50) throw new Error(`the corpus is too small: ${docs + refusals} pairs`);
console.log(`parity: schedules within ${schedWorst.toExponential(1)} relative (their values through libm's cos)`);
console.log(`parity: ${zooRefusals} order-n certify refusals of a window or the SDP engine, ${zooMaps} order-n maps (wasm zoo_map = map --convention X --json)`);
console.log(`parity: ${docs} analyses, ${certs} certificates, ${scheds} schedules (${numbers} numbers, ${identical} bit-identical, the others within ${worst.toExponential(1)} relative: libm) and ${refusals} refusals equal between wasm and the CLI`);
