// The `jtlab` command: one subcommand per job, each in src/cli/commands. Errors print one line (the message, and the
// file it concerns when the error names one) unless --verbose asks for the stack; a run stopped by a signal exits
// with the shell's code for it (130 for Ctrl-C, 143 for SIGTERM). Usage errors exit 2; an unknown command,
// subcommand or option names the nearest known one. Every command and subcommand answers --help (help.ts).
import { SIGNAL_EXIT_CODE, StopRequested, stopSignalReceived } from "../io/signals";
import { HelpRequested, Options, UsageError, wantsHelp } from "./args";
import { benchCommand } from "./commands/bench";
import { classifyCommand, similarCommand } from "./commands/classify";
import { scoreCommand } from "./commands/score";
import { fixCommand } from "./commands/fix";
import { trainCommand } from "./commands/train";
import { dataCommand } from "./commands/data";
import { evalCommand } from "./commands/eval";
import { expCommand } from "./commands/exp";
import { exportCommand } from "./commands/export";
import { kernelCommand } from "./commands/kernel";
import { reportCommand } from "./commands/report";
import { reproduceCommand } from "./commands/reproduce";
import { runCommand } from "./commands/run";
import { commandsText, helpEntry, helpText, subcommandsOf } from "./help";
import { didYouMean } from "../util/suggest";

type Command = { run: (argv: string[]) => Promise<void> };

/** Every command; what each does, its options and examples are in help.ts. */
export const COMMANDS: Record<string, Command> = {
  data: { run: dataCommand },
  eval: { run: evalCommand },
  run: { run: runCommand },
  reproduce: { run: reproduceCommand },
  report: { run: reportCommand },
  kernel: { run: kernelCommand },
  train: { run: trainCommand },
  classify: { run: classifyCommand },
  similar: { run: similarCommand },
  score: { run: scoreCommand },
  fix: { run: fixCommand },
  exp: { run: expCommand },
  bench: { run: benchCommand },
  export: { run: exportCommand },
};

const isHelpFlag = (a: string | undefined): boolean => a === "--help" || a === "-h";

/** The help key of a command line: the command, and its subcommand when it has one ("exp list", "bench topk"). */
export function helpKey(name: string, argv: string[]): string {
  const sub = argv[0];
  return sub !== undefined && subcommandsOf(name).includes(sub) ? `${name} ${sub}` : name;
}

/**
 * The help of a command line, from the option table its command really parses with: the command runs with --help,
 * and parse() hands the table over (HelpRequested) before anything else happens. A command with subcommands asked
 * without one answers with its subcommands.
 */
export async function commandHelp(name: string, argv: string[]): Promise<{ key: string; text: string; options: Options | null }> {
  const key = helpKey(name, argv);
  const entry = helpEntry(name);
  if (key === name && entry?.subcommands && !entry.subcommandOptional) return { key, text: helpText(key, null, null), options: null };
  const args = key === name ? [] : [argv[0]];
  try {
    await COMMANDS[name].run([...args, "--help"]);
  } catch (e) {
    if (e instanceof HelpRequested) return { key, text: helpText(key, e.options, e.usage), options: e.options };
    throw e;
  }
  throw new Error(`jtlab ${key} ran instead of answering --help: its options are not parsed with parse() from args.ts`);
}

/** A name that is not a command or subcommand: one line with the nearest known name, and where the list is. */
function checkKnown(name: string, argv: string[]): void {
  if (!COMMANDS[name]) throw new UsageError(`unknown command ${JSON.stringify(name)}${didYouMean(name, Object.keys(COMMANDS))}\n(jtlab --help lists the commands)`);
  const subs = subcommandsOf(name);
  if (subs.length === 0) return;
  const sub = argv[0];
  if (sub === undefined || sub.startsWith("-")) {
    if (helpEntry(name)?.subcommandOptional || isHelpFlag(sub)) return;
    throw new UsageError(`name a subcommand: ${subs.join(", ")}\n(jtlab ${name} --help describes them)`);
  }
  if (!subs.includes(sub)) {
    const what = name === "bench" ? "benchmark" : `${name} subcommand`;
    throw new UsageError(`unknown ${what} ${JSON.stringify(sub)}${didYouMean(sub, subs)}\n(jtlab ${name} --help lists them)`);
  }
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
  const args = argv.filter((a) => a !== "--verbose");
  // `jtlab help exp list` is `jtlab exp list --help`.
  const [name, ...rest] = args[0] === "help" && args.length > 1 ? [...args.slice(1), "--help"] : args;
  if (!name || isHelpFlag(name) || name === "help") {
    console.log(commandsText(Object.keys(COMMANDS)));
    return;
  }
  const report = (e: unknown): void => {
    // A usage error that prints the usage points at the help of what was typed; one-line problems stay one line.
    const hint = e instanceof UsageError && /\nusage: /.test(e.message) && !/--help/.test(e.message) && COMMANDS[name] ? `\n(jtlab ${helpKey(name, rest)} --help: every option, with examples)` : "";
    process.stderr.write(`jtlab ${name}: ${errorLine(e)}${hint}\n`);
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
  try {
    checkKnown(name, rest);
    if (wantsHelp(rest)) console.log((await commandHelp(name, rest)).text);
    else await COMMANDS[name].run(rest);
  } catch (e) {
    report(e);
    process.exitCode = e instanceof StopRequested ? SIGNAL_EXIT_CODE[e.signal] : e instanceof UsageError ? 2 : 1;
  }
  // Work that stopped at a safe point on a signal and returned normally still exits with the signal's code.
  const sig = stopSignalReceived();
  if (sig && !process.exitCode) process.exitCode = SIGNAL_EXIT_CODE[sig];
}
