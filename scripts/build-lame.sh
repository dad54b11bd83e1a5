#!/bin/sh
# Builds LAME 3.100 (Debian's source package) to WebAssembly with Debian's emscripten, behind the C functions
# wasm-media-encoders' JavaScript calls, which the extension ships as utils/engines/local/mp3/lame.wasm (npm run bench:lame compares builds). See
# docs/performance.md, "Our LAME build".
#
# Needs: apt-get install emscripten, and a deb-src line for Debian's main archive (for `apt-get source lame`),
# or LAME_SOURCE=<an unpacked lame-3.100 directory>. OPT_FLAGS overrides the optimisation flags; OUT the output.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$PWD/lame.wasm}
opt_flags=${OPT_FLAGS:-"-O3 -msimd128 -mnontrapping-fptoint -mbulk-memory -msign-ext"}

command -v emcc >/dev/null || { echo "build-lame.sh: emcc not found; run: apt-get install -y emscripten" >&2; exit 1; }
# Debian's emscripten runs its JavaScript tools with node and finds acorn among Debian's node packages.
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${LAME_SOURCE:-}" ]; then
  cp -r "$LAME_SOURCE" "$work/lame"
else
  (cd "$work" && apt-get source -qq lame >/dev/null) || {
    echo "build-lame.sh: apt-get source lame failed; add a deb-src line for Debian main, or set LAME_SOURCE" >&2
    exit 1
  }
  mv "$work"/lame-3.100 "$work/lame"
fi

cd "$work/lame"
# emcc stands in for the C compiler; its programs cannot run here (cross_compiling). NO_STDIO keeps LAME's
# debug printing (and WASI's fd_write) out.
emconfigure ./configure -q cross_compiling=yes CFLAGS="-DNDEBUG -DNO_STDIO $opt_flags" \
  --prefix="$work/prefix" --disable-shared --disable-dependency-tracking \
  --disable-gtktest --disable-analyzer-hooks --disable-decoder --disable-frontend >/dev/null
emmake make -s -j"$(nproc)" >/dev/null
emmake make -s install >/dev/null

# The glue defines the WASI file calls stdio would import (see there): wasm-media-encoders' loader gives the module
# only proc_exit and memory growth.
emcc "$repo/scripts/lame/encoder-glue.c" "$work/prefix/lib/libmp3lame.a" -I"$work/prefix/include" \
  -DNDEBUG $opt_flags --no-entry -s STANDALONE_WASM -s MALLOC=emmalloc -s ALLOW_MEMORY_GROWTH \
  -s NO_SUPPORT_ERRNO -s EXPORTED_FUNCTIONS=_malloc,_free -o "$out"
imports=$(node -e 'const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
console.log(WebAssembly.Module.imports(m).map((i) => i.name).sort().join(" "))' "$out")
[ "$imports" = "emscripten_notify_memory_growth proc_exit" ] || {
  echo "build-lame.sh: $out imports $imports; wasm-media-encoders' loader gives only proc_exit and memory growth" >&2
  exit 1
}
echo "build-lame.sh: wrote $out ($(wc -c <"$out") bytes) with $opt_flags"
