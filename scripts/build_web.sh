#!/usr/bin/env bash
# Build the explorer page: the library compiled to WebAssembly, its JS bindings, HTML/JS/CSS.
#   scripts/build_web.sh            -> web/dist/ (serve: momentum serve --port 8000 --dir web/dist)
# Also writes Node bindings to web/build/node/ for web/tests/wasm_equals_native.mjs.
# Needs: rustup target add wasm32-unknown-unknown; cargo install wasm-bindgen-cli --version 0.2.129 --locked
# (the version must equal the wasm-bindgen pin in web/Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' web/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "wasm-bindgen-cli $want needed (found '${have:-none}'): cargo install wasm-bindgen-cli --version $want --locked" >&2
  exit 1
fi
cargo build -p momentum-web --release --target wasm32-unknown-unknown
target=${CARGO_TARGET_DIR:-target}
wasm="$target/wasm32-unknown-unknown/release/momentum_web.wasm"
rm -rf web/dist web/build/node
mkdir -p web/dist web/build/node
wasm-bindgen --target web --no-typescript --out-dir web/dist/pkg "$wasm"
wasm-bindgen --target nodejs --no-typescript --out-dir web/build/node "$wasm"
# CommonJS bindings inside web/ (whose package.json says "type": "module")
echo '{"type": "commonjs"}' > web/build/node/package.json
cp web/www/index.html web/www/app.js web/www/style.css web/dist/
echo "built web/dist ($(du -sh web/dist | cut -f1)); serve it: momentum serve --port 8000 --dir web/dist"
