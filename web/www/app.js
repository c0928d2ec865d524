// The explorer: every number comes from the momentum library (wasm); this file only draws.
import init, * as lib from './momentum.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['family', 'convention', 'lr', 'momentum', 'lookahead', 'nu', 'dampening', 'weight_decay',
  'mu', 'L', 'kappa', 'eigenvalues', 'grid', 'hmax', 'steps', 'overlay', 'cgrid',
  'sched_shape', 'sched_warmup', 'sched_call', 'batch', 'data_dim',
  'b3', 'alpha', 'sync_period', 'slow_step', 'momenta', 'rho', 'nesterov', 'zoo_axis'];
// the optimizers beyond two steps (order n): their own panel, answered by analyze_setting,
// certify_setting and zoo_map (the library's `analyze|certify|map --convention X`)
const ZOO = ['ademamix', 'lookahead', 'schedule_free', 'aggmo', 'sam'];
const isZoo = (s) => ZOO.includes(s.convention);
const ZOO_MOMENTUM = { ademamix: 'β₁ (fast EMA)', lookahead: 'inner momentum', schedule_free: 'b₁ (momentum)',
  sam: 'base momentum' };
const ZOO_NAMES = { ademamix: 'AdEMAMix', lookahead: 'Lookahead', schedule_free: 'schedule-free SGD', aggmo: 'AggMo', sam: 'SAM' };
// momentum axis of the map: QHM's β lies in [0, 1)
const betaRange = (family) => (family === 'qhm' ? [0, 1] : [-1, 1]);
const FAMILY_NAMES = { gd: 'gradient descent', hb: 'heavy ball', nag: 'Nesterov',
  tmm: 'triple momentum (its fixed lookahead γ)', lookahead: 'general lookahead (fixed γ)', qhm: 'QHM' };
const CERT_OUTLINE = '#00e5ff';
const NOT_CERTIFIED = [200, 200, 206]; // undecided: stable on quadratics, no certificate, no cycle found
const COUNTEREXAMPLE = [200, 30, 60]; // stable on quadratics, a verified cycle on some f ∈ F(μ, L)
// viridis at 10 evenly spaced stops
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779',
  '#6ece58', '#b5de2b', '#fde725'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
const UNSTABLE = [58, 58, 64];

function colour(t) {
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

const fmt = (x, d = 6) => (x === null || x === undefined) ? '—'
  : (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6) || x === 0 ? String(Number(x.toPrecision(d)))
    : x.toExponential(d - 1);

function setValue(el, text, value) {
  el.textContent = text;
  if (value === undefined) el.removeAttribute('data-value'); else el.dataset.value = JSON.stringify(value);
}

// ---- state <-> inputs <-> URL ---------------------------------------------------------------
function state() {
  const s = {};
  for (const f of FIELDS) s[f] = $(f).value;
  s.spectrum = document.querySelector('input[name=spectrum]:checked').value;
  return s;
}

function loadFromUrl() {
  const p = new URLSearchParams(location.hash.slice(1));
  for (const f of FIELDS) {
    if (!p.has(f)) continue;
    const el = $(f);
    if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === p.get(f))) continue;
    el.value = p.get(f);
  }
  const sp = p.get('spectrum');
  const radio = document.querySelector(`input[name=spectrum][value="${sp}"]`);
  if (radio) radio.checked = true;
}

function saveToUrl(s) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== '') p.set(k, v);
  history.replaceState(null, '', '#' + p.toString());
}

function showFields(s) {
  document.querySelectorAll('.two-step.only-interval').forEach((e) => { e.hidden = false; });
  const show = (cls, on) => document.querySelectorAll('.' + cls).forEach((e) => { e.hidden = !on; });
  const zoo = isZoo(s);
  show('two-step', !zoo);
  show('only-zoo', zoo);
  show('only-ademamix', s.convention === 'ademamix');
  show('only-lookahead-opt', s.convention === 'lookahead');
  show('only-aggmo', s.convention === 'aggmo');
  show('only-sam', s.convention === 'sam');
  show('only-zoo-nesterov', s.convention === 'lookahead' || s.convention === 'sam');
  show('only-zoo-axis', s.convention === 'ademamix' || s.convention === 'lookahead');
  show('has-momentum', s.convention !== 'aggmo');
  $('momentum-label').textContent = zoo ? ZOO_MOMENTUM[s.convention] : 'momentum';
  if (zoo) {
    if (!(s.convention === 'ademamix' && s.zoo_axis === 'b3') && !(s.convention === 'lookahead' && s.zoo_axis === 'slow_step')) $('zoo_axis').value = 'momentum';
    ['only-lookahead', 'only-qhm', 'only-pytorch', 'only-framework'].forEach((c) => show(c, false));
    $('lr-label').textContent = 'learning rate';
    $('lr').disabled = $('momentum').disabled = false;
    show('only-interval', s.spectrum === 'interval');
    show('only-kappa', s.spectrum === 'kappa');
    show('only-list', s.spectrum === 'list');
    document.querySelectorAll('.two-step.only-interval').forEach((e) => { e.hidden = true; });
    return;
  }
  show('only-lookahead', s.family === 'lookahead');
  show('only-qhm', s.family === 'qhm');
  show('only-pytorch', s.convention === 'pytorch');
  show('only-framework', s.convention !== 'canonical');
  show('only-interval', s.spectrum === 'interval');
  show('only-kappa', s.spectrum === 'kappa');
  show('only-list', s.spectrum === 'list');
  const ownLr = s.convention !== 'canonical' || s.family === 'qhm';
  $('lr-label').textContent = ownLr ? 'learning rate' : 'step α';
  document.querySelectorAll('.lrname').forEach((e) => { e.textContent = ownLr ? 'learning rate' : 'step'; });
  $('lr').disabled = $('momentum').disabled = s.family === 'tmm';
  $('momentum').disabled ||= s.family === 'gd';
}

// ---- messages --------------------------------------------------------------------------------
function showError(msg) {
  $('message').textContent = String(msg);
  $('message').hidden = false;
  document.body.classList.add('has-error');
}
function clearError() {
  $('message').hidden = true;
  $('message').textContent = '';
  document.body.classList.remove('has-error');
}

// ---- the map ---------------------------------------------------------------------------------
const MAP = { left: 62, right: 96, top: 12, bottom: 96 };
let view = null; // {stepMax, beta:[lo,hi], plot:{x,y,w,h}}
let mapCache = { key: null, image: null, n: 0, ms: 0 };
let certCache = { key: null, cert: null, ms: 0 };
let certPending = null; // the overlay is computed after the map is shown (it costs ~0.1 ms a cell)

function plotBox(c) {
  return { x: MAP.left, y: MAP.top, w: c.width - MAP.left - MAP.right, h: c.height - MAP.top - MAP.bottom };
}
const toPx = (v, a, b) => [v.plot.x + (a / v.stepMax) * v.plot.w,
  v.plot.y + (1 - (b - v.beta[0]) / (v.beta[1] - v.beta[0])) * v.plot.h];
