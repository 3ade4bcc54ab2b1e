// SHA-256 digests of the files the project writes (models, derived data), recorded beside them in their manifest and
// checked when they are read back, so that a truncated, replaced or half-copied file is an error naming the file and
// the command that rebuilds it, never a silently wrong answer.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export function sha256File(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Digests of `files` (paths relative to `dir`), keyed by those paths. */
export function fileDigests(dir: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, sha256File(path.join(dir, f))]));
}

export class IntegrityError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly rebuild: string,
  ) {
    super(`${file}: ${problem}; rebuild it with \`${rebuild}\``);
    this.name = "IntegrityError";
  }
}

/** The first file of `digests` that is missing or differs, as an IntegrityError; null when all match. */
export function findDigestMismatch(dir: string, digests: Record<string, string>, rebuild: string): IntegrityError | null {
  for (const [rel, want] of Object.entries(digests)) {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) return new IntegrityError(file, "is missing", rebuild);
    const st = fs.statSync(file);
    if (!st.isFile()) return new IntegrityError(file, "is not a file", rebuild);
    if (sha256File(file) !== want) return new IntegrityError(file, `does not match its recorded SHA-256 (${want.slice(0, 12)}…): it was changed, truncated or replaced`, rebuild);
  }
  return null;
}

/** Throws an IntegrityError for the first file of `digests` that is missing or differs. */
export function verifyDigests(dir: string, digests: Record<string, string>, rebuild: string): void {
  const e = findDigestMismatch(dir, digests, rebuild);
  if (e) throw e;
}
