"""(8) Files and streams (issue "Files, streams and a strict, streaming import"):

- output targets: `export -o` into every kind of file, with and without --force, as root
  and as an ordinary user (`nobody` through setpriv): the exit code the kind calls for, a
  device, FIFO, socket, folder or link still what it was, a regular file either untouched
  or the whole export, and no temporary file left anywhere;
- hostile imports: mutants of a real export (byte flips, truncations, duplicated keys,
  huge values, bad ids, repeated or dropped tickets, garbage): every import exits 65 or 0
  in time and without a signal, and leaves no partial import: after a 65 the database is
  unchanged (or absent, for a new one), after a 0 it grew by exactly what the summary says;
- streams: every reading command into a pipe closed at once, after one byte and mid-way
  (exit 0, nothing on stderr); every writing command into /dev/full (exit 74 naming what
  was committed, and committed); empty id lists on standard input (exit 0, quiet, no change)."""
import base64
import collections
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import socket
import stat
import subprocess
import threading
import time

import common as c

NOW = "2026-11-01T00:00:00Z"
BROKEN = []  # broken promises: collected so that one does not hide the others


def expect(cond, what):
    """A broken promise fails the check at the end, after every part has run."""
    if not cond:
        BROKEN.append(what)
    return cond
NOBODY = 65534
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def run_as(user, args, environment, stdin=b"", stdout=None, timeout=30):
    """Runs the binary as root (None) or as `nobody`; stdout None captures it."""
    prefix = [] if user is None else ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    start = time.monotonic()
    try:
        p = subprocess.run(prefix + [c.BIN] + args, input=stdin, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                           env=environment, timeout=timeout)
        return c.Result(args, p.returncode, p.stdout or b"", p.stderr, time.monotonic() - start)
    except subprocess.TimeoutExpired as e:
        return c.Result(args, None, e.stdout or b"", e.stderr or b"", time.monotonic() - start)


def survived(r, what, codes):
    """Ended in time, without a signal, with one of `codes`, and said so properly; False
    (recorded) when not, and the caller checks nothing more of this run."""
    if not expect(r.code is not None, f"{what}: no answer in time"):
        return False
    if not expect(r.code >= 0, f"{what}: killed by signal {-r.code}: {r.err[-300:]!r}"):
        return False
    if not expect(r.code in codes, f"{what}: exit {r.code}, expected {sorted(codes)}: {r.err[-300:]!r}"):
        return False
    expect(c.is_utf8(r.err), f"{what}: stderr is not UTF-8")
    if r.code != 0:
        lines = r.err.splitlines()
        expect(lines and (lines[-1].startswith(b"tickets: error: ") or lines[-1].startswith(b'{"error":')),
               f"{what}: no error line: {r.err[-300:]!r}")
    return True


def real_database(base):
    """A small database made with the commands: attachments, cc, an assignee, an internal
    note, edits, a merge, a rating, a stale close by the system, a cancel."""
    db = os.path.join(base, "real.db")
    me = c.env(base, db=db, TICKETS_NOW=NOW)
    agent = c.agent_env(base, TICKETS_DB=db, TICKETS_NOW=NOW)
    log, png = os.path.join(base, "build.log"), os.path.join(base, "shot.png")
    with open(log, "w") as f:
        f.write("line\n" * 40)
    with open(png, "wb") as f:
        f.write(PNG)
    for i in range(6):
        c.must(["open", "-q", "-s", f"Printer {i} on fire", "-m", f"Smoke {i} ☃", "-a", log, "-a", png,
                "--cc", "carol@example.com", "--dedupe-key", f"ci:{i}"], me)
    for args in (["assign", "1"], ["reply", "1", "-m", "VIP", "--internal"], ["edit", "1", "-p", "urgent", "-s", "Printer 0!"],
                 ["merge", "3", "--into", "2", "-m", "same"], ["reply", "2", "-m", "Try again", "-a", log],
                 ["reply", "4", "-m", "Done?"]):
        c.must(args, agent)
    c.must(["close", "2"], me)
    c.must(["rate", "2", "4", "--review", "quick"], me)
    c.must(["cancel", "5"], me)
    c.must(["close", "--stale", "1d"], c.env(base, db=db, TICKETS_NOW="2026-11-03T00:00:00Z"))
    return db, agent


