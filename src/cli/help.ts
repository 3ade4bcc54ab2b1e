// `jtlab <command> [subcommand] --help`: what each command does, one line per option (meaning and default), and two
// examples. The options listed are the ones the command's parse() really takes (args.ts hands its table over), each
// described here by name: an option without a line here shows as undocumented, and test/cli-help.test.ts fails.
import { benchmarks } from "../bench/registry";
import { Options } from "./args";

export interface OptionHelp {
  text: string;
  /** What the option means when it is not given. */
  default?: string;
  /** The value's placeholder in the option list ("FILE", "N"); VALUE when absent. */
  value?: string;
}

export interface Example {
  command: string;
  does: string;
}

export interface HelpEntry {
  summary: string;
  description?: string;
  options?: Record<string, OptionHelp>;
  examples: [Example, Example];
  /** For a command whose first word names what to do (exp list, train siamese): those words. */
  subcommands?: string[];
  /** The command also runs without a subcommand (bench --backend B). */
  subcommandOptional?: boolean;
}

/** Options every command takes: main.ts handles them before the command's own table. */
export const GLOBAL_OPTIONS: Record<string, OptionHelp> = {
  verbose: { text: "on an error, print its stack too, not just its one line (or set JTLAB_DEBUG=1)" },
  help: { text: "print this help and exit" },
};

const JSON_OUT: OptionHelp = { text: "print JSON instead of text, for scripts", default: "text" };
const RUN_ID: OptionHelp = { text: "use this run of the registry (an id or a unique prefix, see `jtlab exp list`)", value: "ID", default: "the best run on dev" };
const METHOD: OptionHelp = { text: "use the latest run of this method (char-tfidf, word2vec, doc2vec, fasttext, vote, siamese-char, ...)", value: "M", default: "the best method on dev" };
const PROTOCOL: OptionHelp = { text: "how the method's title vectors become classes: representatives, neighbours, head or rules", value: "P", default: "the best protocol on dev" };
const PARAM: OptionHelp = { text: "a parameter, typed as papermill does (number, boolean, JSON, else text)", value: "NAME=VALUE" };
const BACKEND: OptionHelp = { text: "the tfjs backend: wasm, webgpu, tensorflow or cpu", value: "B", default: "wasm" };
const SELF_CONTAINED: OptionHelp = { text: "inline plotly.js (4.8 MB) into each report so it opens offline as one file", default: "reports link reports/assets/plotly.min.js" };
const REFERENCE_LIST: OptionHelp = { text: "the committed reference runs of the quick profile (experiments/reference/) instead of your registry" };

