// Turns a cell's iopub messages into its nbformat 4 outputs, with the semantics of Jupyter's own clients
// (nbclient, JupyterLab): streams coalesce, displays with a display_id can be updated in place, and
// clear_output may be deferred to the next output. Pure, so that it can be tested with canned messages.

/** A notebook output in nbformat 4 shape. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }
  | { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** The part of a Jupyter message the collector reads. */
export interface IopubMessage {
  header: { msg_type: string };
  content: any;
}

function displayIdOf(content: any): string | undefined {
  const id = content?.transient?.display_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Collects one cell's outputs from its iopub messages, fed in arrival order. */
export class OutputCollector {
  private readonly list: Output[] = [];
  /** display_id → positions in `list` of the outputs showing it. */
  private readonly displays = new Map<string, number[]>();
  /** Set by clear_output(wait=true): the clear happens when the next output arrives, so nothing flickers. */
  private clearPending = false;

  /** `onOutput` sees each output as it arrives: a stream chunk (not the merged text), a display, an update. */
  constructor(private readonly onOutput?: (o: Output) => void) {}

  /** The outputs so far, as the saved notebook will hold them. */
  get outputs(): readonly Output[] {
    return this.list;
  }

  /** Takes one iopub message; messages that carry no output (status, execute_input, comm_*) are ignored. */
  handle(m: IopubMessage): void {
    const c = m.content ?? {};
    switch (m.header.msg_type) {
      case "stream": {
        this.applyPendingClear();
        const last = this.list[this.list.length - 1];
        // Consecutive writes to one stream form one output, as Jupyter shows them.
        if (last && last.output_type === "stream" && last.name === c.name) last.text += c.text;
        else this.list.push({ output_type: "stream", name: c.name, text: c.text });
        this.onOutput?.({ output_type: "stream", name: c.name, text: c.text });
        break;
      }
      case "display_data":
        this.add({ output_type: "display_data", data: c.data, metadata: c.metadata ?? {} }, displayIdOf(c));
        break;
      case "execute_result":
        this.add(
          { output_type: "execute_result", data: c.data, metadata: c.metadata ?? {}, execution_count: c.execution_count ?? null },
          displayIdOf(c),
        );
        break;
      case "error":
        this.add({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] }, undefined);
        break;
      case "update_display_data": {
        // Not an output of its own: it changes the displays already shown, and so does not trigger a deferred clear.
        const id = displayIdOf(c);
        if (id !== undefined) this.updateDisplay(id, c.data, c.metadata ?? {});
        this.onOutput?.({ output_type: "display_data", data: c.data, metadata: c.metadata ?? {} });
        break;
      }
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else this.clear();
        break;
    }
  }

  private add(o: Output, displayId: string | undefined): void {
    // A new display with a known id also refreshes the earlier outputs of that id, as nbclient does.
    if (displayId !== undefined && o.output_type !== "error" && o.output_type !== "stream") {
      this.updateDisplay(displayId, o.data, o.metadata);
    }
    this.applyPendingClear();
    if (displayId !== undefined) {
      const at = this.displays.get(displayId) ?? [];
      at.push(this.list.length);
      this.displays.set(displayId, at);
    }
    this.list.push(o);
    this.onOutput?.(o);
  }

  private updateDisplay(id: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    // An id never shown in this cell (or shown only before a clear) has nothing to update.
    for (const k of this.displays.get(id) ?? []) {
      const old = this.list[k];
      if (old.output_type === "display_data" || old.output_type === "execute_result") this.list[k] = { ...old, data, metadata };
    }
  }

  private applyPendingClear(): void {
    if (!this.clearPending) return;
    this.clearPending = false;
    this.clear();
  }

  private clear(): void {
    this.list.length = 0;
    // The positions recorded for display ids refer to outputs that are gone.
    this.displays.clear();
    this.clearPending = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cell errors. tslab compiles a cell to JavaScript (TypeScript's emit, then a CommonJS pass) and runs it as
// `evalmachine.<anonymous>` without a source map, and the `./src` modules a cell imports as `src/**/*.js` files that
// exist only in its memory; an error's stack therefore names lines of code nobody wrote, among tslab's and node's own
// frames. The same two compiler passes are replayed here with source maps (tslab's TypeScript, its options, its
// rewrites: the `export {...}` of the cell's names, `exports.` before names from earlier cells, the last expression
// kept) to map each frame back to the cell's own line and column, or to the `.ts` file.

/** A position in a cell or a file, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

type Ts = typeof import("typescript");

function typescript(): Ts {
  // tslab's own TypeScript (5.0.4), loaded only when an error needs mapping.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require("@tslab/typescript-for-tslab") as Ts;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value % 2 ? -Math.floor(value / 2) : value / 2);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

interface Segment {
  genColumn: number;
  line: number;
  column: number;
}

/** A source map's mappings, per generated line (0-based lines and columns throughout). */
function decodeMappings(mappings: string): Segment[][] {
  let line = 0;
  let column = 0;
  return mappings.split(";").map((text) => {
    let genColumn = 0;
    const segments: Segment[] = [];
    for (const s of text.split(",")) {
      if (!s) continue;
      const v = decodeVlq(s);
      genColumn += v[0];
      if (v.length < 4) continue;
      line += v[2];
      column += v[3];
      segments.push({ genColumn, line, column });
    }
    return segments;
  });
}

/** The source position of a generated one (0-based), or null where the code was generated (no mapping). */
function lookup(map: Segment[][], line: number, column: number): { line: number; column: number } | null {
  const segments = map[line];
  if (!segments?.length) return null;
  let best = segments[0];
  for (const s of segments) if (s.genColumn <= column) best = s;
  return { line: best.line, column: best.column };
}

interface Pass {
  text: string;
  map: Segment[][];
}

function transpile(ts: Ts, text: string, module: "esnext" | "commonjs", transformers?: import("typescript").CustomTransformers): Pass {
  const out = ts.transpileModule(text, {
    fileName: "cell.ts",
    transformers,
    compilerOptions: {
      module: module === "esnext" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      noImplicitUseStrict: true,
      experimentalDecorators: true,
      jsx: ts.JsxEmit.React,
      newLine: ts.NewLineKind.LineFeed,
      sourceMap: true,
    },
  });
  return { text: out.outputText, map: decodeMappings(JSON.parse(out.sourceMapText ?? "{}").mappings ?? "") };
}

/** The names a cell declares at its top level: tslab exports them, and later cells reach them as `exports.name`. */
export function topLevelNames(code: string): { values: string[]; types: string[]; imports: string[] } {
  const ts = typescript();
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true);
  const values: string[] = [];
  const types: string[] = [];
  const imports: string[] = [];
  const bindings = (n: import("typescript").BindingName): void => {
    if (ts.isIdentifier(n)) values.push(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bindings(e.name);
  };
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => bindings(d.name));
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) values.push(s.name.text);
    else if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name) types.push(s.name.text);
    else if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
      const c = s.importClause;
      if (c.name) imports.push(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) imports.push(c.namedBindings.name.text);
      else if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) if (!e.isTypeOnly) imports.push(e.name.text);
    }
  }
  return { values, types, imports };
}

