"use strict";
// A training thread (see train.ts); plain JavaScript because tslab compiles src/ in memory and a worker can only
// start from a file Node loads as is. Every thread instantiates kernel.wasm over the same shared memory, claims
// chunks of documents from a shared counter until all epochs are done, and updates the vectors without locks
// (Hogwild, as gensim and word2vec.c do). A chunk's learning rate and seed were chosen up front by the caller, so
// one thread reproduces a run exactly and two threads differ only in how their updates interleave.
const { parentPort, workerData } = require("worker_threads");

const { wasm, memory, configure, ctl, chunkDocs, alphas, seeds, total } = workerData;
const kernel = new WebAssembly.Instance(wasm, { env: { memory } }).exports;
kernel.configure(...configure);
const nChunks = chunkDocs.length - 1;
for (;;) {
  const c = Atomics.add(ctl, 0, 1);
  if (c >= total) break;
  const ci = c % nChunks;
  kernel.seed(seeds[c * 4], seeds[c * 4 + 1], seeds[c * 4 + 2], seeds[c * 4 + 3]);
  const kept = kernel.trainDocs(chunkDocs[ci], chunkDocs[ci + 1], 0, alphas[c]);
  parentPort.postMessage({ chunk: c, kept });
}
parentPort.postMessage({ done: true });
