"""Where the time of one `tickets list` / `tickets show` goes (issue #16, item 4).

perf does not work on the VMs this runs on. strace -ttt puts a timestamp on every system
call of real runs, and these mark the phases:

  process start        execve -> rt_sigaction(SIGPIPE), the first thing TicketsCLI.main does
  config, identity     -> the lstat of the database path (DatabaseFile.check): arguments, the
                       environment, TICKETS_NOW, the config file, the role and identity
  opening the database -> the end of the last SQLite read transaction before the first one
                       that reads a page of a table or index (header, WAL index, schema,
                       sqlite_stat1)
  the queries          the read transactions that read tables and indexes, lock to unlock
  between them         the rest until the output is written: preparing statements, decoding
                       rows, the SLA arithmetic, building the table
  output and exit      write(1) -> exit_group

But tracing stops the process at every call: 0.02-0.09 ms each on this VM, varying with the
load, against a 2 ms run of about 180 calls. So the report takes from strace only the
phases of a few calls (config and identity, between them: 3 to 13), less dd's traced-call
cost measured at the same time; the start-up from `tickets --version` untraced, less
`/bin/true` (what any spawn and wait costs the parent); and the database work in-process
and untraced with Python's sqlite3 module, the same SQLite 3.40 library: opening and
closing (connect, the header check, the schema and sqlite_stat1 loaded by a statement that
reads no row) and the reference statements on a new connection (a cold page cache, as
every run of tickets has) or on a warm one (the floor). The sum is checked against the
untraced run less the spawn. The raw traced phases stay in the JSON.
"""
import os
import re
import sqlite3
import statistics
import subprocess
import time

from .common import load
from .reference import HEADER, Dataset

LINE = re.compile(r"^(?:\d+ +)?(\d+\.\d+) (\w+)\((.*)$")


def tracing_cost(r, env, argv, runs):
    """(strace's own start-up in ms, the added cost of one traced call in ms) for `argv`:
    traced minus untraced wall time, with /bin/true (a few calls) giving the fixed part."""
    trace = os.path.join(env.home, "calibrate.trace")

    def walls(a):
        plain, traced = [], []
        for _ in range(runs):
            plain.append(r.run(a, env)[0])
            traced.append(r.run(["/usr/bin/strace", "-qq", "-o", trace] + a, env)[0])
        return statistics.median(traced) - statistics.median(plain), sum(1 for _ in open(trace))
    dd_extra, dd_calls = walls(["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=20000", "status=none"])
    per_call = dd_extra / dd_calls
    true_extra, true_calls = walls(["/bin/true"])
    fixed = max(0.0, true_extra - true_calls * per_call)
    return fixed, per_call


def schema_pages(db):
    """The pages of sqlite_schema and sqlite_stat1 (dbstat, as the sqlite3 shell has it)."""
    out = subprocess.run(["sqlite3", db, "SELECT pageno FROM dbstat WHERE name IN ('sqlite_schema', 'sqlite_stat1')"],
                         capture_output=True, text=True, check=True).stdout.split()
    return {int(p) for p in out} | {1}