/** An identifier that reads a variable (not a property name, a declaration's name or a type). */
function isValueReference(ts: Ts, id: import("typescript").Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id)) return false;
  if ((ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p)) return false;
  if ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if ((ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) && p.label === id) return false;
  for (let n: import("typescript").Node | undefined = p; n; n = n.parent) if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) return false;
  return true;
}

/** The names a cell reads as values, and the names it uses in types. */
function references(ts: Ts, sf: import("typescript").SourceFile): { values: Set<string>; types: Set<string> } {
  const values = new Set<string>();
  const types = new Set<string>();
  const visit = (n: import("typescript").Node): void => {
    if (ts.isIdentifier(n)) {
      if (isValueReference(ts, n)) values.add(n.text);
      else if (n.parent && ts.isTypeReferenceNode(n.parent)) types.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { values, types };
}

/** tslab's rewrites of a cell's emitted statements: names from earlier cells read from `exports`; the last expression kept. */
function tslabRewrites(ts: Ts, earlier: ReadonlySet<string>, own: ReadonlySet<string>): import("typescript").TransformerFactory<import("typescript").SourceFile> {
  return (context) => (sf) => {
    const wrap = (node: import("typescript").Node): import("typescript").Node => {
      if (ts.isIdentifier(node) && earlier.has(node.text) && !own.has(node.text) && isValueReference(ts, node)) {
        return ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), node);
      }
      return ts.visitEachChild(node, wrap, context);
    };
    let out = ts.visitEachChild(sf, wrap, context);
    const statements = [...out.statements];
    for (let i = statements.length - 1; i >= 0; i--) {
      const s = statements[i];
      if (ts.isExportDeclaration(s)) continue;
      if (ts.isExpressionStatement(s)) {
        const decl = ts.factory.createVariableDeclaration("tsLastExpr", undefined, undefined, s.expression);
        statements[i] = ts.factory.createVariableStatement([ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)], ts.factory.createVariableDeclarationList([decl], ts.NodeFlags.Const));
        out = ts.factory.updateSourceFile(out, statements);
      }
      break;
    }
    return out;
  };
}

