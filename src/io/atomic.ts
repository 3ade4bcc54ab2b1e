// Files appear whole or not at all: every write goes to a temporary file beside its target (same folder, so the
// rename cannot cross file systems) and is renamed into place only when complete. A temporary file is removed when
// the write fails and, through the exit cleanups, when the process is stopped mid-write.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { atExit } from "./signals";

/** A fresh temporary name beside `file`: hidden, and marked with the writer's pid. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
}

/** True for names tempPathFor makes (so listings can skip them). */
export function isTempName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{6}$/.test(name);
}

/** A temporary file beside `file`, removed at exit unless committed (renamed into place) or aborted first. */
function tempFile(file: string): { tmp: string; commit(): void; abort(): void } {
  const tmp = tempPathFor(file);
  const forget = atExit(() => fs.rmSync(tmp, { force: true }));
  return {
    tmp,
    commit: () => {
      fs.renameSync(tmp, file);
      forget();
    },
    abort: () => {
      fs.rmSync(tmp, { force: true });
      forget();
    },
  };
}

/**
 * Has `write` fill a temporary file beside `file`, then renames it into place. The temporary file is removed if
 * `write` fails and, through the exit cleanups, if the process stops meanwhile. The folder must exist.
 */
export function writeViaTemp(file: string, write: (tmp: string) => void): void {
  const t = tempFile(file);
  try {
    write(t.tmp);
    t.commit();
  } catch (e) {
    t.abort();
    throw e;
  }
}

/** writeViaTemp for a writer that works asynchronously (another library writing the temporary file, e.g. DuckDB). */
export async function writeViaTempAsync(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const t = tempFile(file);
  try {
    await write(t.tmp);
    t.commit();
  } catch (e) {
    t.abort();
    throw e;
  }
}

/** Writes `data` to `file` atomically; the folder must exist. */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { mode?: number } = {}): void {
  writeViaTemp(file, (tmp) => {
    const fd = fs.openSync(tmp, "w", opts.mode ?? 0o666);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

export interface AtomicStream {
  stream: fs.WriteStream;
  /** The temporary file being written. */
  tempPath: string;
  /** Ends the stream and renames the file into place. */
  commit(): Promise<void>;
  /** Drops what was written. */
  abort(): void;
}

/** A write stream whose file appears at `file` only on commit(). Stream errors surface from commit(). */
export function atomicWriteStream(file: string): AtomicStream {
  const tmp = tempPathFor(file);
  const forget = atExit(() => fs.rmSync(tmp, { force: true }));
  const stream = fs.createWriteStream(tmp);
  let error: Error | null = null;
  stream.on("error", (e) => (error = error ?? e));
  return {
    stream,
    tempPath: tmp,
    async commit(): Promise<void> {
      try {
        await new Promise<void>((resolve, reject) => {
          if (error) return reject(error);
          stream.end((e?: Error | null) => (e || error ? reject(e ?? error) : resolve()));
        });
        fs.renameSync(tmp, file);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      } finally {
        forget();
      }
    },
    abort(): void {
      stream.destroy();
      fs.rmSync(tmp, { force: true });
      forget();
    },
  };
}

/**
 * Fills a fresh folder with `fill` and puts it at `dir` in one rename (replacing what was there). A crash leaves
 * either the old folder or the new one, never a mix.
 */
export function writeDirAtomic(dir: string, fill: (tmp: string) => void): void {
  const tmp = tempPathFor(dir);
  const forget = atExit(() => fs.rmSync(tmp, { recursive: true, force: true }));
  try {
    fs.mkdirSync(tmp, { recursive: true });
    fill(tmp);
    // rename() cannot replace a non-empty folder: the old one is moved aside first, then removed.
    const old = fs.existsSync(dir) ? tempPathFor(dir) : null;
    if (old) fs.renameSync(dir, old);
    fs.renameSync(tmp, dir);
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    forget();
  }
}
