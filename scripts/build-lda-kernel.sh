#!/usr/bin/env bash
# Builds src/models/lda/gibbs.wasm, the LDA Gibbs sweep, from the AssemblyScript in kernels-as/lda/ (assemblyscript
# is a devDependency; no native toolchain). The .wasm is committed; rerun this after editing kernels-as/lda/.
# The module imports its memory (the caller sizes it per chain) and has no data segments, so instantiating it
# writes nothing; the build is deterministic, and test/wasm-kernels.test.ts checks the committed file against a fresh one.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-src/models/lda/gibbs.wasm}
npx asc kernels-as/lda/index.ts \
  -O3 --enable simd --runtime stub --noAssert --use abort= \
  --importMemory --noExportMemory \
  -o "$out"
ls -l "$out"
