#!/usr/bin/env bash
# Packs what a GPU machine without Node.js or internet needs to train the Siamese model on WebGPU (Dawn, Vulkan)
# and on wasm, into .gpu-check/ (git-ignored), and prints the one command to run there. Everything packed must stay
# under 64 MiB: an xz-compressed Node binary, dawn.node, one esbuild bundle of the benchmark with the .wasm files it
# loads, and Debian's libvulkan1 unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.gpu-check
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64" "$out/vulkan"

echo "packing node $(node --version) (xz)..."
xz -T2 -6 -c "$(command -v node)" > "$out/node.xz"

cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$out/node_modules/webgpu/dist/linux-x64/"

npx esbuild scripts/gpu-check-main.ts --bundle --platform=node --format=cjs --target=node20 \
  --outfile="$out/gpu-check.cjs" --external:webgpu --log-level=error
# The bundle loads these through __dirname, as from source: tfjs's wasm backend next to itself, and our kernels
# from wasm/ (src/runtime/wasm.ts's wasmPath).
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/"
mkdir -p "$out/wasm"
cp src/runtime/wasm/*.wasm "$out/wasm/"

tmp=$(mktemp -d)
if (cd "$tmp" && apt-get download libvulkan1 >/dev/null 2>&1); then
  dpkg -x "$tmp"/libvulkan1_*.deb "$out/vulkan"
else
  echo "warning: could not download Debian's libvulkan1 (apt-get download); the GPU machine must provide libvulkan.so.1" >&2
fi
rm -rf "$tmp"

size=$(du -sb "$out" | cut -f1)
echo "packed $out: $((size / 1024 / 1024)) MiB"
if [ "$size" -ge $((64 * 1024 * 1024)) ]; then
  echo "error: $out is over 64 MiB" >&2
  exit 1
fi
cat <<'CMD'

Run on the GPU machine, from the repository root, with .gpu-check carried (one command):

cd .gpu-check && xz -dc node.xz > node && chmod +x node && export LD_LIBRARY_PATH="$PWD/vulkan/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}" && { [ -n "${VK_DRIVER_FILES:-}" ] || [ ! -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] || export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; } && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; ./node gpu-check.cjs --pairs 16384 --batch 256 --repeats 2
CMD
