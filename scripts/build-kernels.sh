#!/usr/bin/env bash
# Builds src/models/siamese/kernels/jtlab-kernels.wasm from the AssemblyScript in kernels-as/ (no native toolchain:
# assemblyscript is a devDependency). The .wasm is committed; rerun this after editing kernels-as/.
set -euo pipefail
cd "$(dirname "$0")/.."
npx asc kernels-as/index.ts \
  -O3 --enable simd --runtime stub --noAssert --use abort= \
  --importMemory --noExportMemory \
  -o src/models/siamese/kernels/jtlab-kernels.wasm
ls -l src/models/siamese/kernels/jtlab-kernels.wasm