const fromPx = (v, x, y) => [((x - v.plot.x) / v.plot.w) * v.stepMax,
  v.beta[0] + (1 - (y - v.plot.y) / v.plot.h) * (v.beta[1] - v.beta[0])];

/** Compute the radii and paint them into an n×n image (timed: the benchmark's number). */
function computeMap(q, stepMax, n, beta) {
  const t0 = performance.now();
  const radii = lib.map(q, stepMax, beta[0], beta[1], n, n);
  let rmin = 1;
  for (let k = 0; k < radii.length; k++) if (radii[k] < rmin) rmin = radii[k];
  if (rmin > 0.999) rmin = 0.999;
  const span = 1 - rmin;
  const img = new ImageData(n, n);
  for (let j = 0; j < n; j++) {
    const row = n - 1 - j; // momentum grows upwards
    for (let i = 0; i < n; i++) {
      const r = radii[j * n + i];
      const c = r < 1 ? colour((r - rmin) / span) : UNSTABLE;
      const o = 4 * (row * n + i);
      img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext('2d').putImageData(img, 0, 0);
  return { image: off, ms: performance.now() - t0, rmin };
}

/** The certified rate on F(μ, L) at the centres of an n×n grid (timed: skips unstable cells). */
function computeCertified(q, stepMax, n, beta) {
  const t0 = performance.now();
  const cert = JSON.parse(lib.certified_map(q, stepMax, beta[0], beta[1], n));
  return { cert, ms: performance.now() - t0 };
}

/** Colour mode: paint the coarse cells by certified rate on the map's colour scale. */
function paintCertified(ctx, v, cert, rmin) {
  const n = cert.n, img = new ImageData(n, n), span = 1 - rmin;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const k = j * n + i, r = cert.rates[k];
      const z = cert.zones[k]; // 0 unstable on quadratics, 1 counterexample, 2 undecided, 3 certified
      const c = r !== null ? colour((r - rmin) / span) : z === 1 ? COUNTEREXAMPLE : z === 2 ? NOT_CERTIFIED : UNSTABLE;
      const o = 4 * ((n - 1 - j) * n + i);
      img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, v.plot.x, v.plot.y, v.plot.w, v.plot.h);
}

/** Outline mode: the boundary of the certified cells, along cell edges (dark under cyan). */
function outlineCertified(ctx, v, cert) {
  const n = cert.n, on = (i, j) => i >= 0 && j >= 0 && i < n && j < n && cert.rates[j * n + i] !== null;
  const cw = v.plot.w / n, ch = v.plot.h / n;
  const X = (i) => v.plot.x + i * cw, Y = (j) => v.plot.y + v.plot.h - j * ch; // j: momentum row edge
  ctx.beginPath();
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (!on(i, j)) continue;
      if (!on(i - 1, j)) { ctx.moveTo(X(i), Y(j)); ctx.lineTo(X(i), Y(j + 1)); }
      if (!on(i + 1, j)) { ctx.moveTo(X(i + 1), Y(j)); ctx.lineTo(X(i + 1), Y(j + 1)); }
      if (!on(i, j - 1)) { ctx.moveTo(X(i), Y(j)); ctx.lineTo(X(i + 1), Y(j)); }
      if (!on(i, j + 1)) { ctx.moveTo(X(i), Y(j + 1)); ctx.lineTo(X(i + 1), Y(j + 1)); }
    }
  }
  ctx.setLineDash([]);
  ctx.lineCap = 'square';
  ctx.strokeStyle = 'rgba(0,0,0,0.75)'; ctx.lineWidth = 4.5; ctx.stroke();
  ctx.strokeStyle = CERT_OUTLINE; ctx.lineWidth = 2; ctx.stroke();
  ctx.lineCap = 'butt';
}