const ENTRIES: Record<string, HelpEntry> = {
  data: {
    summary: "build the derived datasets (splits, Level gold halves, simulated profiles) and print their sizes",
    description:
      "Reads the open data (../shared/data, or data/cache/ after --download), checks every file against its manifest, and " +
      "writes data/derived/ (cached by a fingerprint of the inputs). Prints the class counts of each split.",
    options: {
      download: { text: "first fetch O*NET, ONS and MELO from their official sources into data/cache/ (for machines without ../shared/data)" },
      "ons-url": { text: "where --download fetches the ONS SOC 2020 coding index workbook", value: "URL", default: "the ONS website's current link" },
      json: JSON_OUT,
    },
    examples: [
      { command: "jtlab data", does: "build (or reuse) the derived datasets and print the splits" },
      { command: "jtlab data --download --json", does: "fetch the open data first, then print the summary as JSON" },
    ],
  },

  eval: {
    summary: "run a ranking benchmark (MELO, or any in MELO's format) or the invariance suite",
    subcommands: ["melo", "ranking", "invariances"],
    examples: [
      { command: "jtlab eval melo --method char-tfidf", does: "MAP, MRR, P@5, R@10 and nDCG@10 of char TF-IDF on MELO" },
      { command: "jtlab eval invariances --method siamese", does: "how often the Siamese model keeps similar titles similar" },
    ],
  },
  "eval melo": {
    summary: "rank MELO's corpus for each of its queries with a method and score the ranking like trec_eval",
    options: {
      method: { text: "the ranking method (required): char-tfidf, word2vec, doc2vec, siamese, ... (the error lists them)", value: "M" },
      run: { text: "rank with this run's model (an id or unique prefix)", value: "ID", default: "the method's latest run" },
      json: JSON_OUT,
    },
    examples: [
      { command: "jtlab eval melo --method char-tfidf", does: "MELO's own baseline, scored here" },
      { command: "jtlab eval melo --method siamese --json", does: "the latest Siamese run's figures as JSON" },
    ],
  },
  "eval ranking": {
    summary: "any ranking benchmark in MELO's format (queries, corpus, relevance judgements), scored like trec_eval",
    options: {
      queries: { text: "the queries TSV (q_id, query text)", value: "Q.tsv" },
      corpus: { text: "the corpus TSV (c_id, element text)", value: "C.tsv" },
      qrels: { text: "the relevance judgements TSV (q_id, c_id)", value: "A.tsv" },
      method: { text: "the ranking method (required), as for eval melo", value: "M" },
      run: { text: "rank with this run's model", value: "ID", default: "the method's latest run" },
      json: JSON_OUT,
    },
    examples: [
      { command: "jtlab eval ranking --queries q.tsv --corpus c.tsv --qrels a.tsv --method char-tfidf", does: "your own benchmark" },
      { command: "jtlab eval ranking --queries q.tsv --corpus c.tsv --qrels a.tsv --method doc2vec --json", does: "the same with Doc2Vec, as JSON" },
    ],
  },
  "eval invariances": {
    summary: "the invariance suite (data/gold/invariances.tsv): pairs that must stay similar or must not, per transformation",
    options: {
      method: { text: "only these methods (or separate them with commas)", value: "M", default: "every method with a similarity model" },
      run: { text: "this run's model for its method", value: "ID", default: "each method's latest run" },
      failures: { text: "the worst failing pairs printed per expectation", value: "N", default: "10 (JSON: every kept failure)" },
      json: JSON_OUT,
    },
    examples: [
      { command: "jtlab eval invariances", does: "pass rates and AUC of every method, with their worst failures" },
      { command: "jtlab eval invariances --method char-tfidf,siamese --failures 0", does: "two methods side by side, no failures" },
    ],
  },

  run: {
    summary: "execute a notebook headless with parameters; write the executed notebook and its HTML report",
    description:
      "The notebook runs in its own tslab kernel; it is saved as each cell starts and ends. Ctrl-C interrupts the running " +
      "cell, saves what ran (marked interrupted) and exits 130.",
    options: {
      param: PARAM,
      out: { text: "the folder for <name>.ipynb and <name>.html", value: "DIR", default: "reports/" },
      timeout: { text: "stop a cell that runs longer than this", value: "SECONDS", default: "no limit" },
      quiet: { text: "do not echo the cells' output while they run" },
      "self-contained": SELF_CONTAINED,
    },
    examples: [
      { command: "jtlab run notebooks/04-siamese-char-cnn.ipynb -p profile=quick", does: "train and report the quick Siamese model" },
      { command: "jtlab run notebooks/02-lda-topics.ipynb -p topics=30 --out /tmp/lda --self-contained", does: "one offline report to mail" },
    ],
  },
  reproduce: {
    summary: "run every notebook with a profile's parameters and write reports/ with reports/index.html",
    description: "Parameters per notebook and profile: experiments/configs/notebooks.json. A failed notebook does not stop the others; the exit code is 1 if any failed.",
    options: {
      profile: { text: "the parameter profile: quick (minutes) or full (the paper-scale runs)", value: "NAME", default: "quick" },
      out: { text: "the reports folder", value: "DIR", default: "reports/" },
      only: { text: "only the notebooks whose file name starts with this", value: "NN" },
      notebooks: { text: "another notebooks folder", value: "DIR", default: "notebooks/" },
      profiles: { text: "another profiles file", value: "FILE", default: "experiments/configs/notebooks.json" },
      "self-contained": SELF_CONTAINED,
    },
    examples: [
      { command: "jtlab reproduce", does: "the quick profile, every notebook, into reports/" },
      { command: "jtlab reproduce --only 01 --only 06 --out /tmp/r", does: "two notebooks into another folder" },
    ],
  },

  report: {
    summary: "work with written reports: bundle one into a single offline HTML file",
    subcommands: ["bundle"],
    examples: [
      { command: "jtlab report bundle reports/06-comparison.html", does: "reports/06-comparison.bundle.html, opens offline" },
      { command: "jtlab report bundle reports/04-siamese-char-cnn.html --out ~/siamese.html", does: "choose where it goes" },
    ],
  },
  "report bundle": {
    summary: "one offline HTML file of a report (plotly.js and every linked asset inlined), for mailing",
    options: {
      out: { text: "the bundled file", value: "FILE", default: "<report>.bundle.html beside the report" },
      force: { text: "replace --out when it exists", default: "refuse to overwrite" },
    },
    examples: [
      { command: "jtlab report bundle reports/06-comparison.html", does: "bundle the comparison report beside it" },
      { command: "jtlab report bundle reports/06-comparison.html --out /tmp/cmp.html --force", does: "write it elsewhere, replacing an old one" },
    ],
  },

  kernel: {
    summary: "register this project's tslab kernel with Jupyter",
    subcommands: ["install"],
    examples: [
      { command: "jtlab kernel install", does: "the kernel \"TypeScript (jtlab)\" for this user" },
      { command: "jtlab kernel install --prefix /opt/conda --name jtlab-dev", does: "into an environment, under another name" },
    ],
  },
  "kernel install": {
    summary: "write a Jupyter kernelspec that runs tslab from this project (no Python needed)",
    options: {
      prefix: { text: "install under DIR/share/jupyter/kernels (an environment) instead of the user's Jupyter folder", value: "DIR" },
      name: { text: "the kernelspec's name (letters, digits, '.', '_', '-')", value: "NAME", default: "jtlab" },
      user: { text: "install for this user (what happens without --prefix; accepted for jupyter's spelling)" },
    },
    examples: [
      { command: "jtlab kernel install", does: "~/.local/share/jupyter/kernels/jtlab (or $JUPYTER_DATA_DIR)" },
      { command: "jtlab kernel install --name jtlab2", does: "a second kernelspec beside the first" },
    ],
  },

  train: {
    summary: "train a method and record it in the registry (the same code and profiles as its notebook)",
    subcommands: ["siamese", "fasttext", "vote", "char-tfidf"],
    examples: [
      { command: "jtlab train siamese --profile quick", does: "the Siamese char-CNN as notebook 04 trains it" },
      { command: "jtlab train fasttext", does: "the fastText classifier, evaluated under every protocol" },
    ],
  },
  "train siamese": {
    summary: "train the Siamese model, evaluate dev + test under every protocol and MELO, and record the run",
    options: {
      profile: { text: "the training profile in experiments/configs/siamese.json: quick or full", value: "NAME", default: "quick" },
      param: { ...PARAM, text: "override one profile setting (the usage line lists them)" },
      backend: BACKEND,
      name: { text: "the run's name (part of its id)", value: "NAME", default: "the variant's method name" },
    },
    examples: [
      { command: "jtlab train siamese", does: "the quick profile on the wasm backend" },
      { command: "jtlab train siamese --profile full --backend webgpu -p epochs=20", does: "the full profile on a GPU, fewer epochs" },
    ],
  },
  "train fasttext": {
    summary: "train the supervised fastText classifier, evaluate it on dev + test and record the run",
    options: {},
    examples: [
      { command: "jtlab train fasttext", does: "train and record; prints test macro-F1 and accuracy" },
      { command: "jtlab train fasttext && jtlab exp list", does: "then see the run in the registry" },
    ],
  },
  "train vote": {
    summary: "the vote of fastText with char TF-IDF's neighbours and head (and Doc2Vec's latest run when there is one)",
    options: {},
    examples: [
      { command: "jtlab train vote", does: "train the members, vote, evaluate and record" },
      { command: "jtlab train vote && jtlab exp compare --latest-per-method", does: "then compare it with every method" },
    ],
  },
  "train char-tfidf": {
    summary: "char TF-IDF under every protocol, with its MELO ranking, recorded as a run",
    options: {},
    examples: [
      { command: "jtlab train char-tfidf", does: "evaluate and record char TF-IDF" },
      { command: "jtlab train char-tfidf && jtlab classify \"RN, ICU\" --method char-tfidf", does: "then classify with it" },
    ],
  },

  classify: {
    summary: "role, level and industry of titles, with scores and the closest training titles as evidence",
    description: "Each category type is answered by the method and protocol that scored best on dev macro-F1 in the registry, unless one is named; the output says which.",
    options: {
      method: METHOD,
      protocol: PROTOCOL,
      run: RUN_ID,
      evidence: { text: "how many nearest training titles to keep as evidence (text shows up to 3)", value: "N", default: "5" },
      taxonomy: { text: "add a category type of your own: a TSV (class, example[, weight]), JSON or YAML of example titles per class (repeatable)", value: "FILE" },
      threshold: { text: "the similarity below which a --taxonomy type answers Other", value: "T", default: "0.5" },
      json: JSON_OUT,
    },
    examples: [
      { command: 'jtlab classify "Senior Java Developer" "RN, night shift"', does: "two titles, best methods on dev" },
      { command: 'jtlab classify "Founder & CEO" --taxonomy data/taxonomy/authority-level.tsv --json', does: "the talk's Authority Level type beside the built-in ones, as JSON" },
    ],
  },
  export: {
    summary: "a Siamese run as a folder others can load: tfjs layers model, encoder tables, vectors, calibration, model card",
    description: "Answers exactly as `jtlab classify --run ID` does (src/export/classifier.ts, in Node or a browser); the neighbours protocol's titles are stored as int8, with their recall against float32 measured on dev and recorded in manifest.json and model-card.md.",
    options: {
      run: { text: "the Siamese run to export (id, or a unique part of it)", value: "ID" },
      out: { text: "the folder to write: new or empty unless --force", value: "DIR" },
      force: { text: "replace a non-empty --out (the old folder is kept once as DIR.prev)", default: "refuse" },
      neighbours: { text: "labelled training titles kept for the neighbours protocol (a seeded stratified subset)", value: "N", default: "all" },
    },
    examples: [
      { command: "jtlab export --run 2026-12-01-siamese-both-805abb --out exports/siamese", does: "export a run" },
      { command: "jtlab export --run 805abb --out exports/siamese --neighbours 10000 --force", does: "replace an export, keeping 10,000 neighbour titles" },
    ],
  },
  similar: {
    summary: "the labelled training titles most similar to a title (cosine of the method's title vectors)",
    options: {
      k: { text: "how many titles", value: "N", default: "10" },
      method: { ...METHOD, default: "the method with title vectors that is best on dev" },
      protocol: { text: "checked like classify's, but neighbours always come from the title vectors themselves", value: "P" },
      run: { ...RUN_ID, default: "the method's latest run" },
      json: JSON_OUT,
    },
    examples: [
      { command: 'jtlab similar "data wrangler"', does: "the 10 nearest training titles" },
      { command: 'jtlab similar "ICU nurse" -k 5 --method char-tfidf --json', does: "five, by char TF-IDF, as JSON" },
    ],
  },
  score: {
    summary: "the semantic score table of a CSV or Parquet file of titles: label and score per type, one score column per class",
    description:
      "Input: CSV or Parquet (by extension) with a title column (and person_id or id, kept). The whole file is read once before any " +
      "model loads; each distinct title is scored once, on --workers threads; the output (CSV or Parquet by extension, Parquet with " +
      "typed columns) is written beside --out and renamed into place only when complete. --shard i/n keeps a share of the people " +
      "(a hash of the id) so that a batch engine can run n tasks and concatenate their outputs.",
    options: {
      in: { text: "the input, .csv or .parquet (a `title` column; `person_id` or `id` kept)", value: "FILE" },
      out: { text: "the output, .csv or .parquet", value: "FILE" },
      force: { text: "replace --out when it exists", default: "refuse to overwrite" },
      method: METHOD,
      protocol: PROTOCOL,
      run: RUN_ID,
      workers: { text: "threads scoring distinct titles, each with the model loaded once", value: "N", default: "the machine's cores" },
      shard: { text: "only shard i of n (from 0) of the people, by a hash of their id", value: "i/n", default: "everyone" },
      "max-distinct": { text: "distinct titles kept in memory; past it the titles spill to bucket files beside --out (same output)", value: "N", default: "2000000" },
      taxonomy: { text: "add a category type of your own (a taxonomy file, as jtlab classify --taxonomy): its label, score and per-class columns (repeatable)", value: "FILE" },
      threshold: { text: "the similarity below which a --taxonomy type answers Other", value: "T", default: "0.5" },
      batch: { text: "distinct titles per chunk sent to a worker", value: "N", default: "2048" },
      encoding: { text: "a CSV input's encoding: utf8 or latin1", value: "E", default: "utf8" },
    },
    examples: [
      { command: "jtlab score --in people.parquet --out scores.parquet", does: "score every title with the best methods on dev, on every core" },
      { command: "jtlab score --in people.csv --out part-3.csv --shard 3/8 --workers 1", does: "the fourth of 8 shards, as one task of a batch engine" },
    ],
  },

  fix: {
    summary: "mend a title's label without retraining: pin it, or add it as an example, in the type's taxonomy file (who, when, why)",
    description:
      "The fix is written into the type's taxonomy file (data/taxonomy/<type>.tsv, or $JTLAB_TAXONOMY_DIR, for a built-in type; the --taxonomy " +
      "file for yours) after the dev titles are answered with and without it: the command prints every dev title whose label moved and the " +
      "dev accuracy and macro-F1 before and after. A pin gives exactly that title its class; an added example also claims titles at least " +
      "as similar to it as their current answer's score (and at least 0.5). classify and score apply the fixes; export does not carry them.",
    options: {
      type: { text: "the built-in type to fix: role, level or industry", value: "TYPE" },
      taxonomy: { text: "or the taxonomy file of a type of your own (TSV, JSON or YAML)", value: "FILE" },
      label: { text: "the class the title should get (checked against the type's classes)", value: "CLASS" },
      as: { text: "pin (this title only) or example (this title and titles like it)", value: "KIND", default: "example" },
      why: { text: "why the fix is right, recorded with it", value: "TEXT" },
      by: { text: "who makes the fix, recorded with it", value: "NAME", default: "$JTLAB_USER, git's user.name, or the login name" },
      file: { text: "many fixes at once: a TSV title, label[, kind][, why]", value: "FIXES.tsv" },
      dev: { text: "gold labels of a --taxonomy type for the dev figures: a TSV title, class", value: "FILE", default: "titles only (what moved, no figures)" },
      "new-class": { text: "let --label add a class to a --taxonomy type (the title becomes its first example)", default: "unknown classes are refused" },
      threshold: { text: "the similarity below which a --taxonomy type answers Other", value: "T", default: "0.5" },
      method: METHOD,
      protocol: PROTOCOL,
      run: RUN_ID,
      "dry-run": { text: "show what would move, write nothing", default: "write the fix" },
      show: { text: "how many moved dev titles to print (now wrong first)", value: "N", default: "20" },
      json: JSON_OUT,
    },
    examples: [
      { command: 'jtlab fix "Head of People & Culture" --type role --label HR --why "people & culture is HR" --dry-run', does: "see what adding the example would move, writing nothing" },
      { command: 'jtlab fix "Founder & CEO" --taxonomy my-authority.tsv --label CEO/Founder --as pin --why "the talk\'s example"', does: "pin a title in your own type" },
    ],
  },

  exp: {
    summary: "the experiment registry (experiments/runs, or $JTLAB_RUNS_DIR): list, show and compare runs",
    subcommands: ["list", "show", "compare", "export"],
    examples: [
      { command: "jtlab exp list", does: "every run with its status, duration and headline figure" },
      { command: "jtlab exp compare --latest-per-method", does: "the newest run of each method beside the baselines" },
    ],
  },
  "exp list": {
    summary: "one line per run: id, method, kind, status, start (UTC), duration and one headline figure",
    description:
      "The headline figure: role macro-F1 on test under the run's best protocol on dev for classifiers, MELO MRR for " +
      "ranking-only runs, — when the run has neither.",
    options: { reference: REFERENCE_LIST, json: { text: "print JSON (every field, the headline included) instead of text" } },
    examples: [
      { command: "jtlab exp list", does: "your runs, oldest first" },
      { command: "jtlab exp list --reference --json", does: "the reference runs as JSON" },
    ],
  },
  "exp show": {
    summary: "the whole record of one run (params, versions, data checksums, metrics) as JSON",
    options: { json: { text: "accepted for symmetry: show always prints JSON" } },
    examples: [
      { command: "jtlab exp show 2026-12-01-fasttext-1f083c", does: "a run by its id (or a reference run's)" },
      { command: "jtlab exp show 2026-12-01-fast | jq .metrics.test.role", does: "by a unique prefix, one part of it" },
    ],
  },
  "exp compare": {
    summary: "runs side by side, the majority-class and stratified-random baselines first; figures below majority marked ▼",
    description:
      "Compact by default: per run its best protocol on dev and the test figures that matter (role and industry macro-F1 and " +
      "accuracy, level accuracy, MELO MRR). --wide: every parameter that differs between the runs and every scalar figure.",
    options: {
      "latest-per-method": { text: "the latest finished run of each method", default: "every run, or the IDs given" },
      reference: { text: "put each run beside its method's committed reference run (alone: the reference runs)" },
      metric: { text: "only figures whose name contains NAME (e.g. test.role.macroF1, melo.mrr), in the wide layout", value: "NAME" },
      "no-baselines": { text: "leave the baselines out (they are computed from the data: no data, no baselines)" },
      wide: { text: "every differing parameter and every figure (lines get long: use --format csv for a spreadsheet)" },
      format: { text: "text, csv, json or markdown (json always carries every figure)", value: "F", default: "text" },
      json: { text: "the same as --format json" },
    },
    examples: [
      { command: "jtlab exp compare --latest-per-method", does: "one line per method, headline figures" },
      { command: "jtlab exp compare RUN1 RUN2 --wide --format csv > runs.csv", does: "two runs, every column, for a spreadsheet" },
    ],
  },

  "exp export": {
    summary: "the registry as one long table (a row per run and figure) in Parquet, CSV or JSON, to query with SQL",
    description:
      "Columns: run_id, method, kind, status, started, seconds, seed, commit, backend, metric (the dotted name in run.json), " +
      "protocol, split, category, measure, value. Parquet columns are typed (DuckDB, pandas, Polars and Spark read them as they are).",
    options: {
      out: { text: "the file to write (its extension picks the format when --format is not given)", value: "FILE" },
      format: { text: "parquet, csv or json", value: "F", default: "by the extension of --out" },
      reference: { text: "the committed reference runs instead of your registry" },
      force: { text: "replace an existing file" },
    },
    examples: [
      { command: "jtlab exp export --out runs.parquet", does: "every run's figures, for SQL" },
      { command: "jtlab exp export --reference --out reference.csv", does: "the committed reference runs' figures, as CSV" },
    ],
  },

  bench: {
    summary: "speed benchmarks, side by side with the Python peers (../shared/peers)",
    description: "`jtlab bench NAME --help` describes one benchmark and its parameters; `all` runs every one.",
    subcommandOptional: true,
    options: {
      param: { ...PARAM, text: "a benchmark parameter (each benchmark lists its own)" },
      backend: { ...BACKEND, text: "the tfjs backend for the benchmarks that train or classify (alone: siamese-train on it)" },
      json: { text: "print the figures as JSON on stdout (the progress goes to stderr)" },
    },
    examples: [
      { command: "jtlab bench topk", does: "exact top-k against FAISS" },
      { command: "jtlab bench --backend webgpu", does: "Siamese training pairs/s on the GPU: whether it pays off" },
    ],
  },
};