def export_of(environment, fmt="json"):
    return c.must(["export", "--with-attachments", "--format", fmt], environment).out


# MARK: - Output targets

def output_targets():
    base = c.workdir("targets")
    # The ordinary user must reach the folder through the run's private scratch folder.
    os.chmod(c.SCRATCH, 0o711)
    os.chmod(base, 0o777)
    db = os.path.join(base, "t.db")
    e = c.agent_env(base, TICKETS_DB=db)
    for i in range(3):
        c.must(["open", "-q", "-s", f"target {i}", "-m", "x"], e)
    os.chmod(db, 0o666)
    reference = c.must(["export"], e).out
    users = [None]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        users.append("nobody")
    elif os.geteuid() != 0:
        users = [None]  # an ordinary user already: the root-only kinds are skipped
    root = os.geteuid() == 0
    codes = collections.Counter()
    runs = 0
    kinds = set()

    def fifo_reader(path):
        got = {}

        def read():
            with open(path, "rb") as f:
                got["data"] = f.read()
        t = threading.Thread(target=read, daemon=True)
        t.start()
        return t, got

    def release(path, t):
        """A reader still waiting in open(2) (nothing was written): let it go."""
        if t.is_alive():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:
                pass
        t.join(5)
        expect(not t.is_alive(), f"the reader of {path} never ended")

    for user in users:
        for force in (False, True):
            work = os.path.join(base, f"{user or 'root'}-{'force' if force else 'plain'}")
            os.mkdir(work)
            os.chmod(work, 0o777)
            sticky = os.path.join(work, "sticky")
            os.mkdir(sticky)
            os.chmod(sticky, 0o1777)
            locked = os.path.join(work, "locked")
            os.mkdir(locked, 0o755)
            nob = user == "nobody"
            # (name, path, set-up, the expected exit code, what the target must be after)
            cases = []

            def case(name, path, code, setup=None, after=None, stream=None):
                cases.append((name, path, code, setup, after, stream))

            def regular(content):
                def check(path, r):
                    with open(path, "rb") as f:
                        data = f.read()
                    expect(stat.S_ISREG(os.lstat(path).st_mode), f"{path} is no longer a regular file")
                    if r.code == 0:
                        expect(data == reference, f"{path}: not the whole export")
                    else:
                        expect(data == content, f"{path}: changed by a refused export")
                return check

            def write_file(path, mode=0o644):
                with open(path, "wb") as f:
                    f.write(b"old")
                os.chmod(path, mode)

            def same_kind(kind):
                def check(path, r):
                    st = os.lstat(path)
                    expect(stat.S_IFMT(st.st_mode) == kind, f"{path}: kind changed to {oct(stat.S_IFMT(st.st_mode))}")
                return check

            case("new file", os.path.join(work, "new.json"), 0, after=regular(None))
            case("existing file", os.path.join(work, "old.json"), 0 if force else 73,
                 setup=lambda p: write_file(p), after=regular(b"old"))
            case("root's file in a sticky folder", os.path.join(sticky, "old.json"), 0 if force and not nob else 73,
                 setup=lambda p: write_file(p), after=regular(b"old"))
            case("new file in root's 0755 folder", os.path.join(locked, "new.json"), 73 if nob else 0,
                 after=lambda p, r: expect(os.path.exists(p) == (r.code == 0), f"{p}: created by a refused export"))
            case("symlink to a file", os.path.join(work, "link.json"), 0 if force else 73,
                 setup=lambda p: (write_file(p + ".real"), os.symlink(p + ".real", p)),
                 after=lambda p, r: (expect(os.path.islink(p), f"{p}: the link was replaced"), regular(b"old")(p + ".real", r)))
            case("dangling symlink", os.path.join(work, "dangling.json"), 73,
                 setup=lambda p: os.symlink(p + ".nowhere", p),
                 after=lambda p, r: expect(os.path.islink(p) and not os.path.exists(p + ".nowhere"), f"{p}: followed"))
            case("folder", os.path.join(work, "folder"), 73, setup=lambda p: os.mkdir(p, 0o777), after=same_kind(stat.S_IFDIR))
            case("socket", os.path.join(work, "sock"), 73, setup=lambda p: socket.socket(socket.AF_UNIX).bind(p),
                 after=same_kind(stat.S_IFSOCK))
            case("FIFO 0666 with a reader", os.path.join(work, "fifo"), 0,
                 setup=lambda p: (os.mkfifo(p), os.chmod(p, 0o666)), after=same_kind(stat.S_IFIFO), stream="fifo")
            case("root's FIFO 0600 with a reader", os.path.join(work, "rootfifo"), 73 if nob else 0,
                 setup=lambda p: (os.mkfifo(p), os.chmod(p, 0o600)), after=same_kind(stat.S_IFIFO), stream="fifo")
            case("/dev/null", "/dev/null", 0, after=same_kind(stat.S_IFCHR))
            case("/dev/full", "/dev/full", 74, after=same_kind(stat.S_IFCHR))
            case("/dev/zero", "/dev/zero", 0, after=same_kind(stat.S_IFCHR))
            if root:
                case("block device", os.path.join(work, "blk"), 73,
                     setup=lambda p: os.mknod(p, stat.S_IFBLK | 0o666, os.makedev(199, 0)), after=same_kind(stat.S_IFBLK))
            case("missing folder", os.path.join(work, "missing", "x.json"), 73,
                 after=lambda p, r: expect(not os.path.exists(os.path.dirname(p)), f"{p}: folder created"))
            case("-", "-", 0, stream="stdout")
            case("/dev/stdout", "/dev/stdout", 0, stream="stdout")
            case("/dev/fd/1", "/dev/fd/1", 0, stream="stdout")
            case("/dev/stderr", "/dev/stderr", 0, stream="stderr")
            case("/dev/fd/7, not open", "/dev/fd/7", 73)

            for name, path, code, setup, after, stream in cases:
                kinds.add(name)
                if setup:
                    setup(path)
                before = sorted(os.listdir(work))
                reader = None
                if stream == "fifo":
                    reader = fifo_reader(path)
                r = run_as(user, ["export", "-o", path] + (["--force"] if force else []), e)
                what = f"export -o {name}{' --force' if force else ''} as {user or 'root'}"
                if reader:
                    release(path, reader[0])
                if survived(r, what, {code}):
                    if r.code != 0:
                        expect(path.encode() in r.err, f"{what}: the error does not name {path}: {r.err!r}")
                    if reader and r.code == 0:
                        expect(reader[1].get("data") == reference, f"{what}: the reader did not get the export")
                    if stream == "stdout":
                        expect(r.out == reference, f"{what}: stdout is not the export")
                    elif stream == "stderr":
                        expect(r.err == reference, f"{what}: stderr is not the export")
                    else:
                        expect(r.out == b"", f"{what}: wrote to stdout")
                if after:
                    after(path, r)
                left = [n for d in (work, sticky, locked) for n in os.listdir(d) if ".tmp-" in n]
                expect(not left, f"{what}: temporary files left: {left}")
                if code != 0:
                    expect(sorted(os.listdir(work)) == before, f"{what}: files appeared: {before} -> {os.listdir(work)}")
                codes[r.code] += 1
                runs += 1
    return dict(runs=runs, kinds=len(kinds), users=len(users), codes=codes)