/** Maps a position in the JavaScript tslab ran for a cell (1-based, as a stack prints it) to the cell's own. */
export type CellMapper = (line: number, column: number) => SourcePosition | null;

/**
 * Replays tslab's compilation of `code` with source maps. `earlier` holds the names earlier cells declared (see
 * topLevelNames), which tslab rewrites to `exports.name`. Null when the cell does not parse as tslab would compile it.
 */
export function cellMapper(code: string, earlier: ReadonlySet<string> = new Set()): CellMapper | null {
  try {
    const ts = typescript();
    const { values, types, imports } = topLevelNames(code);
    const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true);
    const used = references(ts, sf);
    // tslab exports every name the cell declares; TypeScript then drops the names that are only types (an import
    // the cell uses only in types is taken for one).
    const exported = [...values, ...imports.filter((n) => used.values.has(n) || !used.types.has(n))];
    const own = new Set([...values, ...types, ...imports]);
    const prefix = "export {};\n";
    const source = prefix + code + (exported.length ? `\nexport {${exported.join(", ")}}` : "");
    const first = transpile(ts, source, "esnext", { after: [tslabRewrites(ts, earlier, own)] });
    const second = transpile(ts, first.text, "commonjs");
    const codeLines = code.split("\n");
    return (line, column) => {
      const mid = lookup(second.map, line - 1, column - 1);
      const src = mid && lookup(first.map, mid.line, mid.column);
      if (!src || src.line < 1 || src.line > codeLines.length) return null;
      return { line: src.line, column: Math.min(src.column, codeLines[src.line - 1].length) + 1 };
    };
  } catch {
    return null;
  }
}

const fileMappers = new Map<string, ((line: number, column: number) => SourcePosition | null) | null>();

