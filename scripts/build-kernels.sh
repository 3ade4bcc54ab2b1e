#!/usr/bin/env bash
# Builds src/models/siamese/kernels/jtlab-kernels.wasm from the AssemblyScript in kernels-as/ (no native toolchain:
# assemblyscript is a devDependency). The .wasm is committed; rerun this after editing kernels-as/ (test/wasm-kernels.test.ts checks the committed file against a fresh build).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-src/models/siamese/kernels/jtlab-kernels.wasm}
npx asc kernels-as/index.ts \
  -O3 --enable simd --runtime stub --noAssert --use abort= \
  --importMemory --noExportMemory \
  -o "$out"
ls -l "$out"
