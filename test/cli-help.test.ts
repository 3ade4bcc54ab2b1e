// Every command and subcommand answers --help with what it does, every option it really parses (from the table
// handed to parse(), so a new option without a line in help.ts fails here) and two examples; typos get a
// "did you mean" and exit 2.
import { describe, expect, it } from "vitest";
import { COMMANDS, commandHelp } from "../src/cli/main";
import { helpEntry, subcommandsOf } from "../src/cli/help";
import { editDistance, suggest } from "../src/util/suggest";
import { runCli } from "./helpers";

/** Every command line that has help: each command, and each of its subcommands. */
function commandLines(): { name: string; sub?: string }[] {
  return Object.keys(COMMANDS).flatMap((name) => [{ name }, ...subcommandsOf(name).map((sub) => ({ name, sub }))]);
}

/** The literal subcommand words a usage string names: "jtlab train fasttext|vote|char-tfidf" → fasttext, vote, char-tfidf. */
function usageSubcommands(name: string, usage: string): string[] {
  return usage
    .split("\n")
    .map((l) => l.trim().replace(/^usage:\s*/, "").split(/\s+/))
    .filter((w) => w[0] === "jtlab" && w[1] === name && /^[a-z][\w|-]*$/.test(w[2] ?? ""))
    .flatMap((w) => w[2].split("|"));
}

describe("jtlab <command> --help", () => {
  it("every command and subcommand: a description, every real option described, two examples", async () => {
    const lines = commandLines();
    expect(lines.length).toBeGreaterThan(Object.keys(COMMANDS).length + 10);
    for (const { name, sub } of lines) {
      const key = sub ? `${name} ${sub}` : name;
      const h = await commandHelp(name, sub ? [sub] : []);
      expect(h.key, key).toBe(key);
      const entry = helpEntry(key);
      expect(entry, `${key} has no entry in src/cli/help.ts`).not.toBeNull();
      expect(h.text.split("\n")[0]).toBe(`jtlab ${key}: ${entry!.summary}`);
      expect(h.text, key).not.toMatch(/\(undocumented\)|\(no description\)/);
      const examples = h.text.slice(h.text.indexOf("\nexamples:\n"));
      expect(examples.match(/^ {2}jtlab /gm), `${key}: two examples`).toHaveLength(2);
      expect(h.text).toMatch(/^ {2}-h, --help /m);
      if (h.options === null) {
        // A command asked without its subcommand lists them.
        for (const s of subcommandsOf(name)) expect(h.text, key).toMatch(new RegExp(`^ {2}${s} `, "m"));
        continue;
      }
      const real = Object.keys(h.options);
      for (const opt of real) {
        expect(entry!.options?.[opt]?.text, `${key} --${opt} has no help text in src/cli/help.ts`).toBeTruthy();
        expect(h.text).toMatch(new RegExp(`^ {2}(-\\w, )?--${opt}\\b`, "m"));
      }
      // No help for an option the command does not take (a renamed or removed one).
      expect(Object.keys(entry!.options ?? {}).filter((o) => !real.includes(o)), `${key}: described but not parsed`).toEqual([]);
    }
  }, 60_000);

  it("every subcommand a usage line names has help", async () => {
    for (const name of Object.keys(COMMANDS)) {
      for (const sub of subcommandsOf(name).length ? subcommandsOf(name) : [undefined]) {
        const h = await commandHelp(name, sub ? [sub] : []);
        const usage = h.text.slice(h.text.indexOf("usage: "), h.text.indexOf("\n\n", h.text.indexOf("usage: ")));
        for (const word of usageSubcommands(name, usage)) expect(subcommandsOf(name), `${name} ${word}`).toContain(word);
      }
    }
  }, 60_000);

  it("answers on stdout with exit 0: --help, -h, jtlab help <command>, and jtlab --help lists the commands", () => {
    const all = runCli(["--help"]);
    expect(all.status).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(all.stdout).toMatch(new RegExp(`^ {2}${name} +\\S`, "m"));
    for (const args of [["run", "--help"], ["classify", "-h"], ["help", "exp", "compare"], ["exp", "compare", "--metric", "x", "--help"], ["train", "siamese", "--help"], ["eval", "--help"]]) {
      const r = runCli(args);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^jtlab \S+.*: /);
      expect(r.stdout).toContain("\nexamples:\n");
    }
    expect(runCli(["help", "exp", "compare"]).stdout).toBe(runCli(["exp", "compare", "-h"]).stdout);
    // Wrapped lines joined: the option's line says what it takes and its default.
    expect(runCli(["exp", "compare", "--help"]).stdout.replace(/\n {3,}/g, " ")).toMatch(/^ {2}--format F +text, csv, json or markdown .*\(default: text\)$/m);
  }, 120_000);

  it("a title after -- may be spelled --help", () => {
    const r = runCli(["classify", "--protocol", "nearest", "--", "--help"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--protocol must be one of/);
  }, 60_000);
});

describe("did you mean", () => {
  it("edit distance counts a swap of neighbours as one edit", () => {
    expect(editDistance("clasify", "classify")).toBe(1);
    expect(editDistance("lsit", "list")).toBe(1);
    expect(editDistance("jsno", "json")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("compare", "compare")).toBe(0);
  });

  it("suggests within two edits, or the one name a prefix starts, else nothing", () => {
    const commands = Object.keys(COMMANDS);
    expect(suggest("clasify", commands)).toBe("classify");
    expect(suggest("reproduec", commands)).toBe("reproduce");
    expect(suggest("EXP", commands)).toBe("exp");
    expect(suggest("comp", ["list", "show", "compare"])).toBe("compare");
    expect(suggest("re", commands)).toBeNull(); // run, report, reproduce: no single guess
    expect(suggest("zzzzzz", commands)).toBeNull();
  });

  it("an unknown command, subcommand or option: one line naming the likely one, a usage hint, exit 2", () => {
    const cases: [string[], string][] = [
      [["clasify", "x"], 'jtlab clasify: unknown command "clasify"; did you mean "classify"?'],
      [["exp", "lsit"], 'jtlab exp: unknown exp subcommand "lsit"; did you mean "list"?'],
      [["eval", "mleo"], 'jtlab eval: unknown eval subcommand "mleo"; did you mean "melo"?'],
      [["bench", "topkk"], 'jtlab bench: unknown benchmark "topkk"; did you mean "topk"?'],
      [["classify", "--jsn", "x"], "jtlab classify: unknown option --jsn; did you mean --json?"],
      [["exp", "compare", "--wdie"], "jtlab exp: unknown option --wdie; did you mean --wide?"],
      [["score", "--in", "a.csv", "--otu", "b.csv"], "jtlab score: unknown option --otu; did you mean --out?"],
      [["help", "exp", "comapre"], 'jtlab exp: unknown exp subcommand "comapre"; did you mean "compare"?'],
    ];
    for (const [args, line] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(" ")).toBe(2);
      const [first, ...rest] = r.stderr.trimEnd().split("\n");
      expect(first).toBe(line);
      expect(rest.join("\n"), args.join(" ")).toMatch(/--help/);
      expect(r.stdout).toBe("");
    }
    const none = runCli(["classify", "--zzzzzz", "x"]);
    expect(none.status).toBe(2);
    expect(none.stderr.split("\n")[0]).toBe('jtlab classify: unknown option --zzzzzz (a value that starts with "-" goes after "--")');
    expect(none.stderr).toMatch(/^usage: jtlab classify /m);
  }, 120_000);
});
