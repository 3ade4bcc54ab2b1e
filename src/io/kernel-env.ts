// Where the code runs: inside a tslab kernel (a notebook, interactive or under `jtlab run`) or a plain process.
// Display helpers choose their output from this, so that library code works the same in both.

/** Set by `jtlab run` and by the kernelspec `jtlab kernel install` writes. */
export const KERNEL_ENV = "JTLAB_KERNEL";
/** Set by `jtlab run`: outputs go to a report renderer rather than a live Jupyter front end. */
export const RUNNER_ENV = "JTLAB_RUNNER";

export function inKernel(): boolean {
  if (process.env[KERNEL_ENV] === "1") return true;
  // A kernel started by `tslab install`'s own kernelspec: `node .../tslab kernel --config-path ...`.
  const argv = process.argv.join(" ");
  return /tslab/.test(argv) && process.argv.includes("kernel");
}

export function underRunner(): boolean {
  return process.env[RUNNER_ENV] === "1";
}

/** tslab's display API, loaded only inside a kernel (outside, it has no channel to write to). */
export function tslabDisplay(): typeof import("tslab") | null {
  if (!inKernel()) return null;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require("tslab") as typeof import("tslab");
}
