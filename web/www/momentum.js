// The momentum library in WebAssembly: a hand-written loader for momentum_web.wasm, whose exports
// are plain functions (web/src/abi.rs). The same ES module serves the page (fetch) and Node (the
// tests read the file): `await init()` once, then call the functions below. Each takes the page's
// state as JSON text and returns JSON text (map: a Float64Array), or throws an Error whose message
// is the library's one-line message. A trap (a bug: a panic) is thrown as an Error too, and the
// next call runs on a fresh instance, so the page carries on.
//
// The convention: arguments copied into linear memory (momentum_alloc / momentum_free, UTF-8 for
// text), the export returns a reply (reply_status: 0 JSON text, 1 error message, 2 f64 numbers;
// reply_ptr, reply_len), copied out and freed (reply_free).

const OK_TEXT = 0;
const ERROR = 1;
const OK_NUMBERS = 2;

let compiled = null; // the WebAssembly.Module: a trap starts a fresh instance of it
let exp = null; // the live instance's exports
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function start(module, instance) {
  compiled = module;
  exp = instance.exports;
}

/**
 * Load the module: `source` is a URL (default: momentum_web.wasm next to this file; a file: URL is
 * read from disk under Node, fetched in a browser), a Response, or the bytes.
 */
export default async function init(source = new URL('momentum_web.wasm', import.meta.url)) {
  if (exp) return;
  let bytes = source;
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(source, import.meta.url);
    if (url.protocol === 'file:' && typeof process !== 'undefined' && process.versions?.node) {
      const { readFileSync } = await import('node:fs');
      bytes = readFileSync(url);
    } else {
      bytes = await fetch(url);
    }
  }
  if (typeof Response !== 'undefined' && bytes instanceof Response) {
    if (!bytes.ok) throw new Error(`${bytes.url}: HTTP ${bytes.status}`);
    const type = bytes.headers.get('Content-Type') ?? '';
    if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) {
      const module = await WebAssembly.compileStreaming(bytes);
      start(module, await WebAssembly.instantiate(module, {}));
      return;
    }
    bytes = await bytes.arrayBuffer(); // a server without the wasm content type
  }
  const module = await WebAssembly.compile(bytes);
  start(module, await WebAssembly.instantiate(module, {}));
}

/** Load the module from its bytes, synchronously (Node). */
export function initSync(bytes) {
  const module = new WebAssembly.Module(bytes);
  start(module, new WebAssembly.Instance(module, {}));
}

function live() {
  if (!exp) throw new Error('the WebAssembly module is not loaded (await init() first)');
  return exp;
}

/** Copy bytes into a fresh block of the instance's memory: [ptr, len]. */
function put(e, b) {
  const p = e.momentum_alloc(b.length) >>> 0;
  if (p === 0) throw new Error(`out of memory for an argument of ${b.length} bytes`);
  new Uint8Array(e.memory.buffer, p, b.length).set(b);
  return [p, b.length];
}

/** Copy a reply out of memory and free it: the text or numbers, or throw its message. */
function take(e, r) {
  const status = e.reply_status(r);
  const p = e.reply_ptr(r) >>> 0;
  const n = e.reply_len(r) >>> 0;
  const out = status === OK_NUMBERS
    ? new Float64Array(e.memory.buffer, p, n).slice()
    : decoder.decode(new Uint8Array(e.memory.buffer, p, n));
  e.reply_free(r);
  if (status === OK_TEXT || status === OK_NUMBERS) return out;
  if (status === ERROR) throw new Error(out);
  throw new Error(`the WebAssembly module gave an unknown reply status ${status}`);
}

/** After a trap: the panic's message (if the trapped instance can still give it), and a fresh instance. */
function recover(e, err) {
  let msg = '';
  try {
    msg = take(e, e.panic_message() >>> 0);
  } catch { /* the old instance is past reading */ }
  exp = null;
  try {
    exp = new WebAssembly.Instance(compiled, {}).exports;
  } catch {
    WebAssembly.instantiate(compiled, {}).then((i) => { exp = i.exports; });
  }
  return new Error(`internal error in the WebAssembly module (${msg || err.message}); please report it`);
}

/** Call export `name` with byte arguments (each as ptr, len) then numbers. */
function call(name, blobs, numbers) {
  const e = live();
  const held = [];
  let trapped = false;
  try {
    const args = [];
    for (const b of blobs) {
      const [p, n] = put(e, b);
      held.push([p, n]);
      args.push(p, n);
    }
    let r;
    try {
      r = e[name](...args, ...numbers) >>> 0;
    } catch (err) {
      if (!(err instanceof WebAssembly.RuntimeError)) throw err;
      trapped = true;
      throw recover(e, err);
    }
    return take(e, r);
  } finally {
    if (!trapped) for (const [p, n] of held) e.momentum_free(p, n);
  }
}

const text = (s) => encoder.encode(String(s));
const bytes = (b) => (b instanceof Uint8Array ? b : new Uint8Array(b ?? []));

export const analyze = (q) => call('analyze', [text(q)], []);
export const analyze_setting = (q, file) => call('analyze_setting', [text(q), bytes(file)], []);
export const analyze_schedule = (q) => call('analyze_schedule', [text(q)], []);
export const minibatch_edge = (q, batch, dim, betaMin, betaMax, rows) =>
  call('minibatch_edge', [text(q)], [batch, dim, betaMin, betaMax, rows]);
export const certify_setting = (q) => call('certify_setting', [text(q)], []);
export const map = (q, stepMax, betaMin, betaMax, nStep, nMomentum) =>
  call('map', [text(q)], [stepMax, betaMin, betaMax, nStep, nMomentum]);
export const overlays = (q, stepMax, betaMin, betaMax, samples) =>
  call('overlays', [text(q)], [stepMax, betaMin, betaMax, samples]);
/** An order-n optimizer's (lr, y) map: {doc, radii, stable} (`map --convention X --json`). */
export const zoo_map = (q) => call('zoo_map', [text(q)], []);
export const tunings = (q) => call('tunings', [text(q)], []);
export const express = (q, step, momentum) => call('express', [text(q)], [step, momentum]);
export const trajectory = (q) => call('trajectory', [text(q)], []);
export const certify = (q) => call('certify', [text(q)], []);
export const certified_map = (q, stepMax, betaMin, betaMax, n) =>
  call('certified_map', [text(q)], [stepMax, betaMin, betaMax, n]);
/** Panics inside the module on purpose: for the tests of the recovery above. */
export const test_panic = () => call('momentum_test_panic', [], []);
/** The instance's memory in bytes (the tests check that calls free what they allocate). */
export const memoryBytes = () => live().memory.buffer.byteLength;
