// The download path cannot reach the internet here; these tests feed it local archives built in the test.
import * as fs from "fs";
import * as path from "path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { convertOnsWorkbook, extractOnet } from "../src/data/download";
import { tmpDir } from "./helpers";

describe("jtlab data --download", () => {
  it("extracts the O*NET text edition's tables from the zip, with \\n line ends", () => {
    const names = ["Occupation Data", "Alternate Titles", "Sample of Reported Titles", "Related Occupations", "Technology Skills", "Task Statements", "Read Me"];
    const files = Object.fromEntries(names.map((n) => [`db_29_3_text/${n}.txt`, strToU8(`header\r\n${n}\r\n`)]));
    files["db_29_3_text/Skills.txt"] = strToU8("not wanted");
    const out = tmpDir();
    const written = extractOnet(zipSync(files), out);
    expect(written.map((w) => path.basename(w)).sort()).toEqual(names.map((n) => `${n}.txt`).sort());
    expect(fs.readFileSync(path.join(out, "Alternate Titles.txt"), "utf8")).toBe("header\nAlternate Titles\n");
    expect(fs.existsSync(path.join(out, "Skills.txt"))).toBe(false);
  });

  it("names what an incomplete zip lacks", () => {
    expect(() => extractOnet(zipSync({ "x/Read Me.txt": strToU8("x") }), tmpDir())).toThrow(/O\*NET zip lacks .*Occupation Data\.txt/);
  });

  it("writes the ONS workbook's sheets as TSV, chosen by header, cells with tabs/newlines flattened", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const XLSX = require("xlsx") as typeof import("xlsx");
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["Intro"], ["nothing here"]]), "Cover");
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["UNIQUE ID", "RECNO", "X"], ["a1", "1", "two\nlines"]]), "Index");
    const bytes = XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer;
    const out = tmpDir();
    const written = convertOnsWorkbook(new Uint8Array(bytes), out);
    expect(written.map((w) => path.basename(w))).toEqual(["soc2020_coding_index_v12.tsv"]);
    expect(fs.readFileSync(written[0], "utf8")).toBe("UNIQUE ID\tRECNO\tX\na1\t1\ttwo lines\n");
  });
});
