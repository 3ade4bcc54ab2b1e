// The "fasttext" kernel (kernels-as/kernels.json): the SGD step of a supervised fastText classifier with its
// softmax loss, after fastText's SoftmaxLoss::forward/backward and Model::update. Rebuild with
// `node scripts/build-kernels.mjs fasttext`.
//
// Why wasm: each step averages ~80 input rows of dim floats, then does classes × dim dot products and axpys, then
// adds the gradient back to the ~80 rows; a JavaScript loop does this one double at a time, 128-bit SIMD four
// float32 lanes at once, which is what it takes to train as fast as the C++ peer.
//
// Memory is imported and shared, so that worker threads can run this same module over the same vectors without
// locks (Hogwild, as fastText's threads). The module has no data segments; each instance keeps its pointers, its
// scratch included, in its own globals. The caller (src/models/fasttext/kernel.ts) lays out the arrays 16-byte
// aligned and pads every row to `stride` floats, a multiple of 4; the padding stays zero through training.

let stride: i32 = 0; // floats per row, a multiple of 4
let nClasses: i32 = 0;
let input: usize = 0; // input rows, rows × stride f32
let output: usize = 0; // output rows, classes × stride f32
let feats: usize = 0; // every example's input rows, concatenated, i32
let offsets: usize = 0; // example e's rows are feats[offsets[e] .. offsets[e + 1]), i32
let labels: usize = 0; // class of each example, i32
let order: usize = 0; // examples in training order, i32
let hid: usize = 0; // this instance's scratch: stride f32
let grad: usize = 0; // this instance's scratch: stride f32
let prob: usize = 0; // this instance's scratch: classes f32

export function configure(
  stride_: i32, nClasses_: i32, input_: usize, output_: usize, feats_: usize, offsets_: usize, labels_: usize, order_: usize,
  hid_: usize, grad_: usize, prob_: usize,
): void {
  stride = stride_;
  nClasses = nClasses_;
  input = input_;
  output = output_;
  feats = feats_;
  offsets = offsets_;
  labels = labels_;
  order = order_;
  hid = hid_;
  grad = grad_;
  prob = prob_;
}

// exp and log without the standard library's lookup tables, which would be data segments (see above).

/** e^x for x <= 0 (logits shifted by their largest): 2^k · e^r, |r| <= ln2/2, Taylor to r^13 (relative error ~1e-16). */
function expNeg(x: f64): f64 {
  if (x < -700) return 0;
  const k = Math.floor(x * 1.4426950408889634 + 0.5);
  const r = x - k * 0.6931471803691238 - k * 1.9082149292705877e-10;
  let t: f64 = 1.0 / 6227020800.0; // 1/13!
  t = t * r + 1.0 / 479001600.0;
  t = t * r + 1.0 / 39916800.0;
  t = t * r + 1.0 / 3628800.0;
  t = t * r + 1.0 / 362880.0;
  t = t * r + 1.0 / 40320.0;
  t = t * r + 1.0 / 5040.0;
  t = t * r + 1.0 / 720.0;
  t = t * r + 1.0 / 120.0;
  t = t * r + 1.0 / 24.0;
  t = t * r + 1.0 / 6.0;
  t = t * r + 0.5;
  t = t * r + 1.0;
  t = t * r + 1.0;
  return t * reinterpret<f64>(<i64>(<i32>k + 1023) << 52);
}

/** ln x for normal x > 0: e · ln2 + 2 atanh((m - 1) / (m + 1)), m in [√½, √2); only the reported loss uses it. */
function ln(x: f64): f64 {
  const bits = reinterpret<i64>(x);
  let e = <i32>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let t: f64 = 1.0 / 17.0;
  t = t * s2 + 1.0 / 15.0;
  t = t * s2 + 1.0 / 13.0;
  t = t * s2 + 1.0 / 11.0;
  t = t * s2 + 1.0 / 9.0;
  t = t * s2 + 1.0 / 7.0;
  t = t * s2 + 1.0 / 5.0;
  t = t * s2 + 1.0 / 3.0;
  t = t * s2 + 1.0;
  return <f64>e * 0.6931471805599453 + 2 * s * t;
}

