// The explorer in a real browser: Debian's headless Chromium driven by playwright-core loads the
// page from `momentum serve`, sets and drags the point through the DOM, and checks the numbers it
// shows against the native CLI's `momentum analyze --json`; bad inputs must show a message on the
// page with no console error or uncaught exception. QHM (lr, β, ν) set through the form against
// `momentum analyze|certify --convention qhm --json`; the certified-rate overlay must be drawn.
// AdEMAMix, Lookahead, schedule-free SGD, AggMo and SAM against `analyze|certify --convention X`.
// Saves screenshots and times the map and the overlay.
//   scripts/build_web.sh && cargo build -p momentum-cli && (cd web && npm ci) && node web/tests/browser.mjs
// Env: MOMENTUM_BIN (default $CARGO_TARGET_DIR/debug/momentum), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT (default web/test-results/explorer.png).
import { chromium } from 'playwright-core';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.MOMENTUM_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'momentum');
const shot = process.env.SCREENSHOT ?? join(root, 'web', 'test-results', 'explorer.png');
let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures++; console.error(`FAIL: ${what}`); }
}
const close = (a, b, rel = 1e-12) => a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
const cli = (args) => JSON.parse(execFileSync(bin, ['analyze', ...args, '--json']).toString());

// ---- the server ------------------------------------------------------------------------------
const server = spawn(bin, ['serve', '--port', '0', '--dir', join(root, 'web', 'dist')], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(m[0]);
  });
  server.on('exit', (c) => reject(new Error(`momentum serve exited with ${c}`)));
  setTimeout(() => reject(new Error('momentum serve printed no address')), 10000);
});

