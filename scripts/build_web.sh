#!/usr/bin/env bash
# Build the explorer page: the library compiled to WebAssembly, its hand-written loader, HTML/JS/CSS.
#   scripts/build_web.sh            -> web/dist/ (serve: momentum serve --port 8000 --dir web/dist)
# Needs only cargo and the wasm target (rustup target add wasm32-unknown-unknown): no bindings
# generator. web/dist/momentum.js loads web/dist/momentum_web.wasm in the browser (fetch) and in
# Node (the tests: web/tests/*.mjs import web/dist/momentum.js).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v rustup > /dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "the wasm32 target is missing: rustup target add wasm32-unknown-unknown" >&2
  exit 1
fi
cargo build -p momentum-web --release --target wasm32-unknown-unknown
target=${CARGO_TARGET_DIR:-target}
wasm="$target/wasm32-unknown-unknown/release/momentum_web.wasm"
rm -rf web/dist
mkdir -p web/dist
cp "$wasm" web/dist/momentum_web.wasm
cp web/www/index.html web/www/app.js web/www/momentum.js web/www/style.css web/dist/
echo "built web/dist ($(du -sh web/dist | cut -f1)); serve it: momentum serve --port 8000 --dir web/dist"