/** Every benchmark as a subcommand of bench, described by its registry entry. */
function benchEntry(name: string): HelpEntry | null {
  const b = benchmarks().find((x) => x.name === name);
  if (!b && name !== "all") return null;
  const base = ENTRIES.bench;
  const params = b ? (b.params.length ? b.params.join(", ") : "none") : "each benchmark's own";
  return {
    summary: b ? b.help : "every benchmark in turn",
    description: `-p parameters: ${params}.`,
    options: base.options,
    examples: [
      { command: `jtlab bench ${name}`, does: "run it with its defaults" },
      { command: `jtlab bench ${name} --json > ${name}.json`, does: "the figures as JSON, for the record (progress on stderr)" },
    ],
  };
}

/** Commands and subcommands with an entry: "exp", "exp list", "bench topk", ... */
export function helpKeys(): string[] {
  return [...Object.keys(ENTRIES), ...benchmarks().map((b) => `bench ${b.name}`), "bench all"];
}

export function helpEntry(key: string): HelpEntry | null {
  if (ENTRIES[key]) return ENTRIES[key];
  const [cmd, sub] = key.split(" ");
  return cmd === "bench" && sub ? benchEntry(sub) : null;
}

/** The subcommands of a command (for bench: its benchmarks and `all`). */
export function subcommandsOf(command: string): string[] {
  if (command === "bench") return [...benchmarks().map((b) => b.name), "all"];
  return ENTRIES[command]?.subcommands ?? [];
}

