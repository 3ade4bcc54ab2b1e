// Reading a CSV of any size record by record (RFC 4180, quoted newlines included), with line numbers.
import * as fs from "fs";
import * as readline from "readline";
import { parseCsvRecords } from "./user-csv";
import { DataFileError } from "./tsv";

export async function* csvRecords(file: string): AsyncGenerator<{ line: number; fields: string[] }> {
  if (!fs.existsSync(file)) throw new DataFileError(file, null, "no such file");
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let pending = "";
  let startLine = 0;
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (pending === "") startLine = lineNo;
    pending = pending === "" ? line : `${pending}\n${line}`;
    // A record is complete when its quotes are balanced.
    if ((pending.match(/"/g)?.length ?? 0) % 2 === 1) continue;
    const recs = parseCsvRecords(pending, file);
    pending = "";
    for (const r of recs) yield { line: startLine + r.line - 1, fields: r.fields };
  }
  if (pending !== "") throw new DataFileError(file, startLine, "a quoted field is never closed");
}
