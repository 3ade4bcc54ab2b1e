#!/usr/bin/env bash
# Builds src/viz/umap-kernels.wasm from the AssemblyScript in kernels-as/umap/ (assemblyscript is a devDependency).
# The .wasm is committed; rerun this after editing kernels-as/umap/. Memory is imported and shared so that a worker
# thread can run the same kernels on the same vectors without copying them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-src/viz/umap-kernels.wasm}
npx asc kernels-as/umap/index.ts \
  -O3 --enable simd --enable threads --runtime stub --noAssert --use abort= \
  --importMemory --sharedMemory --initialMemory 1 --maximumMemory 65536 --noExportMemory \
  -o "$out"
ls -l "$out"
