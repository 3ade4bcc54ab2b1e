// The run configurations that notebooks, `jtlab train` and `jtlab eval` share, read from experiments/configs/:
// the Siamese profiles (quick for iterating, full for the paper-scale run) and the word2vec/Doc2Vec settings.
// Keeping them as files beside the run records lets a reader see exactly what a reference run was given.
import * as fs from "fs";
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";
import { EmbeddingKind, EmbeddingRunConfig } from "../models/embeddings/title-vectors";
import { SiameseRunConfig, withOverrides } from "../models/siamese/config";

export function configsDir(): string {
  return projectPath("experiments", "configs");
}

function readConfig<T>(name: string): Record<string, T> {
  const file = path.join(configsDir(), name);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : (e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${file}: expected an object of named configurations`);
  return raw as Record<string, T>;
}

/** Every profile must name the same fields as the quick one: a typo in a hand-edited file fails here, named. */
function checkSameFields(file: string, profiles: Record<string, object>, reference: string): void {
  const want = JSON.stringify(Object.keys(profiles[reference] ?? {}).sort());
  for (const [name, p] of Object.entries(profiles)) {
    const got = JSON.stringify(Object.keys(p).sort());
    if (got !== want) throw new Error(`${path.join(configsDir(), file)}: profile ${name} has fields ${got}, expected ${want}`);
  }
}

export function siameseProfiles(): Record<string, SiameseRunConfig> {
  const p = readConfig<SiameseRunConfig>("siamese.json");
  if (!p.quick) throw new Error(`${path.join(configsDir(), "siamese.json")}: no "quick" profile`);
  checkSameFields("siamese.json", p, "quick");
  return p;
}

/** A Siamese profile with `-p` style overrides applied. */
export function siameseRunConfig(profile = "quick", overrides: Record<string, ParamValue> = {}): SiameseRunConfig {
  const profiles = siameseProfiles();
  const p = profiles[profile];
  if (!p) throw new Error(`unknown profile ${JSON.stringify(profile)} (known: ${Object.keys(profiles).join(", ")})`);
  return withOverrides(p, overrides);
}

/** The settings a word2vec or Doc2Vec run trains with unless a notebook overrides them. */
export function embeddingConfig(kind: EmbeddingKind): EmbeddingRunConfig {
  const c = readConfig<EmbeddingRunConfig>("embeddings.json")[kind];
  if (!c) throw new Error(`${path.join(configsDir(), "embeddings.json")}: no ${kind} configuration`);
  return c;
}
