// The code version a run records: the git commit and whether the working tree had uncommitted changes.
import { spawnSync } from "child_process";
import { projectRoot } from "../data/paths";

export interface CodeVersion {
  commit: string | null;
  dirty: boolean | null;
}

export function codeVersion(cwd = projectRoot()): CodeVersion {
  const rev = spawnSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" });
  if (rev.status !== 0) return { commit: null, dirty: null };
  const st = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, encoding: "utf8" });
  return { commit: rev.stdout.trim(), dirty: st.status === 0 ? st.stdout.trim().length > 0 : null };
}
