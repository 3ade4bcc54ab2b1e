// `jtlab reproduce [--profile quick|full] [--out DIR] [--only NN ...]`
import * as path from "path";
import { describeFailure } from "../../notebook/runner";
import { reproduce } from "../../report/publish";
import { parse } from "../args";

const USAGE = "jtlab reproduce [--profile quick|full] [--out DIR] [--only NN ...]";

export async function reproduceCommand(argv: string[]): Promise<void> {
  const { values } = parse(argv, { profile: { type: "string" }, out: { type: "string" }, only: { type: "string", multiple: true } }, USAGE);
  const { results, indexPath } = await reproduce({ profile: values.profile ?? "quick", outDir: values.out, only: values.only });
  console.log("\nnotebook                    status   seconds");
  for (const r of results) {
    console.log(`${path.basename(r.notebook, ".ipynb").padEnd(28)}${(r.ok ? "ok" : "FAILED").padEnd(9)}${r.seconds.toFixed(1).padStart(7)}`);
    if (r.failure) console.log(`  ${describeFailure(r.failure)}`);
  }
  console.log(`\nindex: ${path.relative(process.cwd(), indexPath)}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}
