#!/usr/bin/python3
"""Score a people file on a Dask cluster: n tasks, each `jtlab score --shard i/n`, then one table.

Each task scores a deterministic share of the people (a hash of person_id), so the shards' outputs together are
exactly the unsharded table. Run here on a LocalCluster (2 workers on 127.0.0.1), or on a real cluster by giving its
scheduler address; the workers need this repository (npm ci done) and the input at the same paths.

    /usr/bin/python3 scripts/cluster/dask_score.py --in people.csv --out scores.csv --shards 8 [--scheduler tcp://host:8786]
    /usr/bin/python3 scripts/cluster/dask_score.py --in people.parquet --out scores.parquet --shards 8

A CSV output is concatenated into one file (the header once); a Parquet output is a folder of part files (a Parquet
dataset: DuckDB, pandas, Polars and Spark read the folder as one table).
"""
import argparse
import os
import shutil
import subprocess
import sys

from dask.distributed import Client, LocalCluster

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def score_shard(index, count, inp, out_dir, ext, extra):
    """One task: shard `index` of `count`, written as a part file; returns its path."""
    part = os.path.join(out_dir, f"part-{index:05d}-of-{count:05d}{ext}")
    cmd = ["node", os.path.join(ROOT, "bin", "jtlab.cjs"), "score", "--in", inp, "--out", part,
           "--shard", f"{index}/{count}", "--force", *extra]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {index}/{count} failed ({done.returncode}): {done.stderr.strip()}")
    return part


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--scheduler", help="a running scheduler's address; default: a LocalCluster on 127.0.0.1")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster workers (one task each at a time)")
    ap.add_argument("--threads-per-task", type=int, default=1, help="jtlab score --workers for each task")
    ap.add_argument("--force", action="store_true", help="replace --out if it exists")
    ap.add_argument("jtlab_args", nargs="*", help="more options for jtlab score, after --, e.g. -- --run ID")
    a = ap.parse_args()
    inp, out = os.path.abspath(a.inp), os.path.abspath(a.out)
    if os.path.exists(out) and not a.force:
        sys.exit(f"{out} exists: choose another --out, or pass --force")
    ext = ".parquet" if out.endswith((".parquet", ".pq")) else ".csv"
    parts_dir = out + ".parts" if ext == ".csv" else out + ".tmp-parts"
    shutil.rmtree(parts_dir, ignore_errors=True)
    os.makedirs(parts_dir)
    extra = ["--workers", str(a.threads_per_task), *a.jtlab_args]

    if a.scheduler:
        client = Client(a.scheduler)
    else:
        # One thread per worker process: each task is a jtlab process that uses its own threads.
        client = Client(LocalCluster(n_workers=a.workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None))
    try:
        futures = client.map(score_shard, range(a.shards), count=a.shards, inp=inp, out_dir=parts_dir, ext=ext, extra=extra, pure=False)
        parts = client.gather(futures)
    finally:
        client.close()

    if ext == ".csv":
        tmp = out + ".tmp"
        with open(tmp, "wb") as dst:
            for i, part in enumerate(sorted(parts)):
                with open(part, "rb") as src:
                    header = src.readline()
                    if i == 0:
                        dst.write(header)
                    shutil.copyfileobj(src, dst)
        os.replace(tmp, out)
        shutil.rmtree(parts_dir)
    else:
        shutil.rmtree(out, ignore_errors=True)
        os.replace(parts_dir, out)
    print(f"wrote {out} from {len(parts)} shards", file=sys.stderr)


if __name__ == "__main__":
    main()
