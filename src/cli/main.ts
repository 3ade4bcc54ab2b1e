// The `jtlab` command: one subcommand per job, each in src/cli/commands. Errors print one line (the message, and the
// file it concerns when the error names one) unless --verbose asks for the stack; a run stopped by a signal exits
// with the shell's code for it (130 for Ctrl-C, 143 for SIGTERM).
import { SIGNAL_EXIT_CODE, StopRequested, stopSignalReceived } from "../io/signals";
import { UsageError } from "./args";
import { benchCommand } from "./commands/bench";
import { classifyCommand, similarCommand } from "./commands/classify";
import { scoreCommand } from "./commands/score";
import { trainCommand } from "./commands/train";
import { dataCommand } from "./commands/data";
import { evalCommand } from "./commands/eval";
import { expCommand } from "./commands/exp";
import { kernelCommand } from "./commands/kernel";
import { reproduceCommand } from "./commands/reproduce";
import { runCommand } from "./commands/run";

type Command = { run: (argv: string[]) => Promise<void>; help: string };

const COMMANDS: Record<string, Command> = {
  data: { run: dataCommand, help: "build the derived datasets (splits, Level gold halves, simulated profiles)" },
  eval: { run: evalCommand, help: "run a ranking benchmark (melo, or any in MELO's format) or the invariance suite (invariances)" },
  run: { run: runCommand, help: "execute a notebook headless with parameters; write the executed notebook and its HTML report" },
  reproduce: { run: reproduceCommand, help: "run every notebook with a profile's parameters and write reports/index.html" },
  kernel: { run: kernelCommand, help: "kernel install: register this project's tslab kernel with Jupyter" },
  train: { run: trainCommand, help: "train siamese: train the Siamese model (same code and profiles as notebook 04)" },
  classify: { run: classifyCommand, help: "role, level and industry of titles, with scores (latest trained run)" },
  similar: { run: similarCommand, help: "training titles most similar to a title" },
  score: { run: scoreCommand, help: "the semantic score table of a CSV of titles, streamed" },
  exp: { run: expCommand, help: "the experiment registry: list, show ID, compare" },
  bench: { run: benchCommand, help: "speed benchmarks, side by side with the Python peers" },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return (
    "usage: jtlab <command> [options]\n\n" +
    Object.entries(COMMANDS)
      .map(([name, c]) => `  ${name.padEnd(width)}  ${c.help}`)
      .join("\n") +
    "\n\n  --verbose  (any command) print an error's stack, not just its one line"
  );
}

/** One line for an error: its message, with the path a system error concerns when the message lacks it. */
export function errorLine(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const sys = e as NodeJS.ErrnoException;
  const first = e.message.split("\n")[0];
  const message = e instanceof UsageError || e instanceof StopRequested ? e.message : first.length > 500 ? `${first.slice(0, 500)}…` : first;
  if (sys.code && sys.path && !message.includes(sys.path)) return `${sys.path}: ${message}`;
  return message;
}

export async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes("--verbose") || !!process.env.JTLAB_DEBUG;
  const [name, ...rest] = argv.filter((a) => a !== "--verbose");
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return;
  }
  const report = (e: unknown): void => {
    process.stderr.write(`jtlab ${name}: ${errorLine(e)}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(e.stack + "\n");
  };
  // Errors thrown outside the command's own promise chain (a stream's error event, a timer) end the process the
  // same way: one line, exit code 1, and the exit cleanups (temporary files, runs, kernels) through process.exit.
  const fatal = (e: unknown): void => {
    report(e);
    process.exit(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    await cmd.run(rest);
  } catch (e) {
    report(e);
    process.exitCode = e instanceof StopRequested ? SIGNAL_EXIT_CODE[e.signal] : e instanceof UsageError ? 2 : 1;
  }
  // Work that stopped at a safe point on a signal and returned normally still exits with the signal's code.
  const sig = stopSignalReceived();
  if (sig && !process.exitCode) process.exitCode = SIGNAL_EXIT_CODE[sig];
}