def phases(trace, db, schema):
    """One traced run, as the phases of the module's comment: (ms, calls) for each."""
    events = []
    for line in open(trace):
        m = LINE.match(line)
        if m:
            events.append((float(m.group(1)) * 1000, m.group(2), m.group(3)))
    t_exec = events[0][0]
    i_main = next(i for i, e in enumerate(events) if e[1] == "rt_sigaction" and e[2].startswith("SIGPIPE"))
    quoted = '"%s"' % db
    i_db = next(i for i, e in enumerate(events) if i > i_main and quoted in e[2])
    db_fd = shm_fd = None
    txns = []  # [start index, end index, pages read]
    current = None
    for i, (_, name, args) in enumerate(events):
        if name == "openat" and ('"%s"' % db) in args:
            db_fd = args.rsplit("= ", 1)[1].strip()
        elif name == "openat" and ('"%s-shm"' % db) in args:
            shm_fd = args.rsplit("= ", 1)[1].strip()
        elif name == "fcntl" and shm_fd and args.startswith(shm_fd + ", F_SETLK"):
            m = re.search(r"l_type=(F_\w+), l_whence=SEEK_SET, l_start=(\d+), l_len=1\}", args)
            if m and 123 <= int(m.group(2)) <= 127:
                if m.group(1) == "F_RDLCK" and current is None:
                    current = [i, None, set()]
                elif m.group(1) == "F_UNLCK" and current is not None:
                    current[1] = i
                    txns.append(current)
                    current = None
        elif name == "pread64" and db_fd and args.startswith(db_fd + ","):
            m = re.search(r", (\d+), (\d+)\) = ", args)
            if m and current is not None:
                current[2].add(int(m.group(2)) // int(m.group(1)) + 1)
    i_write = next(i for i, e in enumerate(events) if e[1] == "write" and e[2].startswith("1,"))
    i_exit = next(i for i, e in enumerate(events) if e[1] == "exit_group")
    data = [t for t in txns if t[2] - schema]
    first_data = txns.index(data[0])
    i_opened = txns[first_data - 1][1] if first_data > 0 else i_db
    t = lambda i: events[i][0]
    in_queries = sum(t(b) - t(a) for a, b, _ in data)
    calls_queries = sum(b - a for a, b, _ in data)
    between = t(i_write) - t(i_opened) - in_queries
    return {
        "process start": (t(i_main) - t_exec, i_main),
        "config, identity": (t(i_db) - t(i_main), i_db - i_main),
        "opening the database": (t(i_opened) - t(i_db), i_opened - i_db),
        "the queries": (in_queries, calls_queries),
        "between them": (between, i_write - i_opened - calls_queries),
        "output and exit": (t(i_exit) - t(i_write), i_exit - i_write),
    }


def opening(db, runs=50):
    """Opening the database in-process: connect, the header check, and the schema and
    sqlite_stat1 loaded by preparing a statement on tickets that reads no row."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        c = sqlite3.connect(db, isolation_level=None)
        for s in HEADER.split(";"):
            if s.strip():
                c.execute(s).fetchall()
        c.execute("SELECT 1 FROM tickets WHERE 0").fetchall()
        c.close()
        out.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(out)


def floor(db, statements, runs=200):
    """The reference statements in-process (Python's sqlite3, the same SQLite library):
    (warm connection: statements only, new connection each time: open + header +
    statements), median ms."""
    def run_all(c):
        for s in statements:
            for _ in c.execute(s):
                pass
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, isolation_level=None)
    run_all(c)
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        run_all(c)
        warm.append((time.perf_counter_ns() - t0) / 1e6)
    c.close()
    cold = []
    for _ in range(runs // 4):
        t0 = time.perf_counter_ns()
        c = sqlite3.connect(db, isolation_level=None)
        for s in HEADER.split(";"):
            if s.strip():
                c.execute(s).fetchall()
        run_all(c)
        c.close()
        cold.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(warm), statistics.median(cold)


def statements(sql):
    """The statements of a reference script, without its header (measured apart) and
    without BEGIN/COMMIT (the warm floor runs them outside a transaction)."""
    body = sql[len(HEADER):] if sql.startswith(HEADER) else sql
    out = []
    for s in re.split(r";\n", body):
        s = s.strip().rstrip(";")
        if s and s not in ("BEGIN", "COMMIT"):
            out.append(s)
    return out


def run(r, envs, db, runs):
    """The breakdown of list and show in both environments."""
    ds = Dataset(db)
    schema = schema_pages(db)
    cases = {"list": (r.t("list", "--db", db), ds.list_sql()),
             "show": (r.t("show", str(ds.show_id), "--db", db), ds.show_sql())}
    result = {"load_before": load(), "runs": runs, "show_id": ds.show_id, "commands": {}}
    version = r.t("--version")
    result["version_ms"] = statistics.median(r.run(version, envs["set"])[0] for _ in range(runs))
    shell = [r.sqlite, ":memory:", "SELECT 1"]
    result["sqlite3_start_ms"] = statistics.median(r.run(shell, envs["set"])[0] for _ in range(runs))
    result["true_ms"] = statistics.median(r.run(["/bin/true"], envs["set"])[0] for _ in range(runs))
    fixed, per_call = tracing_cost(r, envs["set"], version, max(5, runs // 2))
    result["strace_fixed_ms"], result["dd_traced_call_ms"] = fixed, per_call
    for name, (argv, sql) in cases.items():
        per_env = {}
        for env in envs.values():
            trace = os.path.join(env.home, "breakdown.trace")
            samples = {}
            walls, traced_walls = [], []
            for k in range(runs):
                # Untraced and traced runs alternate, so both see the same machine.
                walls.append(r.run(argv, env)[0])
                ms, code = r.run(["/usr/bin/strace", "-ttt", "-qq", "-o", trace] + argv, env)
                if code != 0:
                    raise SystemExit("bench: strace %s failed (exit %d)" % (name, code))
                traced_walls.append(ms)
                for phase, value in phases(trace, db, schema).items():
                    samples.setdefault(phase, []).append(value)
            per_env[env.name] = {
                "phases": {p: {"ms": statistics.median(max(0.0, ms - c * per_call) for ms, c in v),
                               "raw_ms": statistics.median(ms for ms, _ in v),
                               "calls": statistics.median(c for _, c in v)} for p, v in samples.items()},
                "untraced_ms": statistics.median(walls), "traced_ms": statistics.median(traced_walls)}
        warm, cold = floor(db, statements(sql))
        result["commands"][name] = {"envs": per_env, "floor_warm_ms": warm, "floor_cold_ms": cold,
                                    "opening_ms": opening(db), "tickets_cmd": " ".join(argv)}
    result["load_after"] = load()
    return result
