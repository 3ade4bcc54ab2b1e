// `--shard i/n`: a deterministic share of the people, so that a batch engine (Dask, a Kubernetes indexed Job, any
// array job) can run n tasks and concatenate their outputs. A person is placed by a hash of their id, so all of a
// person's rows land in one shard whatever the file's order; a file without an id column is split by line number.
import { murmur3 } from "../util/random";

export interface Shard {
  index: number;
  count: number;
}

/** "2/8" → shard 2 of 8 (0-based, as Kubernetes' JOB_COMPLETION_INDEX and Dask's task numbers are). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard expects i/n (e.g. 0/4: the first of 4 shards), got ${JSON.stringify(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard ${text}: n must be at least 1`);
  if (index >= count) throw new Error(`--shard ${text}: i counts from 0, so it must be below n (${count})`);
  return { index, count };
}

/** The shard a person (their id as written in the file) belongs to. */
export function shardOf(id: string, count: number): number {
  // murmur3 gives an unsigned 32-bit hash; a fixed seed keeps the split the same on every machine and version.
  return murmur3(id, 0x5ca1ab1e) % count;
}