const WIDTH = 100;

/** Words filled into lines of at most `width` characters, each after `indent`. */
function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** How an option is typed on the command line: "-p, --param NAME=VALUE". */
function optionSpelling(name: string, spec: Options[string] | undefined, help: OptionHelp | undefined): string {
  const value = spec?.type === "string" ? ` ${help?.value ?? "VALUE"}` : "";
  return `${spec?.short ? `-${spec.short}, ` : ""}--${name}${value}`;
}

/** The option's line: its meaning, then its default and whether it repeats. */
function optionText(spec: Options[string] | undefined, help: OptionHelp | undefined): string {
  if (!help) return "(undocumented)";
  const notes = [help.default ? `default: ${help.default}` : "", spec?.multiple ? "repeatable" : ""].filter(Boolean);
  return notes.length ? `${help.text} (${notes.join("; ")})` : help.text;
}

/** The usage lines of a multi-command usage string that concern `key` ("train vote" in "jtlab train fasttext|vote"). */
export function usageFor(key: string, usage: string): string[] {
  const lines = usage.split("\n").map((l) => l.trim().replace(/^usage:\s*/, ""));
  const [cmd, sub] = key.split(" ");
  if (!sub) return lines;
  // A line that does not start with "jtlab" goes on the line before it (train's list of -p parameters).
  let keep = false;
  const mine = lines.filter((l) => {
    const words = l.split(/\s+/);
    if (words[0] === "jtlab") keep = words[1] === cmd && (words[2] ?? "").split("|").includes(sub);
    return keep;
  });
  return mine.length ? mine : lines;
}