function drawPolyline(ctx, v, pts) {
  ctx.beginPath();
  pts.forEach(([a, b], k) => { const [x, y] = toPx(v, a, b); if (k) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
  ctx.stroke();
}

function drawMap(q, a, s) {
  const c = $('map');
  const ctx = c.getContext('2d');
  const n = Number(s.grid);
  const hmax = Number(s.hmax);
  if (!(hmax > 0) || !Number.isFinite(hmax)) throw new Error(`step axis αL = '${s.hmax}' must be a number > 0`);
  let stepMax = hmax / a.map_spectrum[1];
  if (a.point.step > stepMax) stepMax = 1.1 * a.point.step;
  const beta = betaRange(s.family);
  const v = { stepMax, beta, plot: plotBox(c) };
  view = v;
  const planeKey = [a.family, a.map_spectrum, q.includes('"list"') ? s.eigenvalues : '', stepMax,
    s.convention, s.dampening, s.weight_decay];
  const key = JSON.stringify([...planeKey, n]);
  if (mapCache.key !== key) {
    const m = computeMap(q, stepMax, n, beta);
    mapCache = { key, image: m.image, n, ms: m.ms, rmin: m.rmin };
  }
  let timing = `map ${n}×${n} computed and painted in ${mapCache.ms.toFixed(1)} ms`;
  let cert = null;
  const cn = Number(s.cgrid);
  if (s.overlay !== 'off') {
    const ckey = JSON.stringify([...planeKey, cn]);
    if (certCache.key === ckey) {
      cert = certCache.cert;
      timing += cert.available
        ? `; certified overlay ${cn}×${cn} (${cert.stable_cells} stable cells, ${cert.certified_cells} certified, ${cert.counterexample_cells} with a verified cycle, ${cert.undecided_cells} undecided) in ${certCache.ms.toFixed(0)} ms`
        : `; no certified overlay: ${cert.reason}`;
    } else {
      timing += `; certified overlay ${cn}×${cn}: computing…`;
      if (certPending !== ckey) {
        certPending = ckey;
        setTimeout(() => guarded(() => {
          if (certPending !== ckey) return;
          certCache = { key: ckey, ...computeCertified(q, stepMax, cn, beta) };
          certPending = null;
          update();
        }), 0);
      }
    }
  }
  $('timing').textContent = timing;
  $('timing').dataset.certKey = cert ? certCache.key : '';
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(mapCache.image, v.plot.x, v.plot.y, v.plot.w, v.plot.h);
  const mode = cert?.available ? s.overlay : 'off';
  if (mode === 'colour') paintCertified(ctx, v, cert, mapCache.rmin);
  // overlays: exact curves from the library
  const ov = JSON.parse(lib.overlays(q, stepMax, beta[0], beta[1], 400));
  ctx.save();
  ctx.beginPath(); ctx.rect(v.plot.x, v.plot.y, v.plot.w, v.plot.h); ctx.clip();
  if (mode === 'outline') outlineCertified(ctx, v, cert);
  ctx.lineWidth = 2.2; ctx.strokeStyle = '#ff4d4d'; ctx.setLineDash([]);
  ov.edges.forEach((p) => drawPolyline(ctx, v, p));
  ctx.lineWidth = 1.6; ctx.setLineDash([6, 4]);
  ctx.strokeStyle = '#ffffff'; ov.critical_lo.forEach((p) => drawPolyline(ctx, v, p));
  ctx.strokeStyle = '#ff9f1c'; ov.critical_hi.forEach((p) => drawPolyline(ctx, v, p));
  ctx.setLineDash([]);
  const ms = minibatchEdge(q, s, beta);
  if (ms) {
    ctx.lineWidth = 2.4; ctx.strokeStyle = '#e4007c'; ctx.setLineDash([2, 3]);
    let run = [];
    const flush = () => { if (run.length > 1) drawPolyline(ctx, v, run); run = []; };
    ms.betas.forEach((b, i) => { if (ms.hi[i] === null) flush(); else run.push([ms.hi[i], b]); });
    flush();
    ctx.setLineDash([]);
    ctx.fillStyle = '#e4007c'; ctx.font = 'bold 12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
    ctx.fillText(`dotted: mean-square edge, B = ${s.batch}`, v.plot.x + 22, v.plot.y + 4);
  }
  // the point
  const [px, py] = toPx(v, a.point.step, a.point.momentum);
  ctx.fillStyle = '#ffffff'; ctx.strokeStyle = '#000'; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.arc(px, py, 7, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
  ctx.fillStyle = '#e4007c'; ctx.beginPath(); ctx.arc(px, py, 3, 0, 2 * Math.PI); ctx.fill();
  ctx.restore();
  drawAxes(ctx, v, s);
  drawColourBar(ctx, c, mapCache.rmin, mode);
  const note = s.overlay === 'off' ? 'certified overlay off (View: certified overlay)'
    : cert === null ? 'certified overlay: computing…' : `no certified overlay: ${cert.reason}`;
  drawLegend(ctx, v, mode, note, cn);
}

function niceTicks(lo, hi, k = 5) {
  const span = hi - lo, step0 = span / k, mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= step0);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12 * span; t += step) out.push(Number(t.toPrecision(10)));
  return out;
}

function drawAxes(ctx, v, s, labels = null) {
  const p = v.plot;
  ctx.strokeStyle = '#333'; ctx.lineWidth = 1; ctx.strokeRect(p.x, p.y, p.w, p.h);
  ctx.fillStyle = '#222'; ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (const t of niceTicks(0, v.stepMax)) {
    const [x] = toPx(v, t, 0);
    ctx.beginPath(); ctx.moveTo(x, p.y + p.h); ctx.lineTo(x, p.y + p.h + 4); ctx.stroke();
    ctx.fillText(fmt(t, 3), x, p.y + p.h + 6);
  }
  ctx.font = '13px system-ui, sans-serif';
  const xlabel = labels ? labels[0] : s.family === 'qhm' ? `step α = lr(1 − β) (canonical), QHM at ν = ${s.nu}`
    : 'step α (canonical)' + (s.convention === 'canonical' ? '' : ' — the framework runs this α');
  ctx.fillText(xlabel, p.x + p.w / 2, p.y + p.h + 24);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  for (const t of niceTicks(v.beta[0], v.beta[1])) {
    const [, y] = toPx(v, 0, t);
    ctx.beginPath(); ctx.moveTo(p.x - 4, y); ctx.lineTo(p.x, y); ctx.stroke();
    ctx.fillText(fmt(t, 3), p.x - 6, y);
  }
  ctx.save(); ctx.translate(16, p.y + p.h / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center'; ctx.font = '13px system-ui, sans-serif';
  ctx.fillText(labels ? labels[1] : 'momentum β', 0, 0); ctx.restore();
}

function drawColourBar(ctx, c, rmin, mode) {
  const x = c.width - MAP.right + 12, y = MAP.top, w = 16, h = c.height - MAP.top - MAP.bottom - 40;
  for (let k = 0; k < h; k++) {
    const [r, g, b] = colour(1 - k / h);
    ctx.fillStyle = `rgb(${r},${g},${b})`; ctx.fillRect(x, y + k, w, 1);
  }
  ctx.strokeStyle = '#333'; ctx.strokeRect(x, y, w, h);
  ctx.fillStyle = `rgb(${UNSTABLE.join(',')})`; ctx.fillRect(x, y + h + 12, w, 16);
  ctx.strokeRect(x, y + h + 12, w, 16);
  ctx.fillStyle = '#222'; ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  for (const t of [0, 0.25, 0.5, 0.75, 1]) ctx.fillText(fmt(rmin + t * (1 - rmin), 3), x + w + 4, y + (1 - t) * h);
  ctx.fillText('ρ ≥ 1', x + w + 4, y + h + 20);
  ctx.save(); ctx.translate(x + w + 50, y + h / 2); ctx.rotate(Math.PI / 2); ctx.textAlign = 'center';
  ctx.fillText(mode === 'colour' ? 'certified ρ on F(μ, L) (scale of the quadratic map)' : 'worst-case ρ (smallest on the map to 1)', 0, 0);
  ctx.restore();
}

function drawLegend(ctx, v, mode, note, cn) {
  const p = v.plot, items = [['#ff4d4d', [], 'stability edge ρ = 1'], ['#ffffff', [6, 4], 'critical damping at μ'],
    ['#ff9f1c', [6, 4], 'at L']];
  // one row under the axis label, on a dark strip so the white curve shows
  const y = p.y + p.h + 44, h = 22;
  ctx.fillStyle = 'rgba(20,20,28,0.85)'; ctx.fillRect(p.x, y, p.w + MAP.right - 8, h);
  ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  let x = p.x + 8;
  items.forEach(([col, dash, label]) => {
    ctx.strokeStyle = col; ctx.setLineDash(dash); ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x, y + h / 2); ctx.lineTo(x + 26, y + h / 2); ctx.stroke();
    ctx.fillStyle = '#fff'; ctx.fillText(label, x + 32, y + h / 2);
    x += 54 + ctx.measureText(label).width;
  });
  ctx.fillStyle = '#fff'; ctx.strokeStyle = '#000'; ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.arc(x + 6, y + h / 2, 5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
  ctx.fillText('the point', x + 16, y + h / 2);
  ctx.setLineDash([]);
  // second row: the certified-rate overlay
  const y2 = y + h + 4;
  ctx.fillStyle = 'rgba(20,20,28,0.85)'; ctx.fillRect(p.x, y2, p.w + MAP.right - 8, h);
  ctx.fillStyle = '#fff';
  x = p.x + 8;
  const on = `certified on every L-smooth μ-strongly convex f (IQC), ${cn}² cells`;
  if (mode === 'outline') {
    ctx.strokeStyle = CERT_OUTLINE; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x, y2 + h / 2); ctx.lineTo(x + 26, y2 + h / 2); ctx.stroke();
    ctx.fillText(`inside: ${on}`, x + 32, y2 + h / 2);
  } else if (mode === 'colour') {
    const lead = `colour: rate certified on F(μ, L) (IQC), ${cn}² cells;`;
    ctx.fillText(lead, x, y2 + h / 2);
    x += ctx.measureText(lead).width + 8;
    ctx.fillStyle = `rgb(${COUNTEREXAMPLE.join(',')})`; ctx.fillRect(x, y2 + 5, 14, h - 10);
    ctx.fillStyle = '#fff'; ctx.fillText('cycle', x + 18, y2 + h / 2);
    x += 24 + ctx.measureText('cycle').width;
    ctx.fillStyle = `rgb(${NOT_CERTIFIED.join(',')})`; ctx.fillRect(x, y2 + 5, 14, h - 10);
    ctx.fillStyle = '#fff'; ctx.fillText('undecided', x + 18, y2 + h / 2);
  } else {
    ctx.fillText(note.length > 92 ? note.slice(0, 90) + '…' : note, x, y2 + h / 2);
  }
}

// ---- roots -----------------------------------------------------------------------------------
function drawRoots(a) {
  const c = $('roots'), ctx = c.getContext('2d');
  ctx.clearRect(0, 0, c.width, c.height);
  const all = a.curvatures.flatMap((m) => m.roots);
  const R = Math.max(1.15, ...all.map((z) => Math.hypot(z.re, z.im) * 1.1));
  const cx = c.width / 2, cy = c.height / 2, s = (Math.min(c.width, c.height) / 2 - 22) / R;
  ctx.strokeStyle = '#ccc'; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(8, cy); ctx.lineTo(c.width - 8, cy); ctx.moveTo(cx, 8); ctx.lineTo(cx, c.height - 8); ctx.stroke();
  ctx.strokeStyle = '#333'; ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.arc(cx, cy, s, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = '#999'; ctx.setLineDash([3, 3]);
  ctx.beginPath(); ctx.arc(cx, cy, s * a.spectral_radius, 0, 2 * Math.PI); ctx.stroke(); ctx.setLineDash([]);
  ctx.fillStyle = '#333'; ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'alphabetic';
  ctx.fillText('Re', c.width - 26, cy - 4); ctx.fillText('Im', cx + 4, 18);
  ctx.fillText('1', cx + s + 3, cy + 13);
  const cols = ['#1f5fbf', '#d9480f'];
  a.curvatures.forEach((m, k) => {
    ctx.fillStyle = cols[k];
    m.roots.forEach((z, i) => {
      const x = cx + z.re * s, y = cy - z.im * s;
      ctx.beginPath();
      if (k === 0) ctx.arc(x, y, 5.5 - i, 0, 2 * Math.PI); else ctx.rect(x - 5 + i, y - 5 + i, 10 - 2 * i, 10 - 2 * i);
      ctx.fill();
    });
  });
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = cols[0]; ctx.fillText(`● at μ = ${fmt(a.curvatures[0].lambda, 4)}`, 8, c.height - 26);
  ctx.fillStyle = cols[1]; ctx.fillText(`■ at L = ${fmt(a.curvatures[1].lambda, 4)}`, 8, c.height - 10);
  ctx.fillStyle = '#777'; ctx.textAlign = 'right'; ctx.fillText('dashed: |z| = ρ', c.width - 8, c.height - 10);
}

// ---- run ------------------------------------------------------------------------------------
function drawRun(t) {
  const c = $('run'), ctx = c.getContext('2d');
  ctx.clearRect(0, 0, c.width, c.height);
  const p = { x: 62, y: 10, w: c.width - 62 - 200, h: c.height - 10 - 40 };
  const N = t.envelope.length;
  const vals = t.error.concat(t.envelope.filter((x) => x !== null)).filter((x) => x > 0);
  let hi = Math.ceil(Math.log10(Math.max(...vals)));
  let lo = Math.floor(Math.log10(Math.min(...vals)));
  if (hi - lo < 2) lo = hi - 2;
  lo = Math.max(lo, hi - 40);
  const X = (k) => p.x + (k / N) * p.w;
  const Y = (v) => p.y + (1 - (Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * p.h;
  ctx.strokeStyle = '#333'; ctx.lineWidth = 1; ctx.strokeRect(p.x, p.y, p.w, p.h);
  ctx.font = '12px system-ui, sans-serif'; ctx.fillStyle = '#222';
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  for (let e = lo; e <= hi; e += every) {
    ctx.strokeStyle = '#eee'; ctx.beginPath(); ctx.moveTo(p.x, Y(10 ** e)); ctx.lineTo(p.x + p.w, Y(10 ** e)); ctx.stroke();
    ctx.fillText(`1e${e}`, p.x - 6, Y(10 ** e));
  }
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (const k of niceTicks(0, N)) ctx.fillText(String(k), X(k), p.y + p.h + 4);
  ctx.fillText('step k', p.x + p.w / 2, p.y + p.h + 20);
  ctx.save(); ctx.beginPath(); ctx.rect(p.x, p.y, p.w, p.h); ctx.clip();
  ctx.strokeStyle = '#d9480f'; ctx.lineWidth = 2; ctx.setLineDash([7, 4]); ctx.beginPath();
  let pen = false;
  t.envelope.forEach((v, i) => {
    if (v === null || v <= 0) { pen = false; return; }
    if (pen) ctx.lineTo(X(i + 1), Y(v)); else ctx.moveTo(X(i + 1), Y(v));
    pen = true;
  });
  ctx.stroke(); ctx.setLineDash([]);
  ctx.strokeStyle = '#1f5fbf'; ctx.lineWidth = 1.6; ctx.beginPath();
  t.error.forEach((v, k) => { if (k) ctx.lineTo(X(k), Y(v)); else ctx.moveTo(X(k), Y(v)); });
  ctx.stroke(); ctx.restore();
  const lx = p.x + p.w + 14;
  ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  ctx.strokeStyle = '#1f5fbf'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(lx, 24); ctx.lineTo(lx + 26, 24); ctx.stroke();
  ctx.fillStyle = '#222'; ctx.fillText(`run, ${t.dim} curvatures`, lx + 32, 24);
  ctx.strokeStyle = '#d9480f'; ctx.setLineDash([7, 4]); ctx.beginPath(); ctx.moveTo(lx, 44); ctx.lineTo(lx + 26, 44); ctx.stroke(); ctx.setLineDash([]);
  ctx.fillText('exact worst case', lx + 32, 44);
  ctx.fillText('over the spectrum', lx + 32, 60);
  ctx.fillStyle = '#555'; ctx.fillText(`run: ${t.ending}`, lx, 88);
}

// ---- minibatch -------------------------------------------------------------------------------
// the mean-square edge at the page's batch size (blank: full batch, nothing drawn)
function minibatchEdge(q, s, beta) {
  const row = $('row-ms');
  if (s.batch.trim() === '') { row.hidden = true; return null; }
  row.hidden = false;
  const b = Number(s.batch), d = Number(s.data_dim);
  if (!Number.isFinite(b)) throw new Error(`batch size B = '${s.batch}' is not a number`);
  const ms = JSON.parse(lib.minibatch_edge(q, b, Number.isFinite(d) ? d : NaN, beta[0], beta[1], 240));
  const p = ms.at_point;
  setValue($('out-ms'), p === null ? 'none at this momentum' : `${fmt(p.lo, 4)} < α < ${fmt(p.hi, 6)}`, p);
  return ms;
}

// ---- schedule --------------------------------------------------------------------------------
// the schedule's call, optax's or PyTorch's own names, from the shape, the page's lr (the peak)
// and run steps (the length)
function scheduleCall(s) {
  const lr = Number(s.lr), n = Math.round(Number(s.steps)), w = Math.round(Number(s.sched_warmup));
  switch (s.sched_shape) {
    case 'warmup_cosine': return `warmup_cosine_decay_schedule(0, ${lr}, ${w}, ${n})`;
    case 'onecycle': return `cosine_onecycle_schedule(${n}, ${lr})`;
    case 'wsd': return `warmup_stable_decay(${lr}, ${w}, ${Math.max(n - 2 * w, 0)}, ${w})`;
    case 'cyclic': return `cyclic(${lr / 5}, ${lr}, ${Math.max(w, 1)})`;
    case 'constant': return `constant_schedule(${lr})`;
    default: return s.sched_call;
  }
}

// the setting as the CLI's flags (the page's family and convention)
function scheduleSetting(s) {
  const fam = s.family;
  if (fam === 'tmm' || fam === 'lookahead') throw new Error('schedules run gradient descent, heavy ball, Nesterov or QHM: choose one of them');
  const opt = (x) => (x.trim() === '' ? null : Number(x));
  if (fam === 'qhm') return { convention: 'qhm', momentum: Number(s.momentum), nu: Number(s.nu) };
  if (s.convention === 'canonical') return fam === 'gd' ? { method: 'gd' } : { method: fam, momentum: Number(s.momentum) };
  return { convention: s.convention, momentum: fam === 'gd' ? 0 : Number(s.momentum), nesterov: fam === 'nag',
    dampening: opt(s.dampening), weight_decay: opt(s.weight_decay) };
}

function scheduleSpectrum(s) {
  if (s.spectrum === 'kappa') return { kappa: Number(s.kappa) };
  if (s.spectrum === 'list') return { lambda: s.eigenvalues.split(/[\s,;]+/).filter((x) => x !== '').map(Number) };
  return { mu: Number(s.mu), L: Number(s.L) };
}

function drawSchedule(s) {
  const out = $('sched-out');
  const c = $('sched'), ctx = c.getContext('2d');
  ctx.clearRect(0, 0, c.width, c.height);
  $('sched_call').readOnly = s.sched_shape !== 'custom';
  if (s.sched_shape === 'off') { out.className = ''; out.textContent = 'no schedule'; c.hidden = true; return; }
  c.hidden = false;
  const call = scheduleCall(s);
  if (s.sched_shape !== 'custom') $('sched_call').value = call;
  let r;
  try {
    const q = { setting: scheduleSetting(s), spectrum: scheduleSpectrum(s),
      schedule: { lr_schedule: call, steps: s.sched_shape === 'custom' ? null : Math.round(Number(s.steps)) } };
    r = JSON.parse(lib.analyze_schedule(JSON.stringify(q)));
  } catch (e) {
    out.className = 'error';
    out.textContent = `schedule: ${e instanceof Error ? e.message : e}`;
    c.hidden = true;
    return;
  }
  const a = r.analysis, env = r.envelope;
  const p = { x: 62, y: 10, w: c.width - 62 - 220, h: c.height - 10 - 40 };
  const N = env.length;
  let hi = Math.ceil(Math.max(...env, 0)), lo = Math.floor(Math.min(...env));
  if (hi - lo < 2) lo = hi - 2;
  lo = Math.max(lo, hi - 40);
  const X = (k) => p.x + (k / N) * p.w;
  const Y = (l) => p.y + (1 - (Math.max(l, lo) - lo) / (hi - lo)) * p.h;
  ctx.strokeStyle = '#333'; ctx.lineWidth = 1; ctx.strokeRect(p.x, p.y, p.w, p.h);
  ctx.font = '12px system-ui, sans-serif'; ctx.fillStyle = '#222';
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  for (let e = lo; e <= hi; e += every) {
    ctx.strokeStyle = '#eee'; ctx.beginPath(); ctx.moveTo(p.x, Y(e)); ctx.lineTo(p.x + p.w, Y(e)); ctx.stroke();
    ctx.fillText(`1e${e}`, p.x - 6, Y(e));
  }
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (const k of niceTicks(0, N)) ctx.fillText(String(k), X(k), p.y + p.h + 4);
  ctx.fillText('step k', p.x + p.w / 2, p.y + p.h + 20);
  ctx.save(); ctx.translate(14, p.y + p.h / 2); ctx.rotate(-Math.PI / 2); ctx.fillText('max over λ of |e_k|/|e_0|', 0, 0); ctx.restore();
  ctx.save(); ctx.beginPath(); ctx.rect(p.x, p.y, p.w, p.h); ctx.clip();
  ctx.strokeStyle = '#1f5fbf'; ctx.lineWidth = 2; ctx.beginPath();
  env.forEach((l, i) => { if (i) ctx.lineTo(X(i + 1), Y(l)); else ctx.moveTo(X(i + 1), Y(l)); });
  ctx.stroke();
  ctx.strokeStyle = '#d9480f'; ctx.setLineDash([3, 3]); ctx.beginPath();
  ctx.moveTo(p.x, Y(a.peak_factor_log10)); ctx.lineTo(p.x + p.w, Y(a.peak_factor_log10)); ctx.stroke(); ctx.setLineDash([]);
  ctx.restore();
  const lx = p.x + p.w + 14;
  ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  ctx.strokeStyle = '#1f5fbf'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(lx, 24); ctx.lineTo(lx + 26, 24); ctx.stroke();
  ctx.fillStyle = '#222'; ctx.fillText('worst over the curvatures', lx + 32, 24);
  ctx.strokeStyle = '#d9480f'; ctx.setLineDash([3, 3]); ctx.beginPath(); ctx.moveTo(lx, 44); ctx.lineTo(lx + 26, 44); ctx.stroke(); ctx.setLineDash([]);
  ctx.fillText(`peak ${fmt(a.peak_factor ?? 10 ** a.peak_factor_log10, 4)} (step ${a.peak_step})`, lx + 32, 44);
  const worst = a.worst_factor === null ? `10^${fmt(a.worst_factor_log10, 4)}` : fmt(a.worst_factor, 6);
  out.className = '';
  setValue(out, `after ${a.steps} steps: worst |e_N|/|e_0| = ${worst} at λ = ${fmt(a.worst_lambda, 6)}` +
    (a.interior ? ' — an interior curvature: the ends give ' : '; at the ends ') +
    `${fmt(a.at_mu, 4)} (μ) and ${fmt(a.at_L, 4)} (L); peak transient ${fmt(a.peak_factor ?? 10 ** a.peak_factor_log10, 6)} at step ${a.peak_step}, λ = ${fmt(a.peak_lambda, 4)}`, a);
}

// ---- readouts --------------------------------------------------------------------------------
function showReadout(a, s) {
  setValue($('out-point'), `α = ${fmt(a.point.step)}, β = ${fmt(a.point.momentum)}` +
    (a.point.lookahead !== 0 && a.family.name !== 'nag' ? `, γ = ${fmt(a.point.lookahead)}` : ''), a.point);
  setValue($('out-rho'), fmt(a.spectral_radius, 8), a.spectral_radius);
  setValue($('out-worst'), fmt(a.worst_lambda), a.worst_lambda);
  setValue($('out-stable'), a.stable ? 'yes' : 'no', a.stable);
  const c = JSON.parse(lib.certify(JSON.stringify(s)));
  setValue($('out-cert'), !c.available ? `— (${c.reason.split(':')[0]})`
    : c.rate === null ? `none below 1${!c.quadratic_stable ? ' (unstable on quadratics)'
      : c.verdict === 'counterexample' ? ` (counterexample: a verified ${c.cycle_period}-cycle on F(μ, L))` : ' (undecided)'}` : fmt(c.rate, 8), c);
  $('out-stable').className = a.stable ? 'stable-yes' : 'stable-no';
  setValue($('out-ipd'), a.iterations_per_decade === null ? '—' : fmt(a.iterations_per_decade, 4), a.iterations_per_decade);
  const lr = a.stable_lr;
  setValue($('out-lr'), lr === null ? 'none at this momentum' : `${fmt(lr.lo, 4)} < ${s.convention === 'canonical' && s.family !== 'qhm' ? 'α' : 'lr'} < ${lr.hi === null ? '∞' : fmt(lr.hi, 6)}`, lr);
  const mode = (m) => `${fmt(m.spectral_radius, 6)}, ${m.regime}` + (m.period === null ? '' : `, period ${fmt(m.period, 4)}`);
  setValue($('out-lo'), mode(a.curvatures[0]), a.curvatures[0]);
  setValue($('out-hi'), mode(a.curvatures[1]), a.curvatures[1]);
  $('notes').replaceChildren(...a.notes.map((n) => { const li = document.createElement('li'); li.textContent = n; return li; }));
  $('map-family').textContent = FAMILY_NAMES[s.family] + (s.family === 'lookahead' ? ` γ = ${s.lookahead}` : '') +
    (s.family === 'qhm' ? ` ν = ${s.nu}, γ = β(1−ν)/(1−β)` : '') +
    `, curvatures [${fmt(a.map_spectrum[0], 4)}, ${fmt(a.map_spectrum[1], 4)}]`;
}

function showTunings(q) {
  const t = JSON.parse(lib.tunings(q));
  const names = { gradient_descent: 'GD 2/(μ+L)', heavy_ball: 'Polyak heavy ball', nesterov: 'Nesterov 1/L',
    nesterov_quadratic: 'Nesterov (quadratic)', triple_momentum: 'triple momentum' };
  $('tunings').tBodies[0].replaceChildren(...t.tunings.map((row) => {
    const tr = document.createElement('tr');
    tr.innerHTML = `<td>${names[row.name] ?? row.name}</td><td>${fmt(row.rate, 4)}</td><td><button type="button">go</button></td>`;
    tr.querySelector('button').dataset.tuning = row.name;
    tr.querySelector('button').addEventListener('click', () => jumpTo(row));
    return tr;
  }));
}

function jumpTo(row) {
  // tunings are canonical (α, β, γ): switch to that convention and family
  $('convention').value = 'canonical';
  $('dampening').value = ''; $('weight_decay').value = '';
  $('family').value = row.family;
  $('lr').value = String(row.step);
  $('momentum').value = String(row.momentum);
  update();
}

// ---- drag ------------------------------------------------------------------------------------
function setPoint(step, mom) {
  const s = state();
  const q = JSON.stringify(s);
  if (s.family === 'tmm') { // dragging leaves the tuned point: keep its lookahead γ
    const a = JSON.parse(lib.analyze(q));
    $('family').value = 'lookahead';
    $('lookahead').value = String(a.point.lookahead);
  }
  const e = JSON.parse(lib.express(JSON.stringify(state()), step, mom));
  $('lr').value = String(Number(e.lr.toPrecision(12)));
  if (state().family !== 'gd') $('momentum').value = String(Number(e.momentum.toPrecision(12)));
  update();
}

function pointer(ev) {
  if (!view) return;
  const r = $('map').getBoundingClientRect();
  const x = (ev.clientX - r.left) * ($('map').width / r.width), y = (ev.clientY - r.top) * ($('map').height / r.height);
  const p = view.plot;
  const cx = Math.min(Math.max(x, p.x + 1), p.x + p.w), cy = Math.min(Math.max(y, p.y + 1), p.y + p.h);
  const [a, b] = fromPx(view, cx, cy);
  guarded(() => (view.zoo ? setZooPoint(a, b) : setPoint(a, b)));
}

// ---- optimizers beyond two steps --------------------------------------------------------------
// a typed number (the library's own wording for a bad entry); the values are checked by the library
function typed(name, text) {
  const t = String(text).trim();
  if (t === '') throw new Error(`${name} is empty: give a number`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`${name} = '${t}' is not a number`);
  return v;
}

// the order-n setting as the CLI's flags (`--convention X --lr … --b3 …`)
function zooSetting(s) {
  const c = s.convention, out = { convention: c, lr: typed('lr', s.lr) };
  if (c !== 'aggmo') out.momentum = typed('momentum', s.momentum);
  if (c === 'ademamix') { out.b3 = typed('b3', s.b3); out.alpha = typed('alpha', s.alpha); }
  if (c === 'lookahead') {
    const k = typed('sync period', s.sync_period);
    if (!Number.isInteger(k) || k < 0 || k > 4294967295) throw new Error(`sync period = '${s.sync_period.trim()}' must be a whole number (1..=1000)`);
    out.sync_period = k;
    out.slow_step = typed('slow step', s.slow_step);
  }
  if (c === 'aggmo') out.momenta = s.momenta.split(/[\s,;]+/).filter((x) => x !== '').map((x, k) => typed(`momenta #${k + 1}`, x));
  if (c === 'sam') out.rho = typed('rho', s.rho);
  if (c === 'lookahead' || c === 'sam') out.nesterov = s.nesterov === 'true';
  return out;
}

function zooSpectrum(s) {
  if (s.spectrum === 'kappa') return { kappa: typed('kappa', s.kappa) };
  if (s.spectrum === 'list') {
    const v = s.eigenvalues.replace(/[[\]()]/g, ' ').split(/[\s,;]+/).filter((x) => x !== '');
    return { lambda: v.map((x, k) => typed(`eigenvalue #${k + 1}`, x)) };
  }
  return { mu: typed('mu', s.mu), L: typed('L', s.L) };
}

// the map's rows: which field of the setting, and its value now
function zooAxis(s, setting) {
  const axis = (s.convention === 'ademamix' && s.zoo_axis === 'b3') ? 'b3'
    : (s.convention === 'lookahead' && s.zoo_axis === 'slow_step') ? 'slow_step' : 'momentum';
  if (axis !== 'momentum') return { axis, y: setting[axis], label: axis === 'b3' ? 'β₃ (slow EMA)' : 'slow step a' };
  if (s.convention === 'aggmo') return { axis, y: setting.momenta.at(-1), label: 'last momentum (the others held)' };
  return { axis, y: setting.momentum, label: ZOO_MOMENTUM[s.convention] };
}

const intervals = (list) => list.map((v) => `(${fmt(v.lo, 6)}, ${v.hi === null ? '∞' : fmt(v.hi, 6)})`).join(' ∪ ');

function showZooReadout(a, setting, spectrum) {
  const o = Object.entries(a.optimizer).filter(([k]) => k !== 'optimizer')
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ');
  setValue($('zoo-optimizer'), `${ZOO_NAMES[a.convention]}: lr = ${fmt(a.lr, 8)}, ${o}`, a.optimizer);
  const poly = (c) => `[${c.map((x) => fmt(x, 6)).join(', ')}]`;
  setValue($('zoo-order'), a.pencil ? `order ${a.order}; pencil a(z) + h·b(z), h = lr·λ: a = ${poly(a.pencil.a)}, b = ${poly(a.pencil.b)}`
    : `order ${a.order}, periodic: ${a.period} steps per period (ρ per step = ρ(monodromy)^(1/${a.period}))`, { order: a.order, period: a.period });
  setValue($('zoo-rho'), fmt(a.spectral_radius, 8), a.spectral_radius);
  setValue($('zoo-worst'), fmt(a.worst_lambda), a.worst_lambda);
  setValue($('zoo-stable'), a.stable ? 'yes' : 'no', a.stable);
  $('zoo-stable').className = a.stable ? 'stable-yes' : 'stable-no';
  setValue($('zoo-ipd'), a.iterations_per_decade === null ? '—' : fmt(a.iterations_per_decade, 4), a.iterations_per_decade);
  setValue($('zoo-lr'), a.stable_lr === null ? 'none at these settings' : `${fmt(a.stable_lr.lo, 6)} < lr < ${a.stable_lr.hi === null ? '∞' : fmt(a.stable_lr.hi, 6)}`, a.stable_lr);
  setValue($('zoo-h'), a.stable_h.length ? intervals(a.stable_h) : 'none', a.stable_h);
  $('zoo-transient-row').hidden = !a.transient;
  if (a.transient) {
    const t = a.transient;
    setValue($('zoo-transient'), `${fmt(t.peak, 6)} at step ${t.at_step}, λ = ${fmt(t.lambda, 6)} (exact run of ${t.steps} steps)`, t);
  }
  let c;
  try {
    c = JSON.parse(lib.certify_setting(JSON.stringify({ setting, spectrum })));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    setValue($('zoo-cert'), `not certified: ${msg}`, { refused: msg });
    $('zoo-cert').className = 'refusal';
    return;
  }
  $('zoo-cert').className = '';
  setValue($('zoo-cert'), c.rate === null ? `none below 1 (${c.verdict})` : `${fmt(c.rate, 8)} (one-step certificate on the pencil, checked exactly)`, c);
}

let zooCache = { key: null };

function drawZooMap(s, setting, spectrum) {
  const c = $('map'), ctx = c.getContext('2d');
  const ax = zooAxis(s, setting);
  // Lookahead's cell is a k-step monodromy's worst case (~4 ms in wasm): a coarser grid
  const n = s.convention === 'lookahead' ? 24 : Math.min(Number(s.grid), 128);
  const held = { ...setting };
  delete held.lr;
  if (s.convention === 'aggmo' && ax.axis === 'momentum') held.momenta = held.momenta.slice(0, -1); else delete held[ax.axis];
  const key = JSON.stringify([held, spectrum, n, ax.axis]);
  if (zooCache.key !== key || !(setting.lr <= zooCache.doc.lr_max)) {
    const t0 = performance.now();
    const r = JSON.parse(lib.zoo_map(JSON.stringify({ setting, spectrum, map: { axis: ax.axis, grid: [n, n], marks: [[setting.lr, ax.y]] } })));
    let rmin = 1;
    r.radii.forEach((x, k) => { if (r.stable[k] && x < rmin) rmin = x; });
    rmin = Math.min(rmin, 0.999);
    const img = new ImageData(n, n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const k = j * n + i, col = r.stable[k] ? colour((r.radii[k] - rmin) / (1 - rmin)) : UNSTABLE;
        const o = 4 * ((n - 1 - j) * n + i);
        img.data.set([...col, 255], o);
      }
    }
    const off = new OffscreenCanvas(n, n);
    off.getContext('2d').putImageData(img, 0, 0);
    zooCache = { key, doc: r.doc, image: off, rmin, ms: performance.now() - t0 };
  }
  const d = zooCache.doc;
  const v = { stepMax: d.lr_max, beta: d.y_range, plot: plotBox(c), zoo: true, axis: ax.axis };
  view = v;
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(zooCache.image, v.plot.x, v.plot.y, v.plot.w, v.plot.h);
  ctx.save();
  ctx.beginPath(); ctx.rect(v.plot.x, v.plot.y, v.plot.w, v.plot.h); ctx.clip();
  // the exact edge per row (the library's stable lr at the row's value); Lookahead's rows can have
  // two stable intervals, one of which the row's edge gives: its cells alone show the plane
  const edges = s.convention === 'lookahead' ? [] : ['lr_hi', 'lr_lo'];
  ctx.lineWidth = 2.2; ctx.strokeStyle = '#ff4d4d';
  for (const end of edges) {
    let run = [];
    const flush = () => { if (run.length > 1) drawPolyline(ctx, v, run); run = []; };
    d.edge.forEach((e) => { if (e[end] === null || e[end] === 0) flush(); else run.push([e[end], e.y]); });
    flush();
  }
  const [px, py] = toPx(v, setting.lr, ax.y);
  ctx.fillStyle = '#ffffff'; ctx.strokeStyle = '#000'; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.arc(px, py, 7, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
  ctx.fillStyle = '#e4007c'; ctx.beginPath(); ctx.arc(px, py, 3, 0, 2 * Math.PI); ctx.fill();
  ctx.restore();
  drawAxes(ctx, v, s, [`learning rate lr (${ZOO_NAMES[s.convention]})`, ax.label]);
  drawColourBar(ctx, c, zooCache.rmin, 'off');
  const p = v.plot, y = p.y + p.h + 44, h = 22;
  ctx.fillStyle = 'rgba(20,20,28,0.85)'; ctx.fillRect(p.x, y, p.w + MAP.right - 8, h);
  ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  let lx = p.x + 8;
  if (edges.length) {
    ctx.strokeStyle = '#ff4d4d'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(lx, y + h / 2); ctx.lineTo(lx + 26, y + h / 2); ctx.stroke();
    ctx.fillStyle = '#fff'; ctx.fillText('exact stable-lr edge of each row', lx + 32, y + h / 2);
    lx += 52 + ctx.measureText('exact stable-lr edge of each row').width;
  }
  ctx.fillStyle = '#fff'; ctx.fillText(`${n}×${n} cells: worst ρ over the curvatures`, lx, y + h / 2);
  $('map-family').textContent = `${ZOO_NAMES[s.convention]}: lr × ${ax.label}${s.convention === 'aggmo' ? '' : ', the other hyperparameters held'}, curvatures [${fmt(d.mu, 4)}, ${fmt(d.L, 4)}]`;
  const capped = n !== Number(s.grid) ? ` (the grid is at most ${n}×${n} for ${ZOO_NAMES[s.convention]}: each cell is a worst case of the order-n core)` : '';
  const timing = `${s.convention} map ${n}×${n} (lr × ${d.axis}) computed and painted in ${zooCache.ms.toFixed(0)} ms; ${d.stable_cells} of ${d.cells} cells stable${capped}`;
  $('timing').textContent = timing;
  $('timing').dataset.value = JSON.stringify({ axis: d.axis, lr_max: d.lr_max, stable_cells: d.stable_cells, marks: d.marks });
}

function updateZoo(s) {
  // before any answer: the panel names the optimizer, and a bad first entry leaves dashes, not blanks
  $('map-family').textContent = ZOO_NAMES[s.convention];
  $('zoo-transient-row').hidden = true;
  document.querySelectorAll('#zoo-readout td').forEach((td) => { if (td.textContent === '') td.textContent = '—'; });
  const setting = zooSetting(s), spectrum = zooSpectrum(s);
  const a = JSON.parse(lib.analyze_setting(JSON.stringify({ setting, spectrum }), new Uint8Array()));
  $('notes').replaceChildren(...a.notes.map((n) => { const li = document.createElement('li'); li.textContent = n; return li; }));
  showZooReadout(a, setting, spectrum);
  drawZooMap(s, setting, spectrum);
}

// drag on an order-n optimizer's map: the cell's lr and row value into the form
function setZooPoint(lr, y) {
  const s = state();
  $('lr').value = String(Number(lr.toPrecision(6)));
  const yv = String(Number(y.toPrecision(6)));
  if (view.axis === 'b3') $('b3').value = yv;
  else if (view.axis === 'slow_step') $('slow_step').value = yv;
  else if (s.convention === 'aggmo') $('momenta').value = [...s.momenta.split(/[\s,;]+/).filter((x) => x !== '').slice(0, -1), yv].join(', ');
  else $('momentum').value = yv;
  update();
}

// ---- update ----------------------------------------------------------------------------------
function update() {
  guarded(() => {
    const s = state();
    showFields(s);
    saveToUrl(s);
    if (isZoo(s)) {
      updateZoo(s);
      clearError();
      return;
    }
    const q = JSON.stringify(s);
    const a = JSON.parse(lib.analyze(q));
    showReadout(a, s);
    drawRoots(a);
    drawMap(q, a, s);
    showTunings(q);
    drawRun(JSON.parse(lib.trajectory(q)));
    drawSchedule(s);
    clearError();
  });
}

function guarded(f) {
  try {
    f();
  } catch (e) {
    showError(e instanceof Error ? e.message : e);
  }
}

// for the browser test and the benchmark: time the map at n×n (compute + paint), median of reps
window.explorer = {
  benchMap(n, reps) {
    const s = state();
    const q = JSON.stringify(s);
    const a = JSON.parse(lib.analyze(q));
    const stepMax = Number(s.hmax) / a.map_spectrum[1];
    const times = [];
    for (let k = 0; k < reps; k++) times.push(computeMap(q, stepMax, n, betaRange(s.family)).ms);
    times.sort((x, y) => x - y);
    return times[Math.floor(reps / 2)];
  },
  // the certified-rate overlay at n×n (one bisection per quadratic-stable cell), median of reps
  benchCertified(n, reps) {
    const s = state();
    const q = JSON.stringify(s);
    const a = JSON.parse(lib.analyze(q));
    const stepMax = Number(s.hmax) / a.map_spectrum[1];
    const times = [];
    let cert = null;
    for (let k = 0; k < reps; k++) { const r = computeCertified(q, stepMax, n, betaRange(s.family)); times.push(r.ms); cert = r.cert; }
    times.sort((x, y) => x - y);
    return { ms: times[Math.floor(reps / 2)], stable: cert.stable_cells, certified: cert.certified_cells };
  },
};

async function main() {
  try {
    await init();
  } catch (e) {
    showError(`could not load the WebAssembly module (${e.message ?? e}): serve the page over HTTP, e.g. momentum serve --port 8000 --dir web/dist`);
    return;
  }
  loadFromUrl();
  // QHM takes its own (lr, β, ν): choosing it sets the convention (before update reads the form)
  $('family').addEventListener('input', () => { if ($('family').value === 'qhm') $('convention').value = 'canonical'; });
  for (const f of FIELDS) $(f).addEventListener('input', update);
  document.querySelectorAll('input[name=spectrum]').forEach((r) => r.addEventListener('change', update));
  let dragging = false;
  $('map').addEventListener('pointerdown', (e) => { dragging = true; $('map').setPointerCapture(e.pointerId); pointer(e); });
  $('map').addEventListener('pointermove', (e) => { if (dragging) pointer(e); });
  $('map').addEventListener('pointerup', () => { dragging = false; });
  $('share').addEventListener('click', () => guarded(() => {
    navigator.clipboard?.writeText(location.href).catch(() => {});
    $('share').textContent = 'link copied (also in the address bar)';
  }));
  window.addEventListener('hashchange', () => { loadFromUrl(); update(); });
  update();
  document.body.dataset.ready = '1';
}

main();
