"""(4) Faults: a full disk, a read-only database file and folder, and a lock held past the
busy timeout. Each says which mechanism it used: as root, mounts and `chattr +i` (root
ignores permission bits); without root, `ulimit -f` and `chmod`."""
import os
import re
import resource
import signal
import sqlite3
import stat
import subprocess

import common as c

BODY = ("A long reply I typed and do not want to lose. " * 5000).encode()


def sh(*args):
    return subprocess.run(args, capture_output=True).returncode == 0


def draft_of(r):
    """The draft the error names, checked to hold exactly what was typed, mode 0600."""
    m = re.search(rb"saved to (\S+): retry with -F (\S+)", r.err)
    c.check(m and m.group(1) == m.group(2), f"no draft named in {r!r}")
    path = m.group(1).decode()
    with open(path, "rb") as f:
        c.check(f.read() == BODY, "the draft differs from the typed message")
    c.check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "the draft is not 0600")
    return path


def seeded(base, db):
    e = c.env(base, db=db)
    ids = [c.must(["open", "-q", "-s", f"before the fault {i}", "-m", f"kept {i}"], e).text.strip() for i in range(3)]
    return e, ids


def intact(db, ids):
    c.check(c.integrity(db) == "ok", "integrity_check after the fault")
    for i, tid in enumerate(ids):
        c.check(c.query(db, "SELECT subject FROM tickets WHERE id = ?", (tid,)) == [(f"before the fault {i}",)],
                f"ticket {tid} changed by the fault")


def full_disk():
    base = c.workdir("full")
    disk = os.path.join(base, "disk")
    os.mkdir(disk)
    mounted = sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk)
    db = os.path.join(disk, "tickets.db")
    try:
        e, ids = seeded(base, db)
        if mounted:
            how = "a 1 MiB tmpfs filled up"
            filler = os.path.join(disk, "filler")
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            os.close(fd)
            preexec = None
        else:
            # Room for the draft (the same process writes it), not for the WAL frames
            # that hold the same text and the pages around it.
            how = "ulimit -f just above the message's size"
            limit = len(BODY) + 4096

            def preexec():
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        r = c.run(["reply", ids[0], "-F", "-"], e, stdin=BODY, preexec=preexec)
        c.check(r.code == 74, f"a write on a full disk: {r!r}")
        draft = draft_of(r)
        read = c.run(["list", "--status", "all", "--json"], e, preexec=preexec)
        c.check(read.code in (0, 74), f"a read on a full disk: {read!r}")
        if mounted:
            os.unlink(filler)
        c.must(["reply", ids[0], "-F", draft], e)
        intact(db, ids)
        c.check(c.query(db, "SELECT count(*) FROM messages WHERE body = ?", (BODY.decode(),)) == [(1,)],
                "the retried reply is not there once")
        return how
    finally:
        if mounted:
            sh("umount", disk)


def read_only(kind):
    """kind: 'file' or 'folder'. Returns how it was made read-only."""
    base = c.workdir("ro-" + kind)
    folder = os.path.join(base, "data")
    os.mkdir(folder)
    db = os.path.join(folder, "tickets.db")
    e, ids = seeded(base, db)
    target = db if kind == "file" else folder
    if os.geteuid() == 0 and kind == "folder" and sh("mount", "--bind", folder, folder):
        how, undo = "a read-only bind mount", ["umount", folder]
        c.check(sh("mount", "-o", "remount,bind,ro", folder), "remount read-only")
    elif os.geteuid() == 0 and sh("chattr", "+i", target):
        how, undo = "chattr +i", ["chattr", "-i", target]
    else:
        how, undo = "chmod a-w", ["chmod", "u+w", target]
        os.chmod(target, 0o500 if kind == "folder" else 0o400)
    try:
        before = {n: c.file_hash(os.path.join(folder, n)) for n in os.listdir(folder)}
        for args in (["list", "--json"], ["show", ids[0], "--history"], ["export"]):
            r = c.run(args, e)
            c.check(r.code == 0 and b"before the fault" in r.out, f"a read of a read-only {kind}: {r!r}")
        for args, stdin in ((["open", "-s", "new", "-m", "refused"], b""), (["reply", ids[0], "-F", "-"], BODY),
                            (["close", ids[1]], b"")):
            r = c.run(args, e, stdin=stdin)
            c.check(r.code == 77, f"a write to a read-only {kind}: {r!r}")
            if stdin:
                draft_of(r)
        after = {n: c.file_hash(os.path.join(folder, n)) for n in os.listdir(folder)}
        c.check(after == before, f"a read-only {kind} changed: {sorted(before)} -> {sorted(after)}")
    finally:
        sh(*undo)
    intact(db, ids)
    c.check(c.query(db, "SELECT count(*) FROM tickets") == [(3,)], "a refused write created a ticket")
    return how


def busy():
    base = c.workdir("busy")
    db = os.path.join(base, "tickets.db")
    e, ids = seeded(base, db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = c.run(["reply", ids[0], "-F", "-"], e, stdin=BODY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    c.check(r.code == 75 and b"retrying may work" in r.err, f"a write behind a held lock: {r!r}")
    c.check(r.seconds >= 9.5, f"gave up after {r.seconds:.1f} s, before the 10 s busy timeout")
    c.must(["reply", ids[0], "-F", draft_of(r)], e)
    intact(db, ids)
    return r.seconds


def main():
    disk = full_disk()
    ro_file = read_only("file")
    ro_folder = read_only("folder")
    waited = busy()
    return dict(line=f"full disk ({disk}): 74, draft kept, earlier tickets intact, retry from the draft succeeds; "
                     f"read-only file ({ro_file}) and folder ({ro_folder}): list/show/export work, "
                     f"open/reply/close exit 77, no file created or changed; lock held past the busy timeout: "
                     f"75 after {waited:.1f} s with a draft, retry succeeds")
