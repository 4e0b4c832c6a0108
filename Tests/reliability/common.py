"""What every reliability check shares: the binary under test, private environments,
running a command with a time limit, reading the database behind the tool's back."""
import hashlib
import os
import sqlite3
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = None  # set by run


class Failure(Exception):
    """A broken promise of the contract: the run stops and exits 1."""


def check(cond, what):
    if not cond:
        raise Failure(what)


def threads(targets):
    """Runs the callables at once; an exception in any of them fails the check."""
    errors = []

    def guarded(f):
        try:
            f()
        except BaseException as e:  # noqa: BLE001 - reported below, with its kind
            errors.append(f"{type(e).__name__}: {e}")
    ts = [threading.Thread(target=guarded, args=(f,)) for f in targets]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    check(not errors, f"a thread of the check failed: {errors[:3]}")


SCRATCH = None  # one folder per run, removed by run at the end (soak databases reach GBs)


def workdir(name):
    return tempfile.mkdtemp(prefix=f"{name}-", dir=SCRATCH)


def env(base, name="Alice Example", email="alice@example.com", role=None, db=None, **extra):
    """A private environment: nothing from the caller's home or config leaks in."""
    e = {
        "PATH": "/usr/bin:/bin",
        "HOME": base,
        "TICKETS_DB": db or os.path.join(base, "tickets.db"),
        "TICKETS_NAME": name,
        "TICKETS_EMAIL": email,
        "XDG_CONFIG_HOME": os.path.join(base, "config"),
        "XDG_STATE_HOME": os.path.join(base, "state"),
    }
    if role:
        e["TICKETS_ROLE"] = role
    e.update(extra)
    return e


def agent_env(base, **extra):
    return env(base, "Bob Agent", "bob@support.example", role="agent", **extra)


class Result:
    def __init__(self, args, code, out, err, seconds):
        self.args, self.code, self.out, self.err, self.seconds = args, code, out, err, seconds

    @property
    def text(self):
        return self.out.decode("utf-8", "replace")

    def __repr__(self):
        return f"{self.args} -> {self.code}: {self.err.decode('utf-8', 'replace').strip()}"


def run(args, environment, stdin=b"", timeout=30, preexec=None):
    """Runs the binary; a hang past `timeout` is a failure of its own kind (code None)."""
    start = time.monotonic()
    try:
        p = subprocess.run([BIN] + args, input=stdin, capture_output=True, env=environment,
                           timeout=timeout, preexec_fn=preexec)
        return Result(args, p.returncode, p.stdout, p.stderr, time.monotonic() - start)
    except subprocess.TimeoutExpired as e:
        return Result(args, None, e.stdout or b"", e.stderr or b"", time.monotonic() - start)


def must(args, environment, stdin=b""):
    r = run(args, environment, stdin)
    check(r.code == 0, f"expected success: {r!r}")
    return r


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_hash(path):
    with open(path, "rb") as f:
        return sha256(f.read())


def query(db, sql, params=()):
    """Reads the database directly, as a person with the sqlite3 shell would."""
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return c.execute(sql, params).fetchall()
    finally:
        c.close()


def integrity(db):
    return query(db, "PRAGMA integrity_check")[0][0]


def is_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