# MARK: - Hostile imports

def renumbered(export, shift):
    """The export with every id moved by `shift` and dedupe keys made its own."""
    tickets = json.loads(export)
    for t in tickets:
        t["id"] += shift
        if t["dedupe_key"]:
            t["dedupe_key"] = f"seed-{t['dedupe_key']}"
        for m in t["messages"]:
            m["id"] += shift
            for a in m["attachments"]:
                a["id"] += shift
        for ev in t["events"]:
            ev["id"] += shift
            if ev.get("message_id") is not None:
                ev["message_id"] += shift  # the message the event's reason is, moved with it
    return json.dumps(tickets).encode()


TABLES = ("tickets", "messages", "attachments", "events", "ticket_cc")
# What identifies a row, first column of every digest row (ticket_cc has no rowid).
KEYS = {"tickets": "id", "messages": "id", "attachments": "id", "events": "id", "ticket_cc": "ticket_id"}


def digest(db, rowids=None):
    """What the database holds, row by row (not the file's bytes, which a rolled-back
    write may touch); with `rowids` ({table: set}), those rows only."""
    if not os.path.exists(db):
        return None
    h = hashlib.sha256()
    for table in TABLES:
        key = KEYS[table]
        for row in c.query(db, f"SELECT {key}, * FROM {table} ORDER BY {key}" if table != "ticket_cc"
                           else f"SELECT {key}, * FROM {table} ORDER BY ticket_id, position"):
            if rowids is None or row[0] in rowids[table]:
                h.update(repr(row).encode())
    return h.hexdigest()