/** The help of a command or subcommand, from its entry and the option table its parse() really uses. */
export function helpText(key: string, options: Options | null, usage: string | null): string {
  const entry = helpEntry(key);
  const out: string[] = [`jtlab ${key}: ${entry?.summary ?? "(no description)"}`];
  if (usage) out.push("", ...usageFor(key, usage).map((l, i) => (i === 0 ? `usage: ${l}` : `       ${l}`)));
  else if (entry?.subcommands) out.push("", `usage: jtlab ${key} <${entry.subcommands.join("|")}> [options]`);
  if (entry?.description) out.push("", ...wrap(entry.description, ""));
  const subs = entry && !key.includes(" ") ? subcommandsOf(key) : [];
  if (subs.length) {
    const width = Math.max(...subs.map((s) => s.length));
    out.push("", key === "bench" ? "benchmarks:" : "subcommands:");
    for (const s of subs) {
      const [first, ...rest] = wrap(helpEntry(`${key} ${s}`)?.summary ?? "", " ".repeat(width + 4));
      out.push(`  ${s.padEnd(width)}  ${(first ?? "").trimStart()}`, ...rest);
    }
  }
  const rows: [string, string][] = Object.entries(options ?? {}).map(([name, spec]) => [optionSpelling(name, spec, entry?.options?.[name]), optionText(spec, entry?.options?.[name])]);
  rows.push(["--verbose", optionText(undefined, GLOBAL_OPTIONS.verbose)], ["-h, --help", optionText(undefined, GLOBAL_OPTIONS.help)]);
  const width = Math.min(28, Math.max(...rows.map(([s]) => s.length)));
  out.push("", "options:");
  for (const [spelling, text] of rows) {
    const pad = " ".repeat(width + 4);
    const [first, ...rest] = wrap(text, pad);
    out.push(spelling.length <= width ? `  ${spelling.padEnd(width)}  ${first.trimStart()}` : `  ${spelling}\n${first}`, ...rest);
  }
  if (entry) {
    out.push("", "examples:");
    for (const ex of entry.examples) out.push(`  ${ex.command}`, ...wrap(ex.does, "      "));
  }
  if (subs.length) out.push("", `jtlab ${key} <${key === "bench" ? "name" : "subcommand"}> --help: the options of one`);
  return out.join("\n");
}

/** `jtlab --help`: the commands, one line each. */
export function commandsText(commands: string[]): string {
  const width = Math.max(...commands.map((c) => c.length));
  return [
    "usage: jtlab <command> [options]",
    "",
    ...commands.map((c) => `  ${c.padEnd(width)}  ${helpEntry(c)?.summary ?? ""}`),
    "",
    "  --verbose  (any command) print an error's stack, not just its one line",
    "",
    "jtlab <command> --help (or jtlab help <command>): what it does, every option, two examples",
  ].join("\n");
}