const profile = mkdtempSync(join(tmpdir(), 'momentum-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1360, height: 960 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] ?? await browser.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

async function open(hash) {
  await page.goto(`${base}#${hash}`);
  await page.reload(); // a hash-only navigation would not reload the page
  await page.waitForSelector('body[data-ready="1"]', { timeout: 120000 }); // a 64² overlay: under 0.1 s (Nesterov) to ~0.3 s (heavy ball, many cycles); generous under load
}
const shown = (id) => page.$eval(`#${id}`, (e) => (e.dataset.value === undefined ? null : JSON.parse(e.dataset.value)));
const message = () => page.$eval('#message', (e) => (e.hidden ? '' : e.textContent));

/** Compare the readout with `momentum analyze --json` on the same arguments. */
async function compare(label, args) {
  const want = cli(args);
  const rho = await shown('out-rho');
  check(close(rho, want.spectral_radius), `${label}: rho ${rho} vs CLI ${want.spectral_radius}`);
  check(close(await shown('out-worst'), want.worst_lambda), `${label}: worst lambda`);
  check((await shown('out-stable')) === want.stable, `${label}: stable`);
  const lr = await shown('out-lr');
  check(close(lr.lo, want.stable_lr.lo) && (lr.hi === null ? want.stable_lr.hi === null : close(lr.hi, want.stable_lr.hi)),
    `${label}: stable lr ${JSON.stringify(lr)} vs ${JSON.stringify(want.stable_lr)}`);
  const ends = [await shown('out-lo'), await shown('out-hi')];
  const cliEnds = [want.curvatures[0], want.curvatures[want.curvatures.length - 1]];
  ends.forEach((m, k) => {
    const w = cliEnds[k];
    check(close(m.lambda, w.lambda) && close(m.spectral_radius, w.spectral_radius) && m.regime === w.regime,
      `${label}: mode ${k} ${JSON.stringify(m)} vs ${JSON.stringify(w)}`);
    check((m.period === null) === (w.period === null) && (m.period === null || close(m.period, w.period)), `${label}: period ${k}`);
    m.roots.forEach((z, i) => check(close(z.re, w.roots[i].re, 1e-12) && Math.abs(z.im - w.roots[i].im) <= 1e-12 * Math.max(1, Math.abs(w.roots[i].im)),
      `${label}: root ${k}.${i} ${JSON.stringify(z)} vs ${JSON.stringify(w.roots[i])}`));
  });
  // what is printed agrees with the exact value to its shown digits
  const text = await page.$eval('#out-rho', (e) => e.textContent);
  check(close(Number(text), want.spectral_radius, 1e-7), `${label}: shown text ${text}`);
  console.log(`${label}: rho = ${text} (CLI ${want.spectral_radius})`);
}

// 1. a setting from the URL, compared with the CLI
await open('family=hb&convention=canonical&lr=0.02&momentum=0.5&spectrum=interval&mu=1&L=100&grid=256&hmax=4&steps=150');
check(await message() === '', 'no message on a good setting');
await compare('heavy ball from the URL', ['--method', 'hb', '--lr', '0.02', '--momentum', '0.5', '--mu', '1', '--L', '100']);

// 2. drag the point across the map
const box = await page.$eval('#map', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
const before = await shown('out-point');
await page.mouse.move(box.x + box.w * 0.35, box.y + box.h * 0.3);
await page.mouse.down();
await page.mouse.move(box.x + box.w * 0.3, box.y + box.h * 0.22, { steps: 8 });
await page.mouse.up();
const after = await shown('out-point');
check(after.step !== before.step && after.momentum !== before.momentum, `the drag moved the point: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
const [lr, mom] = [await page.inputValue('#lr'), await page.inputValue('#momentum')];
check(close(Number(lr), after.step) && close(Number(mom), after.momentum), 'the inputs follow the point');
await compare('after the drag', ['--method', 'hb', '--lr', lr, '--momentum', mom, '--mu', '1', '--L', '100']);

// 3. a framework convention with its own arguments, set through the form
await page.selectOption('#convention', 'pytorch');
await page.selectOption('#family', 'nag');
await page.fill('#lr', '0.012');
await page.fill('#momentum', '0.85');
await page.fill('#weight_decay', '0.5');
await compare('PyTorch Nesterov with weight decay', ['--convention', 'pytorch', '--nesterov', '--lr', '0.012', '--momentum', '0.85', '--weight-decay', '0.5', '--mu', '1', '--L', '100']);
await page.selectOption('#family', 'hb');
await page.fill('#dampening', '0.3');
await compare('PyTorch heavy ball with dampening', ['--convention', 'pytorch', '--lr', '0.012', '--momentum', '0.85', '--dampening', '0.3', '--weight-decay', '0.5', '--mu', '1', '--L', '100']);
await page.fill('#dampening', '');
await page.fill('#weight_decay', '');
await page.selectOption('#convention', 'ewma');
await compare('EWMA', ['--convention', 'ewma', '--lr', '0.012', '--momentum', '0.85', '--mu', '1', '--L', '100']);

// 4. a pasted eigenvalue list
await page.selectOption('#convention', 'canonical');
await page.check('input[name=spectrum][value=list]');
await page.fill('#eigenvalues', '[0.5, 2, 30, 80]');
await compare('eigenvalue list', ['--method', 'hb', '--lr', '0.012', '--momentum', '0.85', '--lambda', '0.5', '2', '30', '80']);

// 5. the optimal tunings: one click, and Polyak's rate is (sqrt(k) - 1)/(sqrt(k) + 1) exactly
await page.check('input[name=spectrum][value=kappa]');
await page.fill('#kappa', '100');
await page.click('button[data-tuning="heavy_ball"]');
check(Math.abs((await shown('out-rho')) - 9 / 11) < 1e-7, 'Polyak tuning at kappa 100 has rho 9/11');
await page.click('button[data-tuning="triple_momentum"]');
check(await page.inputValue('#family') === 'tmm', 'the triple-momentum jump selects the family');
await compare('triple momentum', ['--method', 'tmm', '--kappa', '100']);

// 6. the URL carries the state: reload it and read the same numbers
const url = page.url();
const rhoBefore = await shown('out-rho');
await page.goto('about:blank');
await page.goto(url);
await page.waitForSelector('body[data-ready="1"]');
check(await shown('out-rho') === rhoBefore && await page.inputValue('#family') === 'tmm', 'the shared URL restores the setting');

// 6b. QHM through the form, its certified rate, the overlay on the canvas, its state in the URL
const overlayReady = () => page.waitForFunction(() => document.getElementById('timing').dataset.certKey, null, { timeout: 60000 });
/** Pixels of the map canvas within 40 (sum of |Δ|) of an RGB colour. */
const pixels = (rgb) => page.$eval('#map', (c, rgb) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let k = 0;
  for (let o = 0; o < d.length; o += 4) if (Math.abs(d[o] - rgb[0]) + Math.abs(d[o + 1] - rgb[1]) + Math.abs(d[o + 2] - rgb[2]) < 40) k++;
  return k;
}, rgb);
const certCli = (args) => JSON.parse(execFileSync(bin, ['certify', ...args, '--json']).toString());
async function compareCertified(label, args) {
  const want = certCli(args);
  const got = await shown('out-cert');
  check(got.available && got.certified === want.certified, `${label}: certified ${JSON.stringify(got)} vs CLI ${want.certified}`);
  check(want.rate === null ? got.rate === null : close(got.rate, want.rate), `${label}: certified rate ${got.rate} vs CLI ${want.rate}`);
  const text = await page.$eval('#out-cert', (e) => e.textContent);
  check(want.rate === null ? /none below 1/.test(text) : close(Number(text), want.rate, 1e-7), `${label}: shown certified rate '${text}'`);
  console.log(`${label}: certified rate = ${text} (CLI ${want.rate})`);
}
await open('family=hb&convention=canonical&lr=0.02&momentum=0.5&spectrum=interval&mu=1&L=100&grid=256&hmax=4&steps=150');
await compareCertified('heavy ball', ['--method', 'hb', '--lr', '0.02', '--momentum', '0.5', '--mu', '1', '--L', '100']);
await page.selectOption('#family', 'qhm');
check(await page.isVisible('#nu') && await page.inputValue('#convention') === 'canonical', 'QHM shows nu and takes its own arguments');
await page.fill('#lr', '0.04');
await page.fill('#momentum', '0.8');
await page.fill('#nu', '0.7');
const qhmArgs = ['--convention', 'qhm', '--lr', '0.04', '--momentum', '0.8', '--nu', '0.7', '--mu', '1', '--L', '100'];
await compare('QHM (lr 0.04, beta 0.8, nu 0.7)', qhmArgs);
const qp = await shown('out-point');
const qc = cli(qhmArgs);
check(close(qp.step, qc.method.step) && close(qp.momentum, qc.method.momentum) && close(qp.lookahead, qc.method.lookahead),
  `QHM point ${JSON.stringify(qp)} vs CLI method ${JSON.stringify(qc.method)}`);
await compareCertified('QHM', qhmArgs);
await overlayReady();
const outline = await pixels([0, 229, 255]);
check(outline > 200, `the certified outline is drawn (${outline} cyan pixels)`);
check(/certified overlay 48×48 \(\d+ stable cells, \d+ certified, \d+ with a verified cycle, \d+ undecided\) in/.test(await page.$eval('#timing', (e) => e.textContent)), 'the overlay timing is shown');
// drag the point in QHM's plane: ν stays, lr and β follow, the CLI agrees
{
  const qbox = await page.$eval('#map', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  await page.mouse.move(qbox.x + qbox.w * 0.2, qbox.y + qbox.h * 0.3);
  await page.mouse.down();
  await page.mouse.move(qbox.x + qbox.w * 0.18, qbox.y + qbox.h * 0.35, { steps: 5 });
  await page.mouse.up();
  const [dlr, dmom] = [await page.inputValue('#lr'), await page.inputValue('#momentum')];
  check(dlr !== '0.04' && dmom !== '0.8' && await page.inputValue('#nu') === '0.7' && await page.inputValue('#family') === 'qhm', `QHM drag: lr ${dlr}, beta ${dmom}`);
  const dp = await shown('out-point');
  check(close(dp.step, Number(dlr) * (1 - Number(dmom)), 1e-9) && close(dp.momentum, Number(dmom)), `QHM drag: step ${dp.step} = lr(1 - beta)`);
  await compare('QHM after the drag', ['--convention', 'qhm', '--lr', dlr, '--momentum', dmom, '--nu', '0.7', '--mu', '1', '--L', '100']);
  await page.fill('#lr', '0.04');
  await page.fill('#momentum', '0.8');
}
await page.fill('#nu', '0.3'); // a new plane: the overlay is computed again
await page.fill('#lr', '0.02');
await overlayReady();
await compare('QHM (lr 0.02, nu 0.3)', ['--convention', 'qhm', '--lr', '0.02', '--momentum', '0.8', '--nu', '0.3', '--mu', '1', '--L', '100']);
await page.selectOption('#overlay', 'colour');
await overlayReady();
const grey = await pixels([200, 200, 206]);
check(await pixels([0, 229, 255]) < outline / 4, 'colour mode replaces the outline');
console.log(`QHM overlay: ${outline} outline pixels; colour mode ${grey} uncertified-grey pixels`);
const qurl = page.url();
check(/family=qhm/.test(qurl) && /nu=0.3/.test(qurl) && /overlay=colour/.test(qurl) && /cgrid=48/.test(qurl), `the URL holds QHM, nu and the overlay: ${qurl}`);
await page.goto('about:blank');
await page.goto(qurl);
await page.waitForSelector('body[data-ready="1"]');
check(await page.inputValue('#family') === 'qhm' && await page.inputValue('#nu') === '0.3' && await page.inputValue('#overlay') === 'colour',
  'the shared URL restores QHM, nu and the overlay');
await overlayReady();
mkdirSync(dirname(shot), { recursive: true });
await page.screenshot({ path: shot.replace(/\.png$/, '-qhm.png'), fullPage: true });
for (const [value, want] of [['1.5', /nu must be in \[0, 1\], got 1.5/], ['-0.2', /nu must be in \[0, 1\]/], ['abc', /nu = 'abc' is not a number/], ['', /nu is empty/]]) {
  await page.fill('#nu', value);
  const m = await message();
  check(want.test(m), `QHM nu = '${value}': message '${m}'`);
}
await page.fill('#nu', '0.7');
await page.fill('#momentum', '1');
check(/beta must be in \[0, 1\)/.test(await message()), `QHM beta = 1: message '${await message()}'`);
await page.fill('#momentum', '0.8');
check(await message() === '', 'the QHM message clears');
// a list has no certificate: said in the panel, not an error
await page.selectOption('#family', 'hb');
await page.check('input[name=spectrum][value=list]');
await page.fill('#eigenvalues', '1 5 100');
check(/F\(mu, L\)/.test((await shown('out-cert')).reason ?? '') && await message() === '', 'a list: no certificate, said in the panel');

// 6b. the schedule panel: optax heavy ball under warmup + cosine, compared with `momentum bound
// --lr-schedule` on the same call; a bad call is a message in the panel
await open('family=hb&convention=optax&lr=3&momentum=0.9&spectrum=interval&mu=0.01&L=1&steps=300&sched_shape=warmup_cosine&sched_warmup=30');
const call = await page.inputValue('#sched_call');
check(call === 'warmup_cosine_decay_schedule(0, 3, 30, 300)', `the panel's call: ${call}`);
const sched = await shown('sched-out');
const want = JSON.parse(execFileSync(bin, ['bound', '--convention', 'optax', '--momentum', '0.9', '--mu', '0.01', '--L', '1',
  '--lr-schedule', call, '--steps', '300', '--json']).toString());
for (const k of ['worst_factor', 'worst_lambda', 'at_mu', 'at_L', 'peak_factor', 'peak_lambda']) {
  check(close(sched[k], want[k], 1e-13), `schedule panel ${k}: ${sched[k]} vs CLI ${want[k]}`);
}
check(sched.interior === want.interior && sched.peak_step === want.peak_step, 'schedule panel: interior flag and peak step');
console.log(`schedule panel: worst ${sched.worst_factor} at lambda ${sched.worst_lambda} (CLI ${want.worst_factor} at ${want.worst_lambda})`);
await page.screenshot({ path: shot.replace(/\.png$/, '-schedule.png'), fullPage: true });
await page.selectOption('#sched_shape', 'custom');
await page.fill('#sched_call', 'warmup_cosine_decay_schedule(0, 3)');
const serr = await page.$eval('#sched-out', (e) => ({ text: e.textContent, cls: e.className }));
check(serr.cls === 'error' && /needs `warmup_steps`/.test(serr.text), `a bad schedule call: '${serr.text}'`);
check(await message() === '', 'a bad schedule leaves the rest of the page alone');
await page.fill('#sched_call', 'cyclic(0.5, 2.5, 1)');
check(await page.$eval('#sched-out', (e) => e.className) === '', 'the schedule message clears');

// 6c. the batch-size control: the mean-square stable steps at the point against `analyze --batch`
await open('family=hb&convention=canonical&lr=0.002&momentum=0.5&spectrum=interval&mu=1&L=100&batch=4&data_dim=100');
const msp = await shown('out-ms');
const msw = cli(['--method', 'hb', '--lr', '0.002', '--momentum', '0.5', '--mu', '1', '--L', '100', '--data-dim', '100', '--batch', '4']).minibatch;
check(msp !== null && close(msp.hi, msw.stable_lr.hi, 1e-12) && close(msp.lo, msw.stable_lr.lo), `mean-square edge at B = 4: ${JSON.stringify(msp)} vs CLI ${JSON.stringify(msw.stable_lr)}`);
console.log(`batch control: mean-square stable α < ${msp?.hi} at B = 4 (CLI ${msw.stable_lr.hi}); full batch < ${(await shown('out-lr')).hi}`);
await page.screenshot({ path: shot.replace(/\.png$/, '-batch.png'), fullPage: true });
await page.fill('#batch', '0');
check(/batch size B = 0 must be a whole number >= 1|batch/.test(await message()), `B = 0: message '${await message()}'`);
await page.fill('#batch', '');
check(await message() === '' && await page.$eval('#row-ms', (e) => e.hidden), 'a blank batch hides the row and clears the message');

// 7. bad input: a message on the page, never a blank page or an exception
await open('family=hb&convention=canonical&lr=0.02&momentum=0.5&spectrum=interval&mu=1&L=100');
const bad = [
  ['#mu', '1000', /mu <= L/],
  ['#mu', 'NaN', /mu must be a finite number/],
  ['#mu', 'abc', /mu = 'abc' is not a number/],
  ['#lr', '-0.1', /step|lr/],
];
for (const [sel, value, want] of bad) {
  const keep = await page.inputValue(sel);
  await page.fill(sel, value);
  const m = await message();
  check(want.test(m), `bad ${sel} = ${value}: message '${m}'`);
  await page.fill(sel, keep);
  check(await message() === '', `the message clears after ${sel} is fixed`);
}
await page.check('input[name=spectrum][value=list]');
for (const [value, want] of [['', /empty/], ['1, 2, three', /'three' is not a number/], ['0, -1e-300', /no curvature above the flat tolerance/]]) {
  await page.fill('#eigenvalues', value);
  const m = await message();
  check(want.test(m), `eigenvalues '${value}': message '${m}'`);
}
// the CLI's input: an eigensolver's zero and a saddle are set apart, as analyze sets them apart
await page.fill('#eigenvalues', '-1e-15, -0.5, 0.01, 30');
check(await message() === '', 'flat and saddle eigenvalues are accepted');
const notes = await page.$eval('#notes', (e) => e.textContent);
check(/1 flat/.test(notes) && /1 negative \(saddle/.test(notes), `the split is in the notes: ${notes}`);
check(await page.$eval('#map', (e) => e.width > 0) && await page.isVisible('#controls'), 'the page is still there');
// a trap in the module (a deliberate panic through the page's own loader) is an Error, and the page
// carries on: the loader starts a fresh instance at once
const panicked = await page.evaluate(async () => {
  const lib = await import('./momentum.js');
  try { lib.test_panic(); return 'no error'; } catch (e) { return e instanceof Error ? e.message : `not an Error: ${e}`; }
});
check(/^internal error in the WebAssembly module \(.*a deliberate panic/.test(panicked), `a panic is an Error: '${panicked}'`);
await page.check('input[name=spectrum][value=interval]');
await page.fill('#lr', '0.025');
check(await message() === '', `the page carries on after a panic: '${await message()}'`);
await compare('after a panic', ['--method', 'hb', '--lr', '0.025', '--momentum', '0.5', '--mu', '1', '--L', '100']);
check(problems.length === 0, `no console error or uncaught exception: ${problems.join(' | ')}`);

// 9. the optimizers beyond two steps: each through the form against `analyze --convention X
// --json` (ρ, worst λ, stable lr, every stable h interval, the transient), its certificate or the
// library's refusal against `certify --convention X`, its map drawn with the point as a mark;
// bad input shows the library's message
const certifyCli = (args) => {
  const r = spawnSync(bin, ['certify', ...args, '--json'], { encoding: 'utf8' });
  return r.status === 0 ? { doc: JSON.parse(r.stdout) } : { refused: r.stderr.trim().replace(/^error: /, '') };
};
const ZOO_CASES = [
  ['ademamix', 'lr=1&momentum=0.9&b3=0.99&alpha=5&spectrum=interval&mu=1&L=20', ['--lr', '1', '--momentum', '0.9', '--b3', '0.99', '--alpha', '5', '--mu', '1', '--L', '20']],
  ['lookahead', 'lr=3&momentum=0.9&sync_period=5&slow_step=0.5&nesterov=false&spectrum=interval&mu=1&L=1', ['--lr', '3', '--momentum', '0.9', '--sync-period', '5', '--slow-step', '0.5', '--mu', '1', '--L', '1']],
  ['schedule_free', 'lr=10&momentum=0.9&spectrum=interval&mu=1&L=1', ['--lr', '10', '--momentum', '0.9', '--mu', '1', '--L', '1']],
  ['aggmo', 'lr=0.1&momenta=0, 0.9, 0.99&spectrum=interval&mu=1&L=10', ['--lr', '0.1', '--momenta', '0,0.9,0.99', '--mu', '1', '--L', '10']],
  ['sam', 'lr=0.1&momentum=0.9&rho=0.05&nesterov=true&spectrum=interval&mu=1&L=10', ['--lr', '0.1', '--momentum', '0.9', '--rho', '0.05', '--nesterov', '--mu', '1', '--L', '10']],
];
for (const [conv, hash, args] of ZOO_CASES) {
  await open(`convention=${conv}&${hash.replaceAll(' ', '%20')}`);
  const flags = ['--convention', conv, ...args];
  const want = cli(flags);
  check(await message() === '', `${conv}: no message, got '${await message()}'`);
  check(close(await shown('zoo-rho'), want.spectral_radius), `${conv}: rho ${await shown('zoo-rho')} vs CLI ${want.spectral_radius}`);
  check(close(await shown('zoo-worst'), want.worst_lambda), `${conv}: worst lambda`);
  check((await shown('zoo-stable')) === want.stable, `${conv}: stable`);
  const lr = await shown('zoo-lr');
  check(JSON.stringify(lr) === JSON.stringify(want.stable_lr), `${conv}: stable lr ${JSON.stringify(lr)} vs ${JSON.stringify(want.stable_lr)}`);
  const h = await shown('zoo-h');
  check(JSON.stringify(h) === JSON.stringify(want.stable_h), `${conv}: stable h ${JSON.stringify(h)} vs ${JSON.stringify(want.stable_h)}`);
  const order = await shown('zoo-order');
  check(order.order === want.order && order.period === want.period, `${conv}: order ${JSON.stringify(order)}`);
  const tr = await page.$eval('#zoo-transient-row', (e) => !e.hidden);
  check(tr === (want.transient !== undefined), `${conv}: transient row shown iff the CLI has one`);
  if (want.transient) check(JSON.stringify(await shown('zoo-transient')) === JSON.stringify(want.transient), `${conv}: transient`);
  const notes = await page.$$eval('#notes li', (l) => l.map((e) => e.textContent));
  check(JSON.stringify(notes) === JSON.stringify(want.notes), `${conv}: notes ${JSON.stringify(notes)}`);
  // hidden: the two-step fields and panels
  for (const id of ['family', 'nu', 'dampening', 'lookahead', 'readout', 'roots', 'run', 'sched']) {
    check(await page.$eval(`#${id}`, (e) => e.closest('[hidden]') !== null || e.offsetParent === null), `${conv}: #${id} hidden`);
  }
  const own = { ademamix: ['b3', 'alpha', 'momentum'], lookahead: ['sync_period', 'slow_step', 'momentum', 'nesterov'],
    schedule_free: ['momentum'], aggmo: ['momenta'], sam: ['rho', 'momentum', 'nesterov'] }[conv];
  for (const id of ['b3', 'alpha', 'sync_period', 'slow_step', 'momenta', 'rho', 'nesterov', 'momentum']) {
    const visible = await page.$eval(`#${id}`, (e) => e.offsetParent !== null);
    check(visible === own.includes(id), `${conv}: #${id} ${visible ? 'shown' : 'hidden'}`);
  }
  const c = certifyCli(flags);
  const got = await shown('zoo-cert');
  if (c.doc) check(got !== null && close(got.rate, c.doc.rate) && got.verdict === c.doc.verdict, `${conv}: certified rate ${got?.rate} vs CLI ${c.doc.rate}`);
  else check(got !== null && got.refused === c.refused, `${conv}: the refusal '${got?.refused}' vs CLI '${c.refused}'`);
  // the map: the point as a mark, its rate the readout's (the library's map at the point's lr and y)
  const t = JSON.parse(await page.$eval('#timing', (e) => e.dataset.value));
  check(t.marks.length === 1 && close(t.marks[0].rate, want.spectral_radius, 1e-12), `${conv}: the map's mark ${JSON.stringify(t.marks)}`);
  await page.screenshot({ path: shot.replace(/\.png$/, `-${conv}.png`), fullPage: true });
}
// a drag on AdEMAMix's map moves lr and β₁; the readout follows (the CLI at the new values)
await open('convention=ademamix&lr=1&momentum=0.9&b3=0.99&alpha=5&spectrum=interval&mu=1&L=20');
{
  const box = await page.$eval('#map', (e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; });
  await page.mouse.click(box[0] + 0.3 * box[2], box[1] + 0.4 * box[3]);
  const [lr, b1] = [await page.inputValue('#lr'), await page.inputValue('#momentum')];
  check(lr !== '1' && b1 !== '0.9', `ademamix drag moved the point: lr ${lr}, beta1 ${b1}`);
  const want = cli(['--convention', 'ademamix', '--lr', lr, '--momentum', b1, '--b3', '0.99', '--alpha', '5', '--mu', '1', '--L', '20']);
  check(close(await shown('zoo-rho'), want.spectral_radius), `ademamix after the drag: rho ${await shown('zoo-rho')} vs CLI ${want.spectral_radius}`);
}
// bad input: the library's message on the page, word for word the CLI's where the CLI reads it
for (const [conv, hash, args] of [
  ['ademamix', 'lr=0.1&momentum=0.9&b3=1&alpha=5', ['--lr', '0.1', '--momentum', '0.9', '--b3', '1', '--alpha', '5']],
  ['lookahead', 'lr=0.1&momentum=0.9&sync_period=0&slow_step=0.5', ['--lr', '0.1', '--momentum', '0.9', '--sync-period', '0', '--slow-step', '0.5']],
  ['aggmo', 'lr=0.1&momenta=0.5', null],
  ['sam', 'lr=0.1&momentum=0.9&rho=-1', ['--lr', '0.1', '--momentum', '0.9', '--rho', '-1']],
]) {
  await open(`convention=${conv}&${hash}&spectrum=interval&mu=1&L=10`);
  if (conv === 'aggmo') await page.fill('#momenta', ''); // an empty field is left out of the link
  const msg = await message();
  check(msg !== '' && !/NaN|undefined/.test(msg), `${conv} bad input shows a message: '${msg}'`);
  if (args) {
    const r = spawnSync(bin, ['analyze', '--convention', conv, ...args, '--mu', '1', '--L', '10'], { encoding: 'utf8' });
    check(r.status !== 0 && r.stderr.trim() === `error: ${msg}`, `${conv}: page '${msg}' vs CLI '${r.stderr.trim()}'`);
  }
  const cells = await page.$$eval('#zoo-readout td', (l) => l.map((e) => e.textContent));
  check(cells.every((x) => !/NaN|undefined/.test(x)), `${conv}: no NaN in the readout`);
}
check(problems.length === 0, `no console error or uncaught exception (optimizers): ${problems.join(' | ')}`);

// 8. the screenshot (a clean setting), and the map benchmark
// heavy ball: its certified region is visibly smaller than its stable one (Lessard et al. 2016)
await open('family=hb&convention=canonical&lr=0.013&momentum=0.6&spectrum=interval&mu=1&L=100&grid=512&hmax=4&steps=150&overlay=outline&cgrid=64&sched_shape=warmup_cosine&sched_warmup=15&batch=16&data_dim=100');
await overlayReady();
await page.screenshot({ path: shot, fullPage: true });
await open('family=nag&convention=canonical&lr=0.009&momentum=0.8&spectrum=interval&mu=1&L=100&grid=512&hmax=4&steps=150&overlay=off');
const bench = {};
for (const [n, reps] of [[128, 21], [512, 7]]) bench[n] = await page.evaluate(([n, r]) => window.explorer.benchMap(n, r), [n, reps]);
console.log(`browser map (Nesterov, [1, 100], step (0, 0.04], momentum (-1, 1), compute + paint, median): 128x128 ${bench[128].toFixed(2)} ms, 512x512 ${bench[512].toFixed(2)} ms`);
const cbench = {};
for (const n of [32, 48, 64]) cbench[n] = await page.evaluate((n) => window.explorer.benchCertified(n, 3), n);
console.log('browser certified overlay (same map, CertifiedMap: rates and the cycle walk, median of 3): ' +
  [32, 48, 64].map((n) => `${n}x${n} ${cbench[n].ms.toFixed(0)} ms (${cbench[n].stable} stable, ${cbench[n].certified} certified)`).join(', '));
// the native figure next to it: `momentum map --json`'s own "seconds" on the same grids (fastest of
// 3; a summary, rayon; as fast as MOMENTUM_BIN's build: give a release binary for the real figure)
const native = {};
for (const n of [128, 512]) {
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(bin, ['map', '--method', 'nag', '--mu', '1', '--L', '100', '--lr-max', '0.04', '--grid', String(n), '--json']).toString()).seconds * 1e3);
  native[n] = Math.min(...runs);
}
console.log(`native momentum map (${bin}): 128x128 ${native[128].toFixed(2)} ms, 512x512 ${native[512].toFixed(2)} ms`);

await browser.close();
server.kill();
rmSync(profile, { recursive: true, force: true });
console.log(`${checks - failures}/${checks} browser checks passed; screenshot ${shot}`);
process.exit(failures ? 1 : 0);
