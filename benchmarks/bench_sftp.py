"""1,000 small files from SFTP: our ingest DAG against Airflow's ``SFTPToS3Operator``, side by side.

Both read the same files from the same OpenSSH sshd (``scripts/sshd.sh``) and write into the same
S3 server, and both run under ``dag.test()`` in a fresh Airflow process of their own:

- baseline: ``SFTPToS3Operator.partial(...).expand_kwargs(...)``, one mapped task per file (the
  operator copies one path per call; ``replace=True`` so that it can run again) -- a bare copy,
  with no scan, type check, dedupe or catalogue;
- ours: ``kmrl_ingest__<source>`` generated from a sources file (SFTP source, clamd, S3, Postgres),
  one task for the whole folder.

Goals: ours >= 20x faster on the first ingest; a no-op rerun of ours >= 100x faster than the
baseline's rerun, which has no state and copies everything again. Each child first runs a one-task
warm-up DAG, so that Airflow's one-off start-up in a process (the in-process execution API, the
DAG bundle sync) is charged to neither side; the wall time of the measured ``dag.test()`` call is
what counts (the task-level time is recorded too).

``python -m benchmarks.bench_sftp [--files 1000] [--size 8192] [--recopy reuse|measure] [--shared]``
prints a table and writes ``benchmarks/results/sftp.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from benchmarks.common import (
    REPO,
    BenchError,
    Case,
    Goal,
    Run,
    bench_services,
    fresh_database,
    minio_client,
    print_case,
    s3_buckets,
    write_results,
)

SSHD = os.path.join(REPO, "scripts", "sshd.sh")
WARMUP_DAG = "bench_sftp_warmup"
BASELINE_DAG = "bench_sftp_to_s3"
WORDS = ("inspection", "pump", "track", "signal", "depot", "bogie", "report", "seal", "viaduct", "station",
         "കൊച്ചി", "മെട്രോ", "പരിശോധന", "റിപ്പോർട്ട്")

DAG_FILE = '''\
"""Written by benchmarks/bench_sftp.py: the two DAGs it compares, plus a warm-up DAG."""
import json
import os
from datetime import datetime, timezone

from airflow.providers.amazon.aws.transfers.sftp_to_s3 import SFTPToS3Operator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

from airflow_provider_kmrl.dags import build_dags

with open(os.environ["BENCH_SFTP_CONFIG"]) as fh:
    CONFIG = json.load(fh)
globals().update(build_dags(CONFIG["sources_file"]))
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG("{warmup}", schedule=None, start_date=START, catchup=False) as warmup:
    EmptyOperator(task_id="noop")

with DAG("{baseline}", schedule=None, start_date=START, catchup=False) as baseline:
    SFTPToS3Operator.partial(
        task_id="copy", sftp_conn_id="bench_sftp", aws_conn_id="bench_aws", s3_bucket=CONFIG["bucket"],
        replace=True,
    ).expand_kwargs(CONFIG["copies"])
'''.replace("{warmup}", WARMUP_DAG).replace("{baseline}", BASELINE_DAG)


# -- the measured child ------------------------------------------------------------------------


def child(dag_id: str, result_file: str) -> int:
    """Run the warm-up DAG, then ``dag_id`` under ``dag.test()``; write timings to ``result_file``."""
    import runpy

    from airflow.sdk import DAG

    found = runpy.run_path(os.path.join(os.environ["AIRFLOW__CORE__DAGS_FOLDER"], "bench_sftp_dags.py"))
    dags = {d.dag_id: d for d in found.values() if isinstance(d, DAG)}
    started = time.perf_counter()
    warm = dags[WARMUP_DAG].test()
    warmup_s = time.perf_counter() - started
    started = time.perf_counter()
    run = dags[dag_id].test()
    seconds = time.perf_counter() - started
    tis = run.get_task_instances()
    states: dict[str, int] = {}
    for ti in tis:
        states[str(ti.state)] = states.get(str(ti.state), 0) + 1
    task_s = sum((ti.end_date - ti.start_date).total_seconds() for ti in tis if ti.start_date and ti.end_date)
    result: dict[str, Any] = {"dag_id": dag_id, "state": str(run.state), "warmup_state": str(warm.state),
                              "seconds": seconds, "warmup_seconds": warmup_s, "task_seconds": task_s,
                              "task_states": states}
    if dag_id != BASELINE_DAG:
        result["summary"] = run.get_task_instance("ingest").xcom_pull(task_ids="ingest")
    with open(result_file, "w") as fh:
        json.dump(result, fh, default=str)
    return 0


def _run_child(dag_id: str, env: dict[str, str], scratch: str, timeout: float) -> dict[str, Any]:
    result_file = os.path.join(scratch, f"result-{uuid.uuid4().hex[:6]}.json")
    log_file = os.path.join(scratch, f"{dag_id}-{uuid.uuid4().hex[:6]}.log")
    started = time.perf_counter()
    with open(log_file, "w") as log:
        done = subprocess.run([sys.executable, "-m", "benchmarks.bench_sftp", "--child", dag_id, result_file],
                              cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                              timeout=timeout)
    if done.returncode != 0 or not os.path.exists(result_file):
        with open(log_file) as fh:
            tail = fh.read()[-3000:]
        raise BenchError(f"{dag_id} exited {done.returncode}:\n{tail}")
    with open(result_file) as fh:
        result = json.load(fh)
    result["process_seconds"] = time.perf_counter() - started
    if result["state"] != "success":
        raise BenchError(f"{dag_id} ended {result['state']} (task states {result['task_states']}); "
                         f"log: {log_file}")
    return result


# -- setup -------------------------------------------------------------------------------------


def _sshd_env() -> tuple[dict[str, str], bool]:
    """The sshd's addresses; starts it when it is not running (then the caller stops it)."""
    started = subprocess.run([SSHD, "status"], capture_output=True).returncode != 0
    if started:
        subprocess.run([SSHD, "start"], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([SSHD, "env"], check=True, capture_output=True, text=True).stdout
    env = {}
    for line in out.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = shlex.split(value)[0] if value else ""
    return env, started


def _write_files(root: str, count: int, size: int, owner: str) -> tuple[list[str], list[int]]:
    """``count`` unique text files of about ``size`` bytes in 10 folders; relative paths and sizes."""
    user = pwd.getpwnam(owner)
    rng = random.Random(4)
    paths, sizes = [], []
    for n in range(count):
        rel = f"batch-{n % 10:02d}/WO-{n:05d} export.txt"
        path = os.path.join(root, rel)
        if not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
            os.chown(os.path.dirname(path), user.pw_uid, user.pw_gid)
        head = f"Maximo work order export {n} {uuid.uuid4().hex}\n"
        body = " ".join(rng.choice(WORDS) for _ in range(size // 8))
        data = (head + body).encode()[:size] + b"\n"
        data = data.decode("utf-8", "ignore").encode()  # a cut inside a Malayalam letter is dropped
        with open(path, "wb") as fh:
            fh.write(data)
        os.chown(path, user.pw_uid, user.pw_gid)
        paths.append(rel)
        sizes.append(len(data))
    return paths, sizes


def _migrate(airflow_home: str) -> None:
    env = {**os.environ, "AIRFLOW_HOME": airflow_home, "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
    done = subprocess.run([airflow, "db", "migrate"], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise BenchError(f"airflow db migrate failed:\n{done.stderr[-2000:]}")


def _connections(env: dict[str, str], ssh: dict[str, str], dsn: str) -> dict[str, str]:
    sftp = {"conn_type": "sftp", "host": ssh["KMRL_SFTP_HOST"], "port": int(ssh["KMRL_SFTP_PORT"]),
            "login": ssh["KMRL_SFTP_USER"],
            "extra": {"key_file": ssh["KMRL_SFTP_KEY_FILE"], "host_key": ssh["KMRL_SFTP_HOST_KEY"],
                      "look_for_keys": False}}
    return {
        "AIRFLOW_CONN_BENCH_SFTP": json.dumps(sftp),
        "AIRFLOW_CONN_BENCH_AWS": json.dumps({"conn_type": "aws", "login": env["KMRL_S3_ACCESS_KEY"],
                                              "password": env["KMRL_S3_SECRET_KEY"],
                                              "extra": {"endpoint_url": env["KMRL_S3_ENDPOINT"],
                                                        "region_name": "us-east-1"}}),
        "AIRFLOW_CONN_KMRL_POSTGRES": dsn.replace("postgresql://", "postgres://", 1),
        "AIRFLOW_CONN_KMRL_CLAMAV": json.dumps({"conn_type": "kmrl_clamav", "host": env["KMRL_CLAMD_HOST"],
                                                "port": int(env["KMRL_CLAMD_PORT"])}),
        "AIRFLOW_CONN_KMRL_STORE": json.dumps({"conn_type": "kmrl_minio", "host": env["KMRL_S3_ENDPOINT"],
                                               "login": env["KMRL_S3_ACCESS_KEY"],
                                               "password": env["KMRL_S3_SECRET_KEY"]}),
    }


def _object_count(env: dict[str, str], bucket: str) -> int:
    return sum(1 for _ in minio_client(env).list_objects(bucket, recursive=True))


# -- the comparison ----------------------------------------------------------------------------


def compare(env: dict[str, str], ssh: dict[str, str], count: int, size: int, recopy: str,
            timeout: float, baseline_files: int | None = None) -> list[Case]:
    sample = min(count, baseline_files or count)
    tag = uuid.uuid4().hex[:8]
    source = f"bench_sftp_{tag}"
    root_local = os.path.join(ssh["KMRL_SFTP_LOCAL_ROOT"], f"bench-{tag}")
    root_remote = f"{ssh['KMRL_SFTP_REMOTE_ROOT']}/bench-{tag}"
    state = os.environ.get("KMRL_STATE_DIR") or os.path.join(REPO, ".state")
    os.makedirs(os.path.join(state, "bench"), exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="sftp-", dir=os.path.join(state, "bench"))
    user = pwd.getpwnam(ssh["KMRL_SFTP_USER"])
    try:
        os.makedirs(root_local)
        os.chown(root_local, user.pw_uid, user.pw_gid)
        paths, sizes = _write_files(root_local, count, size, ssh["KMRL_SFTP_USER"])
        nbytes = sum(sizes)
        airflow_home, dags = os.path.join(scratch, "airflow-home"), os.path.join(scratch, "dags")
        os.makedirs(dags)
        _migrate(airflow_home)
        with fresh_database(env) as dsn, s3_buckets(env, "raw", "quar", "copy") as (raw, quar, copy):
            minio_client(env).make_bucket(copy)
            sources_file = os.path.join(scratch, "kmrl_sources.yaml")
            with open(sources_file, "w") as fh:
                src = {"name": source, "kind": "sftp", "conn_id": "bench_sftp", "schedule": None,
                       "options": {"path": root_remote}}
                json.dump({"defaults": {"raw_bucket": raw, "quarantine_bucket": quar}, "sources": [src]},
                          fh)  # JSON is YAML
            config = os.path.join(scratch, "config.json")
            with open(config, "w") as fh:
                copies = [{"sftp_path": f"{root_remote}/{p}", "s3_key": f"copy/{p}"} for p in paths[:sample]]
                json.dump({"sources_file": sources_file, "bucket": copy, "copies": copies}, fh)
            with open(os.path.join(dags, "bench_sftp_dags.py"), "w") as fh:
                fh.write(DAG_FILE)
            child_env = {"AIRFLOW_HOME": airflow_home, "AIRFLOW__CORE__DAGS_FOLDER": dags,
                         "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                         "AIRFLOW__CORE__MAX_MAP_LENGTH": str(max(1024, count)),
                         "BENCH_SFTP_CONFIG": config, **_connections(env, ssh, dsn)}
            ours_dag = f"kmrl_ingest__{source}"

            print(f"sftp: baseline, {sample} mapped SFTPToS3Operator tasks ...", flush=True)
            base = _run_child(BASELINE_DAG, child_env, scratch, timeout)
            if _object_count(env, copy) != sample:
                raise BenchError(f"the baseline should have copied {sample} objects")
            print("sftp: our ingest DAG ...", flush=True)
            ours = _run_child(ours_dag, child_env, scratch, timeout)
            if ours["summary"]["by_status"] != {"success": count}:
                raise BenchError(f"our DAG should store all {count}: {ours['summary']['by_status']}")
            print("sftp: our no-op rerun ...", flush=True)
            noop = _run_child(ours_dag, child_env, scratch, timeout)
            if noop["summary"]["processed"] != 0 or noop["summary"]["new_doc_ids"]:
                raise BenchError(f"the rerun should add nothing: {noop['summary']}")
            if recopy == "measure":
                print("sftp: baseline rerun (re-copy) ...", flush=True)
                again = _run_child(BASELINE_DAG, child_env, scratch, timeout)
            else:
                again = dict(base, reused=True)
    finally:
        shutil.rmtree(root_local, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return _cases(count, nbytes, base, ours, noop, again, sample, sum(sizes[:sample]))


def _run(label: str, docs: int, nbytes: int, out: dict[str, Any], **extra: Any) -> Run:
    return Run(label, docs, nbytes, out["seconds"], None,
               {"task_seconds": round(out["task_seconds"], 2),
                "process_seconds": round(out["process_seconds"], 1),
                "warmup_seconds": round(out["warmup_seconds"], 1), **extra})


def _cases(count, nbytes, base, ours, noop, again, sample, sample_bytes) -> list[Case]:
    average = nbytes / count / 1024
    first = Case("sftp_ingest", f"{count} small files ({average:.1f} KiB on average) from sshd into S3, "
                                "under dag.test()")
    first.runs += [_run("SFTPToS3Operator, one mapped task per file", sample, sample_bytes, base),
                   _run("kmrl_ingest DAG (scan, type check, dedupe, catalogue)", count, nbytes, ours,
                        by_status=ours["summary"]["by_status"])]
    base_per_file, ours_per_file = base["seconds"] / sample, ours["seconds"] / count
    first.goals.append(Goal("per-file time: baseline / ours", base_per_file / ours_per_file, 20.0, "x"))
    first.notes.append(f"per file: baseline {base_per_file * 1000:.0f} ms, ours {ours_per_file * 1000:.1f} ms; "
                       f"task time alone: baseline {base['task_seconds']:.0f} s over {sample} task instances, "
                       f"ours {ours['task_seconds']:.1f} s in one")
    if sample < count:
        first.notes.append(f"the baseline copies the first {sample} of the {count} files (one task each, "
                           "about a second per task; all of them would take most of make bench's budget); "
                           "the goal compares time per file")

    rerun = Case("sftp_noop", f"run again with nothing new ({count} files already copied / ingested)")
    label = "SFTPToS3Operator rerun (re-copies everything)"
    if again.get("reused"):
        label += " [time of its first run]"
    rerun.runs += [_run(label, sample, sample_bytes, again),
                   _run("kmrl_ingest no-op rerun", 0, 0, noop, listed=noop["summary"]["listed"])]
    recopy_all = again["seconds"] / sample * count  # the baseline's rerun copies every file again
    rerun.goals.append(Goal("re-copy time / our no-op rerun", recopy_all / noop["seconds"], 100.0, "x"))
    rerun.notes.append("the no-op rerun walks the folder over SFTP and skips every file its entity-tracking "
                       "checkpoint already holds (path, size, mtime); nothing is read, scanned or written")
    if again.get("reused"):
        rerun.notes.append("the baseline keeps no state, so its rerun is the same copy (replace=True); its "
                           "first run's time is used (--recopy measure runs it again)")
    return [first, rerun]


def main(argv: list[str] | None = None) -> list[Case]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_sftp",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--size", type=int, default=8192, help="bytes per file (about)")
    parser.add_argument("--baseline-files", type=int, default=150,
                        help="files the baseline copies (one task each); the goal compares time per file")
    parser.add_argument("--recopy", choices=("measure", "reuse"), default="reuse",
                        help="run the baseline again for the no-op comparison, or reuse its first time")
    parser.add_argument("--shared", action="store_true", help="use the shared clamd and S3 server")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per measured DAG run")
    parser.add_argument("--child", nargs=2, metavar=("DAG_ID", "RESULT_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.exit(child(*args.child))
    if os.geteuid() != 0:
        raise BenchError("the SFTP benchmark needs root (it runs sshd with a chrooted system user)")
    ssh, started_sshd = _sshd_env()
    try:
        with bench_services(shared=args.shared) as env:
            cases = compare(env, ssh, args.files, args.size, args.recopy, args.timeout, args.baseline_files)
            for case in cases:
                print_case(case, reference=case.runs[0].label)
            write_results("sftp", cases, env, extra={"files": args.files, "size": args.size, "recopy": args.recopy,
                                                     "baseline_files": args.baseline_files})
    finally:
        if started_sshd:
            subprocess.run([SSHD, "stop"], stdout=subprocess.DEVNULL, check=False)
    return cases


if __name__ == "__main__":
    main()