def rowids(db):
    return {t: {r[0] for r in c.query(db, f"SELECT {KEYS[t]} FROM {t}")} for t in TABLES}


def counts(db):
    return {t: c.query(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES} if os.path.exists(db) else None


KEY = re.compile(rb'\{"([a-z_]+)":')
STRING = re.compile(rb'"((?:[^"\\]|\\.)*)"')
NUMBER = re.compile(rb'(?<=[:\[,])-?[0-9]+(?=[,}\]])')


def mutate(data, lines, kind, rnd):
    """One mutant of the export `data` (`lines`: its ndjson form)."""
    b = bytearray(data)
    if kind == "byte flips":
        for _ in range(rnd.randint(1, 8)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        return bytes(b)
    if kind == "truncation":
        return bytes(b[:rnd.randrange(len(b))])
    if kind == "line truncation":
        cut = rnd.randrange(1, len(lines))
        return b"".join(lines[:cut])
    if kind == "duplicated key":
        spots = list(KEY.finditer(data))
        m = rnd.choice(spots)
        key = m.group(1)
        value = rnd.choice([b"null", b"1", b'"x"', b"[]", b"{}"])
        return data[:m.start() + 1] + b'"' + key + b'":' + value + b"," + data[m.start() + 1:]
    if kind == "huge string":
        # A value (half the time a message body, which may be that large), not a key.
        spots = list(re.finditer(rb'(?<="body":)' + STRING.pattern if rnd.random() < 0.5 else rb'(?<=:)' + STRING.pattern, data))
        m = rnd.choice(spots)
        size = rnd.choice([1 << 20, 3 << 20, 17 << 20])
        return data[:m.start()] + b'"' + b"a" * size + b'"' + data[m.end():]
    if kind == "huge number":
        spots = list(NUMBER.finditer(data))
        m = rnd.choice(spots)
        digits = rnd.choice([20, 400, 1200])
        return data[:m.start()] + b"9" * digits + data[m.end():]
    if kind == "deep nesting":
        spots = list(NUMBER.finditer(data))
        m = rnd.choice(spots)
        depth = rnd.choice([63, 65, 200, 5000])
        return data[:m.start()] + b"[" * depth + b"1" + b"]" * depth + data[m.end():]
    if kind == "bad id":
        spots = [m for m in re.finditer(rb'"id":(-?[0-9]+)', data)]
        m = rnd.choice(spots)
        bad = rnd.choice([b"0", b"-1", b"9007199254740992", b"9223372036854775808", b"1e3", b"1.0", b'"1"', b"null"])
        return data[:m.start(1)] + bad + data[m.end(1):]
    if kind == "repeated ticket":
        i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines) + 1)
        return b"".join(lines[:j] + [lines[i]] + lines[j:])
    if kind == "dropped ticket":
        i = rnd.randrange(len(lines))
        return b"".join(lines[:i] + lines[i + 1:])
    if kind == "garbage":
        at = rnd.randrange(len(b))
        return bytes(b[:at]) + rnd.randbytes(rnd.randint(1, 64)) + bytes(b[at:])
    if kind == "huge attachment":
        spots = list(re.finditer(rb'"data":"([^"]*)"', data))
        m = rnd.choice(spots)
        blob = base64.b64encode(b"A" * rnd.choice([(8 << 20) + 1, 9 << 20]))
        return data[:m.start(1)] + blob + data[m.end(1):]
    raise AssertionError(kind)


