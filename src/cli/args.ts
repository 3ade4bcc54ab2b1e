// Small helpers over node:util's parseArgs, so every command reports usage errors the same way and answers --help
// from the very option table it parses with (main.ts prints the help: see help.ts).
import { parseArgs, ParseArgsConfig } from "util";
import { didYouMean } from "../util/suggest";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Thrown by parse() when the arguments ask for help, before anything else happens: it carries the command's own
 * option table and usage, so the help can list every option the command really takes.
 */
export class HelpRequested extends Error {
  constructor(
    readonly options: Options,
    readonly usage: string,
  ) {
    super("help requested");
    this.name = "HelpRequested";
  }
}

/** Parsed options (typed by the option table) and positionals. */
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** --help or -h before a `--` (after it, "--help" is a positional: a title may be spelled so). */
export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  const head = end < 0 ? argv : argv.slice(0, end);
  return head.includes("--help") || head.includes("-h");
}

export function parse<O extends Options>(argv: string[], options: O, usage: string): Parsed<O> {
  if (wantsHelp(argv)) throw new HelpRequested(options, usage);
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${argsProblem(e as NodeJS.ErrnoException, options)}\nusage: ${usage}`);
  }
}

/** parseArgs's error as one line; an unknown option with the nearest known one. */
function argsProblem(e: NodeJS.ErrnoException, options: Options): string {
  const unknown = e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /Unknown option '([^']+)'/.exec(e.message)?.[1] : undefined;
  if (unknown === undefined) return e.message.split("\n")[0];
  const spellings = [...Object.keys(options).map((k) => `--${k}`), ...Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : [])), "--help"];
  const hint = didYouMean(unknown, spellings, (s) => s);
  // Without a likely option, the one other way to get here: a value (a title) that starts with "-".
  return `unknown option ${unknown}${hint || ` (a value that starts with "-" goes after "--")`}`;
}

/** A numeric option, with a clear error when it is not a number. */
export function num(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got ${JSON.stringify(value)}`);
  return n;
}
