"""(1) Crash loop: writers open and reply with attachments while SIGKILLs land at random.
Every acknowledged write must survive whole; nothing half-written may be visible."""
import json
import os
import random
import signal
import stat
import subprocess
import threading
import time

import common as c

LETTERS = bytes(97 + b % 26 for b in range(256))


def main(seconds, workers, seed):
    rnd = random.Random(seed)
    base = c.workdir("crash")
    db = os.path.join(base, "db", "tickets.db")
    live = set()
    lock = threading.Lock()
    acked_opens, acked_replies, kills, failures = [], [], [0], []
    deadline = time.monotonic() + seconds

    def attachment(i, n, r):
        name = f"w{i}-{n}.log"
        # Text, since a .log must hold text; random, so that no two are alike.
        data = r.randbytes(r.choice([1, 200, 20_000, 300_000, 1_500_000])).translate(LETTERS)
        path = os.path.join(base, name)
        with open(path, "wb") as f:
            f.write(data)
        return path, name, c.sha256(data)

    def worker(i):
        r = random.Random(seed * 100 + i)
        e = c.env(base, f"Writer {i}", f"w{i}@example.com", db=db)
        mine, n = [], 0
        while time.monotonic() < deadline:
            n += 1
            body = f"body {i}-{n} {r.random()}"
            path, name, digest = attachment(i, n, r)
            if mine and r.random() < 0.5:
                tid = r.choice(mine)
                args = ["reply", str(tid), "-m", body, "-a", path]
            else:
                tid = None
                args = ["open", "-q", "-s", f"subject {i}-{n}", "-m", body, "-a", path]
            p = subprocess.Popen([c.BIN] + args, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            with lock:
                live.add(p)
            out, err = p.communicate()
            with lock:
                live.discard(p)
            os.unlink(path)
            if p.returncode == -signal.SIGKILL:
                kills[0] += 1
            elif p.returncode != 0:
                failures.append(f"{args[0]} exited {p.returncode}: {err.decode('utf-8', 'replace').strip()}")
            elif tid is None:
                new = int(out.decode())
                mine.append(new)
                acked_opens.append((new, body, name, digest))
            else:
                acked_replies.append((tid, body, name, digest))

    def killer():
        r = random.Random(seed)
        while time.monotonic() < deadline:
            time.sleep(r.uniform(0.002, 0.05))
            with lock:
                victims = [p for p in live if p.poll() is None]
            if victims:
                try:
                    r.choice(victims).send_signal(signal.SIGKILL)
                except ProcessLookupError:
                    pass

    c.threads([lambda i=i: worker(i) for i in range(workers)] + [killer])
    c.check(not failures, f"writers failed without being killed: {failures[:5]}")

    # Files left by killed processes are still private.
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            mode = stat.S_IMODE(os.stat(db + suffix).st_mode)
            c.check(mode == 0o600, f"{db + suffix} has mode {oct(mode)}")
    leftovers = [s for s in ("-wal", "-shm") if os.path.exists(db + s)]

    # The next command needs no repair step: it works and says nothing on stderr.
    e = c.env(base, "Auditor", "audit@example.com", role="agent", db=db)
    listed = c.run(["list", "--status", "all", "--json"], e)
    c.check(listed.code == 0 and listed.err == b"", f"first command after the crashes: {listed!r}")
    visible = {t["id"] for t in json.loads(listed.out)}

    c.check(c.integrity(db) == "ok", "integrity_check after the crash loop")
    first = {tid: (body, ) for tid, body in c.query(db, """
        SELECT ticket_id, body FROM messages WHERE id IN (SELECT min(id) FROM messages GROUP BY ticket_id)""")}
    events = {tid for (tid,) in c.query(db, "SELECT ticket_id FROM events WHERE action = 'open'")}
    tickets = {tid for (tid,) in c.query(db, "SELECT id FROM tickets")}
    c.check(visible == tickets, "list shows every ticket in the file")
    # No ticket is half there: each has its first message and its open event.
    c.check(all(t in first and t in events for t in tickets), "a ticket without its first message or open event")
    atts = {}
    for mid, tid, body, name, size, digest, data in c.query(db, """
            SELECT a.message_id, m.ticket_id, m.body, a.name, a.size, a.sha256, a.data
            FROM attachments a JOIN messages m ON m.id = a.message_id"""):
        c.check(c.sha256(data) == digest and len(data) == size, f"attachment of message {mid} without its verified bytes")
        atts[(tid, body)] = (name, digest)
    lost = 0
    for tid, body, name, digest in acked_opens:
        ok = tid in tickets and first.get(tid) == (body,) and tid in events and atts.get((tid, body)) == (name, digest)
        lost += not ok
    replies = set(c.query(db, "SELECT ticket_id, body FROM messages"))
    for tid, body, name, digest in acked_replies:
        lost += not ((tid, body) in replies and atts.get((tid, body)) == (name, digest))
    c.check(lost == 0, f"{lost} acknowledged writes lost")
    after = c.run(["open", "-q", "-s", "after", "-m", "the crash loop"], e)
    c.check(after.code == 0 and after.err == b"", f"a write after the crash loop: {after!r}")
    acked = len(acked_opens) + len(acked_replies)
    return {
        "sigkills": kills[0], "acknowledged": acked, "lost": 0, "tickets": len(tickets),
        "attachments": len(atts), "leftover_files": leftovers,
        "line": f"{kills[0]} SIGKILLs during {acked} acknowledged writes ({len(acked_opens)} opens, "
                f"{len(acked_replies)} replies, each with an attachment) by {workers} processes in {seconds} s: "
                f"0 lost, 0 half-written, {len(atts)} attachments all matching their SHA-256, integrity_check ok",
    }
