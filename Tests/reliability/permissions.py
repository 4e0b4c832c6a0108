"""(7) Files and permissions: under umask 000, 022 and 077 everything tickets creates is
private: the database and its -wal/-shm 0600, drafts and saved attachments 0600, and
every folder it creates 0700."""
import os
import signal
import stat
import subprocess
import time

import common as c


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def created_dirs(top, leaf):
    """leaf and its parents up to (not including) top."""
    out = []
    while leaf != top:
        out.append(leaf)
        leaf = os.path.dirname(leaf)
    return out


def wal_and_shm(e, db, base):
    """The -wal and -shm files exist only while a connection is open; a writer killed in
    the middle of a large attachment leaves the ones it created."""
    big = os.path.join(base, "big.log")
    with open(big, "wb") as f:
        f.write(b"log line\n" * (7 << 17))
    for _ in range(200):
        p = subprocess.Popen([c.BIN, "open", "-q", "-s", "big", "-m", "m", "-a", big], env=e,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # SQLite opens -wal a moment before -shm: wait for both.
        while p.poll() is None and not (os.path.exists(db + "-wal") and os.path.exists(db + "-shm")):
            time.sleep(0.0005)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if os.path.exists(db + "-wal") and os.path.exists(db + "-shm"):
            return [db + "-wal", db + "-shm"]
    raise c.Failure("never caught a writer with its -wal and -shm open")


def main():
    checked = 0
    for umask in (0o000, 0o022, 0o077):
        base = c.workdir(f"umask{umask:03o}")
        db = os.path.join(base, "data", "deep", "tickets.db")
        state = os.path.join(base, "state")
        e = c.env(base, db=db)
        old = os.umask(umask)
        try:
            c.must(["open", "-q", "-s", "s", "-m", "m", "-a", note(base)], e)
            r = c.run(["reply", "99", "-F", "-"], e, stdin=b"typed")
            c.check(r.code == 66 and b"saved to" in r.err, f"a failing reply: {r!r}")
            drafts = os.path.join(state, "tickets", "drafts")
            out = os.path.join(base, "saved", "here")
            c.must(["show", "1", "--save-attachments", out], e)
            files = [db] + [os.path.join(drafts, n) for n in os.listdir(drafts)] + \
                    [os.path.join(out, n) for n in os.listdir(out)] + wal_and_shm(e, db, base)
            dirs = created_dirs(base, os.path.dirname(db)) + created_dirs(base, drafts) + created_dirs(base, out)
        finally:
            os.umask(old)
        for f in files:
            c.check(mode(f) == 0o600, f"umask {umask:03o}: {f} is {oct(mode(f))}")
        for d in dirs:
            c.check(mode(d) == 0o700, f"umask {umask:03o}: folder {d} is {oct(mode(d))}")
        checked += len(files) + len(dirs)
    return dict(checked=checked, line=f"under umask 000, 022 and 077: {checked} files and folders checked "
                                      f"(database, -wal, -shm, draft, saved attachment 0600; created folders 0700)")


def note(base):
    path = os.path.join(base, "note.txt")
    with open(path, "w") as f:
        f.write("hello\n")
    return path