/** For a `src/**\/*.js` frame tslab compiled from `src/**\/*.ts`: the .ts file and a mapper, or null. */
function moduleMapper(jsFile: string): { file: string; map: (line: number, column: number) => SourcePosition | null } | null {
  const fs = require("fs") as typeof import("fs");
  const tsFile = jsFile.replace(/\.js$/, ".ts");
  if (tsFile === jsFile || fs.existsSync(jsFile) || !fs.existsSync(tsFile)) return null;
  if (!fileMappers.has(tsFile)) {
    let mapper: ((line: number, column: number) => SourcePosition | null) | null = null;
    try {
      const ts = typescript();
      const first = transpile(ts, fs.readFileSync(tsFile, "utf8"), "esnext");
      const second = transpile(ts, first.text, "commonjs");
      mapper = (line, column) => {
        const mid = lookup(second.map, line - 1, column - 1);
        const src = mid && lookup(first.map, mid.line, mid.column);
        return src ? { line: src.line + 1, column: src.column + 1 } : null;
      };
    } catch {
      mapper = null;
    }
    fileMappers.set(tsFile, mapper);
  }
  const map = fileMappers.get(tsFile);
  return map ? { file: tsFile, map } : null;
}

/** A frame of a stack trace: `    at name (where:line:column)` or `    at where:line:column`. */
const FRAME = /^(\s+at (?:async )?)(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;
/** Node's header for a synchronous throw in the cell: `evalmachine.<anonymous>:N`, the line, a caret line. */
const SNIPPET = /^evalmachine\.<anonymous>:\d+\n.*\n\s*\^+\s*\n\n?/m;
const INTERNAL = /^node:|[\\/]node_modules[\\/]tslab[\\/]|^internal[\\/]/;

export interface CleanTraceOptions {
  /** The cell's number in the notebook, as frames name it ("cell 3:2:11"). */
  cell: number;
  /** The cell's source: its failing line is shown where Node showed generated code. */
  code?: string;
  /** Maps evalmachine positions to the cell (cellMapper); without one they stay as they are. */
  mapper: CellMapper | null;
  /** The project root: files under it are shown relative to it. */
  root?: string;
  /** Keep tslab's and node's frames (jtlab run --verbose). */
  verbose?: boolean;
}

export interface CleanTrace {
  text: string;
  /** Where in the cell the error happened: the innermost frame that maps to it. */
  at: SourcePosition | null;
}

/**
 * Rewrites the stderr of a failed cell: evalmachine frames become the cell's own line and column, frames of the
 * `src/*.js` tslab compiled become `src/*.ts` lines, Node's snippet of generated code becomes the cell's line with a
 * caret, and (unless verbose) tslab's, node's and the wrapper's frames are dropped.
 */
export function cleanTrace(stderr: string, opts: CleanTraceOptions): CleanTrace {
  let at: SourcePosition | null = null;
  const lines: string[] = [];
  const rel = (f: string): string => (opts.root && f.startsWith(opts.root + "/") ? f.slice(opts.root.length + 1) : f);
  for (const line of stderr.replace(SNIPPET, "").split("\n")) {
    const m = FRAME.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    const [, head, name, where, l, c] = m;
    const label = (pos: string): string => `${head}${name ? `${name} (${pos})` : pos}`;
    if (where === "evalmachine.<anonymous>") {
      const pos = opts.mapper?.(Number(l), Number(c)) ?? null;
      if (pos) {
        at ??= pos;
        lines.push(label(`cell ${opts.cell}:${pos.line}:${pos.column}`));
      } else if (opts.verbose) lines.push(line);
      continue;
    }
    if (INTERNAL.test(where) || name === "sigintHandlersWrap") {
      if (opts.verbose) lines.push(line);
      continue;
    }
    const mod = /\.js$/.test(where) ? moduleMapper(where) : null;
    const pos = mod?.map(Number(l), Number(c));
    lines.push(mod && pos ? label(`${rel(mod.file)}:${pos.line}:${pos.column}`) : line);
  }
  const text = lines.join("\n");
  // Node's snippet showed generated code; the cell's own line takes its place, with the caret at the column.
  const source = at && opts.code?.split("\n")[at.line - 1];
  if (!at || source === undefined || source === null || !SNIPPET.test(stderr)) return { text, at };
  return { text: `cell ${opts.cell}, line ${at.line}\n${source}\n${" ".repeat(at.column - 1)}^\n\n${text}`, at };
}
