// SHA-256 of every open-data file, so that a run records exactly which data it saw.
import * as path from "path";
import { sha256File } from "../io/integrity";
import { DATA_FILES } from "./manifest";
import { locate } from "./locate";
import { findDataDir } from "./paths";

export interface FileChecksum {
  file: string;
  sha256: string;
  /** True when it equals the checksum published in the data README. */
  matchesPublished: boolean;
}

const memo = new Map<string, FileChecksum[]>();

/** Checksums of all manifest files present in the data folder (computed once per process). */
export function dataChecksums(dataDir: string = findDataDir().dir): FileChecksum[] {
  const hit = memo.get(dataDir);
  if (hit) return hit;
  const out: FileChecksum[] = [];
  for (const f of DATA_FILES) {
    let p: string;
    try {
      p = locate(f.key, dataDir);
    } catch {
      continue;
    }
    const sha = sha256File(p);
    out.push({ file: path.relative(dataDir, p), sha256: sha, matchesPublished: sha === f.sha256 });
  }
  memo.set(dataDir, out);
  return out;
}
