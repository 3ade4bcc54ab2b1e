// The `jtlab` command: one subcommand per job, each in src/cli/commands.
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
      .join("\n")
  );
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    await cmd.run(rest);
  } catch (e) {
    const err = e as Error;
    process.stderr.write(`jtlab ${name}: ${err.message}\n`);
    if (process.env.JTLAB_DEBUG && err.stack) process.stderr.write(err.stack + "\n");
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}