KINDS = ["byte flips", "truncation", "line truncation", "duplicated key", "huge string", "huge number", "deep nesting",
         "bad id", "repeated ticket", "dropped ticket", "garbage", "huge attachment"]


def hostile_imports(mutants, seed):
    base = c.workdir("imports")
    real, agent = real_database(base)
    data_json, data_nd = export_of(agent, "json"), export_of(agent, "ndjson")
    lines = data_nd.splitlines(keepends=True)
    # The seed: a database holding other tickets, which no mutant may touch.
    seed_db = os.path.join(base, "seed.db")
    c.must(["import", "-"], c.agent_env(base, TICKETS_DB=seed_db), stdin=renumbered(data_json, 100000))
    c.check(not os.path.exists(seed_db + "-wal"), "the seed database kept a WAL")
    seed_digest, seed_counts, seed_rows = digest(seed_db), counts(seed_db), rowids(seed_db)
    # Both unchanged forms import (the mutants are measured against a file that works).
    for data in (data_json, data_nd):
        fresh = os.path.join(base, "check.db")
        r = c.run(["import", "-", "--json"], c.agent_env(base, TICKETS_DB=fresh), stdin=data)
        c.check(r.code == 0 and json.loads(r.out)["imported"] == len(lines), f"the real export does not import: {r!r}")
        os.unlink(fresh)
    rnd = random.Random(seed)
    # Made one at a time in the workers (a huge mutant is tens of MB): a seed each.
    work = [(n, KINDS[n % len(KINDS)], rnd.randrange(1 << 32)) for n in range(mutants)]

    def attempt(item):
        n, kind, own = item
        ndjson = kind in ("line truncation", "repeated ticket", "dropped ticket") or (n // len(KINDS)) % 2 == 1
        data = mutate(data_nd if ndjson else data_json, lines, kind, random.Random(own))
        seeded = n % 2 == 1
        folder = os.path.join(base, f"m{n}")
        os.mkdir(folder)
        db = os.path.join(folder, "t.db")
        if seeded:
            shutil.copy(seed_db, db)
        path = os.path.join(folder, "mutant.json")
        with open(path, "wb") as f:
            f.write(data)
        e = c.agent_env(folder, TICKETS_DB=db, TMPDIR=folder)
        r = c.run(["import", path, "--json"], e, timeout=20)
        what = f"mutant {n} ({kind}, {'seeded' if seeded else 'new'} database)"
        if not survived(r, what, {0, 65}):
            return kind, r.code, "broken", r.seconds  # its folder is kept for a look
        # Anything beside the input and the database is a work file left behind: the
        # staging file (tickets-import-*) or a new database's hidden .t.db.import-*.
        leftovers = [x for x in os.listdir(folder) if x not in ("mutant.json", "t.db", "t.db-wal", "t.db-shm")]
        expect(not leftovers, f"{what}: staging files left: {leftovers}")
        if r.code == 65:
            expect(json.loads(r.err.splitlines()[-1])["error"]["code"] == "invalid_input", f"{what}: {r.err!r}")
            if seeded:
                expect(digest(db) == seed_digest, f"{what}: a refused import changed the database")
            else:
                expect(not os.path.exists(db), f"{what}: a refused import left a database file")
            outcome = "refused"
        else:
            summary = json.loads(r.out)
            after = counts(db)
            before = seed_counts if seeded else {t: 0 for t in TABLES}
            expect(after["tickets"] - before["tickets"] == summary["imported"],
                    f"{what}: {summary} but {after['tickets'] - before['tickets']} tickets were added")
            expect(c.integrity(db) == "ok", f"{what}: integrity_check after the import")
            if seeded:
                # The seed's own rows are all still there, unchanged.
                expect(digest(db, seed_rows) == seed_digest, f"{what}: the seed's rows changed")
            outcome = "imported" if summary["imported"] else "imported nothing"
        shutil.rmtree(folder)
        return kind, r.code, outcome, r.seconds

    tally, by_kind = collections.Counter(), collections.defaultdict(collections.Counter)
    slowest = 0.0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for kind, code, outcome, seconds in pool.map(attempt, work):
            tally[code] += 1
            by_kind[kind][outcome] += 1
            slowest = max(slowest, seconds)
    return dict(mutants=mutants, codes=tally, kinds=by_kind, slowest=slowest)


# MARK: - Streams

def big_world(base):
    """A database whose outputs far exceed a pipe's buffer: one 2 MB message, 300 long subjects."""
    db = os.path.join(base, "big.db")
    e = c.agent_env(base, TICKETS_DB=db, TICKETS_NOW=NOW)
    tickets = []
    for i in range(1, 302):
        who = {"name": "Alice", "email": "alice@example.com"}
        body = "word " * (400000 if i == 1 else 20)
        tickets.append({"id": i, "subject": f"Subject {i}" + " long" * 80, "status": "open", "priority": "medium",
                        "department": "other", "service": None, "requester": who, "cc": [], "assignee": None,
                        "dedupe_key": None, "created_at": NOW, "updated_at": NOW, "closed_at": None, "rating": None,
                        "messages": [{"id": i, "author": who, "role": "requester", "internal": False, "body": body,
                                      "created_at": NOW, "attachments": []}],
                        "events": [{"id": i, "actor": who, "action": "open", "from_status": None, "to_status": "open",
                                    "field": None, "old_value": None, "new_value": None, "created_at": NOW}]})
    c.must(["import", "-"], e, stdin="\n".join(json.dumps(t) for t in tickets).encode())
    return e


READING = [["list", "-L", "0"], ["list", "--json"], ["list", "--csv"], ["list", "--format", "ndjson"], ["list", "-q"],
           ["list", "--fields", "id,subject,requester", "-L", "0"], ["list", "-S", "word", "-L", "0"],
           ["list", "--count", "--by", "status"], ["show", "1"], ["show", "1", "--json"], ["show", "1", "--history"],
           ["export"], ["export", "--format", "ndjson"], ["export", "--csv"], ["export", "--with-attachments"],
           ["export", "-o", "-"], ["export", "-o", "/dev/stdout"], ["help"], ["help", "list"], ["--version"],
           ["__complete", "ids"]]


def closed_pipe(args, e, read):
    """The command's stdout is a pipe whose reader takes `read` bytes, then closes it."""
    p = subprocess.Popen([c.BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=e)
    got = p.stdout.read(read) if read else b""
    p.stdout.close()
    try:
        err = p.stderr.read()
        code = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        code = None
    return c.Result(args, code, got, err, 0)


WRITING = [
    # (set-up commands, the command, what its error must name); {id} is the last ticket
    # the set-up opened, {prev} the one before, {src} an export of one other ticket.
    ([], ["open", "-s", "New", "-m", "x", "-q"], b"ticket #1 was opened"),
    ([], ["open", "-s", "New", "-m", "x", "--json", "-a", "{log}"], b"ticket #1 was opened"),
    ([["open", "-s", "K", "-m", "x", "--dedupe-key", "k"]], ["open", "-s", "K", "-m", "y", "--dedupe-key", "k"], b"ticket #1"),
    ([["open", "-s", "S", "-m", "x"]], ["reply", "{id}", "-m", "Hello"], b"ticket #1"),
    ([["open", "-s", "S", "-m", "x"]], ["reply", "{id}", "-m", "Psst", "--internal"], b"ticket #1"),
    ([["open", "-s", "S", "-m", "x"]], ["assign", "{id}"], b"ticket #1 was assigned"),
    ([["open", "-s", "S", "-m", "x"]], ["edit", "{id}", "-p", "high"], b"ticket #1 was edited"),
    ([["open", "-s", "S", "-m", "x"], ["open", "-s", "T", "-m", "x"]], ["merge", "{id}", "--into", "{prev}"],
     b"merged into #1"),
    ([["open", "-s", "S", "-m", "x"]], ["close", "{id}"], b"ticket #1 was closed"),
    ([["open", "-s", "S", "-m", "x"]], ["close", "--status", "open", "--yes"], b"closed"),
    ([["open", "-s", "S", "-m", "x"], ["reply", "{id}", "-m", "answer"]], ["close", "--stale", "1h"], b"closed"),
    ([["open", "-s", "S", "-m", "x"]], ["cancel", "{id}"], b"ticket #1 was canceled"),
    ([["open", "-s", "S", "-m", "x"], ["close", "{id}"]], ["reopen", "{id}"], b"ticket #1 was reopened"),
    ([["open", "-s", "S", "-m", "x"], ["close", "{id}"]], ["rate", "{id}", "5"], b"ticket #1 was rated"),
    ([["open", "-s", "S", "-m", "x"], ["open", "-s", "T", "-m", "x"]], ["close", "-", "--json"], b"2 tickets were closed"),
    ([["open", "-s", "S", "-m", "x"], ["open", "-s", "T", "-m", "x"]], ["edit", "-", "-p", "low"], b"2 tickets were edited"),
    ([], ["import", "{src}"], b"1 ticket was imported"),
    ([], ["import", "-", "--json"], b"1 ticket was imported"),
]


def streams(base):
    e = big_world(base)
    quiet = 0
    for args in READING:
        for read in (0, 1, 65536):
            r = closed_pipe(args, e, read)
            what = f"{' '.join(args)} into a pipe closed after {read} bytes"
            expect(r.code is not None, f"{what}: no answer in 30 s")
            expect(r.code == 0, f"{what}: exit {r.code}: {r.err[-300:]!r}")
            expect(r.err == b"", f"{what}: said {r.err[-300:]!r}")
            quiet += 1
    # /dev/full after the commit.
    full = 0
    for setup, command, names in WRITING:
        folder = c.workdir("full")
        db = os.path.join(folder, "t.db")
        e = c.agent_env(folder, TICKETS_DB=db, TICKETS_NOW=NOW)
        log, src = os.path.join(folder, "note.log"), os.path.join(folder, "src.json")
        with open(log, "w") as f:
            f.write("note\n")
        other = c.agent_env(folder, TICKETS_DB=os.path.join(folder, "src.db"), TICKETS_NOW=NOW)
        c.must(["open", "-q", "-s", "To import", "-m", "x"], other)
        with open(src, "wb") as f:
            f.write(export_of(other))
        ids = []

        def filled(args):
            return [a.format(id=ids[-1] if ids else "", prev=ids[-2] if len(ids) > 1 else "", log=log, src=src) for a in args]
        for step in setup:
            r = c.must(filled(step) + (["-q"] if step[0] == "open" else []), e)
            if step[0] == "open":
                ids.append(r.text.strip())
        args = filled(command)
        stdin = b""
        if args[:2] == ["import", "-"]:
            stdin = open(src, "rb").read()
        elif "-" in args:
            stdin = ("\n".join(ids) + "\n").encode()
        events = c.query(db, "SELECT count(*) FROM events")[0][0] if os.path.exists(db) else 0
        run_env = dict(e, TICKETS_NOW="2026-11-02T00:00:00Z")
        if args[0] == "rate":  # the requester's (Bob's own ticket), not an agent's
            del run_env["TICKETS_ROLE"]
        with open("/dev/full", "wb") as out:
            r = run_as(None, args, run_env, stdin=stdin, stdout=out)
        what = f"{' '.join(args)} > /dev/full"
        if survived(r, what, {74}):
            expect(b"could not be written" in r.err and names in r.err, f"{what}: {r.err!r}")
        expect(c.query(db, "SELECT count(*) FROM events")[0][0] > events, f"{what}: nothing was committed")
        full += 1
    # Empty id lists on standard input.
    folder = c.workdir("empty")
    db = os.path.join(folder, "t.db")
    e = c.agent_env(folder, TICKETS_DB=db, TICKETS_NOW=NOW)
    for _ in range(2):
        c.must(["open", "-q", "-s", "S", "-m", "x"], e)
    before = digest(db)
    empty = 0
    for command in (["close", "-"], ["reopen", "-"], ["cancel", "-"], ["edit", "-", "-p", "high"], ["close", "-", "-m", "why"],
                    ["edit", "-", "--add-cc", "dave@example.com"]):
        for stdin in (b"", b"\n", b"\n \n\t\n", b"\r\n"):
            r = c.run(command, e, stdin=stdin)
            what = f"{' '.join(command)} with {stdin!r} on stdin"
            if expect(r.code == 0, f"{what}: {r!r}"):
                expect(r.out == b"" and r.err == b"", f"{what}: {r.out!r} {r.err!r}")
            empty += 1
        p = subprocess.run([c.BIN] + command, stdin=subprocess.DEVNULL, capture_output=True, env=e, timeout=30)
        expect(p.returncode == 0 and p.stdout == b"" and p.stderr == b"", f"{' '.join(command)} < /dev/null: {p}")
        empty += 1
    expect(digest(db) == before, "an empty id list changed the database")
    return dict(quiet=quiet, full=full, empty=empty)


def main(mutants, seed):
    BROKEN.clear()
    targets = output_targets()
    imports = hostile_imports(mutants, seed)
    s = streams(c.workdir("streams"))
    tcodes = ", ".join(f"{n}x{code}" for code, n in sorted(targets["codes"].items()))
    icodes = ", ".join(f"{n}x{code}" for code, n in sorted(imports["codes"].items()))
    line = (f"output targets: {targets['runs']} exports into {targets['kinds']} kinds of target, with and without "
            f"--force, as {'root and nobody' if targets['users'] == 2 else 'this user'} ({tcodes}); hostile imports: "
            f"{mutants} mutants of a real export in {len(KINDS)} kinds ({icodes}), slowest {imports['slowest']:.1f} s; "
            f"streams: {s['quiet']} reads into closed pipes, {s['full']} committing commands > /dev/full, "
            f"{s['empty']} empty id lists")
    if BROKEN:
        shown = list(dict.fromkeys(BROKEN))[:8]
        raise c.Failure(f"{len(BROKEN)} broken promises, e.g. {shown}; figures: {line}")
    return dict(targets=targets, imports=imports, streams=s,
                line=line + ": every one as promised (0 crashes, 0 hangs, 0 partial imports, kinds kept, "
                            "no temporary file left, exit 0 and quiet into closed pipes, 74 naming the committed change)")