@inline function dot(a: usize, b: usize, bytes: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let k: usize = 0;
  for (; k + 32 <= bytes; k += 32) {
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + k), v128.load(b + k)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + k, 16), v128.load(b + k, 16)));
  }
  if (k < bytes) acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + k), v128.load(b + k)));
  acc0 = f32x4.add(acc0, acc1);
  return f32x4.extract_lane(acc0, 0) + f32x4.extract_lane(acc0, 1) + f32x4.extract_lane(acc0, 2) + f32x4.extract_lane(acc0, 3);
}

/**
 * Trains examples order[s0 .. s1) in turn; the learning rate of the i-th of them is lr0 · (1 - (step0 + i) / total),
 * fastText's linear decay. Returns the summed cross-entropy of those examples, each measured before its update.
 */
export function train(s0: i32, s1: i32, step0: f64, total: f64, lr0: f64): f64 {
  const bytes = <usize>stride << 2;
  let loss: f64 = 0;
  for (let s = s0; s < s1; s++) {
    const ex = load<i32>(order + (<usize>s << 2));
    const f0 = load<i32>(offsets + (<usize>ex << 2));
    const f1 = load<i32>(offsets + (<usize>(ex + 1) << 2));
    if (f1 <= f0) continue;
    const lr = lr0 * (1.0 - (step0 + <f64>(s - s0)) / total);

    // hidden = mean of the example's input rows
    memory.fill(hid, 0, bytes);
    for (let f = f0; f < f1; f++) {
      const row = input + <usize>load<i32>(feats + (<usize>f << 2)) * bytes;
      for (let k: usize = 0; k < bytes; k += 16) v128.store(hid + k, f32x4.add(v128.load(hid + k), v128.load(row + k)));
    }
    const inv = f32x4.splat(<f32>(1.0 / <f64>(f1 - f0)));
    for (let k: usize = 0; k < bytes; k += 16) v128.store(hid + k, f32x4.mul(v128.load(hid + k), inv));

    // softmax over the classes' logits, shifted by the largest
    let max: f32 = -Infinity;
    for (let c = 0; c < nClasses; c++) {
      const z = dot(output + <usize>c * bytes, hid, bytes);
      store<f32>(prob + (<usize>c << 2), z);
      if (z > max) max = z;
    }
    let sum: f64 = 0;
    for (let c = 0; c < nClasses; c++) {
      const e = expNeg(<f64>(load<f32>(prob + (<usize>c << 2)) - max));
      store<f32>(prob + (<usize>c << 2), <f32>e);
      sum += e;
    }
    const label = load<i32>(labels + (<usize>ex << 2));
    const norm = 1.0 / sum;
    const pl = <f64>load<f32>(prob + (<usize>label << 2)) * norm;
    loss -= ln(pl > 1e-10 ? pl : 1e-10);

    // grad = Σ_c α_c · output_c with the output rows before their update; output_c += α_c · hidden
    memory.fill(grad, 0, bytes);
    for (let c = 0; c < nClasses; c++) {
      const p = <f64>load<f32>(prob + (<usize>c << 2)) * norm;
      const alpha = <f32>(lr * ((c == label ? 1.0 : 0.0) - p));
      const av = f32x4.splat(alpha);
      const row = output + <usize>c * bytes;
      for (let k: usize = 0; k < bytes; k += 16) {
        const r = v128.load(row + k);
        v128.store(grad + k, f32x4.add(v128.load(grad + k), f32x4.mul(av, r)));
        v128.store(row + k, f32x4.add(r, f32x4.mul(av, v128.load(hid + k))));
      }
    }

    // each input row gets the gradient of the mean: grad / rows
    for (let k: usize = 0; k < bytes; k += 16) v128.store(grad + k, f32x4.mul(v128.load(grad + k), inv));
    for (let f = f0; f < f1; f++) {
      const row = input + <usize>load<i32>(feats + (<usize>f << 2)) * bytes;
      for (let k: usize = 0; k < bytes; k += 16) v128.store(row + k, f32x4.add(v128.load(row + k), v128.load(grad + k)));
    }
  }
  return loss;
}
