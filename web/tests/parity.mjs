// One setting, one answer: every setting × spectrum of tests/data/parity.json through the wasm
// build's analyze_setting and the native CLI's `momentum analyze --json` (MOMENTUM_BIN, default
// $CARGO_TARGET_DIR/debug/momentum). The two documents must be equal number for number — to the
// last bit, except where a transcendental function (ln, atan2 of a period) comes from wasm's libm
// rather than the system's: there 1e-14 relative — and a refusal the same message.
//   scripts/build_web.sh && cargo build -p momentum-cli && node web/tests/parity.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const wasm = createRequire(import.meta.url)(join(root, 'web', 'build', 'node', 'momentum_web.js'));
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
function same(a, b, path) {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a !== 'number' || typeof b !== 'number') throw new Error(`${path}: wasm ${a} != CLI ${b}`);
    if (Object.is(a, b)) {
      identical++;
      return 1;
    }
    const d = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    worst = Math.max(worst, d);
    if (!(d <= 1e-14)) throw new Error(`${path}: wasm ${a} != CLI ${b}`);
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
if (docs + refusals < 50) throw new Error(`the corpus is too small: ${docs + refusals} pairs`);
console.log(`parity: ${docs} analyses, ${certs} certificates (${numbers} numbers, ${identical} bit-identical, the others within ${worst.toExponential(1)} relative: libm) and ${refusals} refusals equal between wasm and the CLI`);
