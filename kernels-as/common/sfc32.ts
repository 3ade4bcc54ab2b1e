// sfc32, the generator of src/util/random.ts (Rng.nextUint32), for kernels that draw their own random numbers. Its
// four words are globals of the instance that imports this file, so every thread has its own stream; a kernel
// seeds them or reads them from memory (and writes them back) around a call.
let w0: u32 = 0;
let w1: u32 = 0;
let w2: u32 = 0;
let w3: u32 = 0;

@inline export function sfc32Set(a: u32, b: u32, c: u32, d: u32): void {
  w0 = a;
  w1 = b;
  w2 = c;
  w3 = d;
}

/** Loads the state from 4 u32 at `at`. */
@inline export function sfc32Load(at: usize): void {
  sfc32Set(load<u32>(at), load<u32>(at, 4), load<u32>(at, 8), load<u32>(at, 12));
}

/** Stores the state as 4 u32 at `at`. */
@inline export function sfc32Store(at: usize): void {
  store<u32>(at, w0);
  store<u32>(at, w1, 4);
  store<u32>(at, w2, 8);
  store<u32>(at, w3, 12);
}

@inline export function sfc32Next(): u32 {
  const t = w0 + w1 + w3;
  w3 += 1;
  w0 = w1 ^ (w1 >>> 9);
  w1 = w2 + (w2 << 3);
  w2 = ((w2 << 21) | (w2 >>> 11)) + t;
  return t;
}
