"""(5) Corrupted and foreign files: mutants of a real database (bit flips, truncation, a
damaged header, random pages) and files that are not ours. Read commands and a write
must end with a documented code in time, say so in valid UTF-8, and a read must never
change the file."""
import collections
import concurrent.futures
import json
import os
import random
import shutil
import sqlite3
import struct
import zlib

import common as c

PAGE = 4096
# command -> the exit codes it may end with on a damaged or foreign file
COMMANDS = [
    (["list", "--status", "all", "--json"], {0, 74, 78}, False),
    (["show", "1", "--history", "--json"], {0, 66, 74, 78}, False),
    (["show", "3"], {0, 66, 74, 78}, False),
    (["export", "--with-attachments"], {0, 65, 74, 78}, False),
    (["list", "-S", "printer", "--csv"], {0, 74, 78}, False),
    (["open", "-q", "-s", "after", "-m", "the damage"], {0, 74, 78}, True),
]


def png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


def real_database(base):
    """A database the tool wrote: tickets in every status, messages, attachments, events, a rating."""
    db = os.path.join(base, "real.db")
    e = c.env(base, db=db, TICKETS_NOW="2026-11-22T10:00:00Z")
    a = c.agent_env(base, TICKETS_DB=db, TICKETS_NOW="2026-11-22T10:00:00Z")
    shot = os.path.join(base, "shot.png")
    with open(shot, "wb") as f:
        f.write(png())
    log = os.path.join(base, "app.log")
    with open(log, "w") as f:
        f.write("line\n" * 3000)
    for i in range(40):
        tid = c.must(["open", "-q", "-s", f"printer {i} on fire", "-m", "smoke " * 200, "-a", shot, "-a", log],
                     e).text.strip()
        if i % 4 == 1:
            c.must(["reply", tid, "-m", "Try turning it off."], a)
        if i % 4 == 2:
            c.must(["close", tid], e)
            c.must(["rate", tid, "4", "--review", "ok"], e)
    c.check(not os.path.exists(db + "-wal"), "the last process left a WAL behind")
    return db


def foreign(base, real):
    """Files that are not a current tickets database, by name."""
    files = {"zero-byte": b"", "png": png(), "text": b"hello\n" * 100,
             "sqlite-magic-garbage": b"SQLite format 3\0" + bytes(range(256)) * 40}
    other = os.path.join(base, "other.db")
    con = sqlite3.connect(other)
    con.executescript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');")
    con.close()
    for name, pragma in (("newer-version", "PRAGMA user_version = 99"), ("other-app-id", "PRAGMA application_id = 42")):
        path = os.path.join(base, name + ".db")
        shutil.copy(real, path)
        con = sqlite3.connect(path)
        con.execute(pragma)
        con.close()
        files[name] = open(path, "rb").read()
    files["other-application"] = open(other, "rb").read()
    return files


def mutate(real, count, rnd):
    data = open(real, "rb").read()
    pages = len(data) // PAGE
    for n in range(count):
        kind = ["bit flips", "truncation", "header", "random page", "zeroed page"][n % 5]
        b = bytearray(data)
        if kind == "bit flips":
            for _ in range(rnd.randint(1, 16)):
                i = rnd.randrange(len(b))
                b[i] ^= 1 << rnd.randrange(8)
        elif kind == "truncation":
            b = b[:rnd.choice([rnd.randrange(1, len(b)), rnd.randrange(1, pages) * PAGE])]
        elif kind == "header":
            for _ in range(rnd.randint(1, 4)):
                b[rnd.randrange(100)] = rnd.randrange(256)
        else:
            p = rnd.randrange(pages)
            b[p * PAGE:(p + 1) * PAGE] = rnd.randbytes(PAGE) if kind == "random page" else bytes(PAGE)
        yield kind, bytes(b)


def attempt(base, name, kind, data):
    """Runs every command on its own copy of `data`; returns (kind, codes) or raises Failure."""
    folder = os.path.join(base, name)
    os.mkdir(folder)
    db = os.path.join(folder, "tickets.db")
    codes = []
    for args, allowed, writes in COMMANDS:
        with open(db, "wb") as f:
            f.write(data)
        for leftover in ("-wal", "-shm"):
            if os.path.exists(db + leftover):
                os.unlink(db + leftover)
        r = c.run(args, c.agent_env(folder, TICKETS_DB=db), timeout=20)
        what = f"{name} ({kind}): {' '.join(args)}"
        c.check(r.code is not None, f"{what}: no answer in 20 s")
        c.check(r.code >= 0, f"{what}: killed by signal {-r.code}")
        # A truncated file still carries our header: damaged (74), never "not ours" (78);
        # cut past its last used page it may still work.
        c.check(r.code in (allowed - {78} if kind == "truncation" else allowed), f"{what}: exit {r.code}: {r.err[-300:]!r}")
        c.check(c.is_utf8(r.err), f"{what}: stderr is not UTF-8")
        if r.code != 0 and "--json" in args:
            c.check("code" in json.loads(r.err.splitlines()[-1])["error"], f"{what}: no JSON error: {r.err!r}")
        elif r.code != 0:
            c.check(r.err.splitlines()[-1].startswith(b"tickets: error: "), f"{what}: no error line: {r.err!r}")
        elif "--json" in args:
            json.loads(r.out)
        if not writes:
            c.check(open(db, "rb").read() == data, f"{what}: a read changed the file")
        codes.append(r.code)
    shutil.rmtree(folder)
    return kind, codes


def main(mutants, seed):
    base = c.workdir("corrupt")
    real = real_database(base)
    work = [(name, name, data) for name, data in foreign(base, real).items()]
    work += [(f"mutant-{n}", kind, data) for n, (kind, data) in
             enumerate(mutate(real, mutants, random.Random(seed)))]
    tally = collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for kind, codes in pool.map(lambda w: attempt(base, *w), work):
            tally.update(codes)
    runs = sum(tally.values())
    shown = ", ".join(f"{n}x{code}" for code, n in sorted(tally.items()))
    return dict(files=len(work), runs=runs, codes=dict(tally),
                line=f"{mutants} mutants of a real database (bit flips, truncations, damaged headers, random "
                     f"and zeroed pages) and {len(work) - mutants} foreign files (zero-byte, PNG, text, "
                     f"another application's SQLite file, a newer schema, ...), {runs} runs of list/show/export/open: "
                     f"0 crashes, 0 hangs, 0 exit 70, stderr always UTF-8, no read changed a file (exits: {shown})")
