"""(2) Concurrency mix: CI bursts of `open`, readers in loops, an agent answering,
`close --stale` every 300 ms and a person replying, closing and rating, all at once.
Nothing may fail, and the longest write stays far below the 10 s busy timeout."""
import json
import os
import random
import subprocess
import threading
import time

import common as c


def first_use(rounds):
    """Six CI jobs filing a ticket at the same moment on a machine with no database yet:
    all six succeed (switching a new file to WAL once failed with 75 in milliseconds)."""
    for n in range(rounds):
        base = c.workdir("first")
        e = c.env(base, db=os.path.join(base, "new", "tickets.db"))
        procs = [subprocess.Popen([c.BIN, "open", "-q", "-s", f"job {i}", "-m", "failed"], env=e,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(6)]
        for p in procs:
            out, err = p.communicate(timeout=60)
            c.check(p.returncode == 0, f"round {n}: a first use of a new database exited {p.returncode}: {err!r}")
    return rounds * 6


def main(seconds, seed):
    first = first_use(max(20, seconds * 4))
    base = c.workdir("mix")
    db = os.path.join(base, "tickets.db")
    ci = c.env(base, "CI", "ci@example.com")
    agent = c.agent_env(base)
    person = c.env(base, "Pat Person", "pat@example.com")
    # The cron job lives 60 days ahead, so every answered ticket is stale for it.
    cron = c.env(base, "cron", "cron@example.com", TICKETS_NOW=time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 60 * 86400)))
    c.must(["open", "-q", "-s", "seed", "-m", "creates the file"], ci)
    deadline = time.monotonic() + seconds
    results, lock = [], threading.Lock()
    counts = {"opens": 0, "reads": 0, "answers": 0, "stale_runs": 0, "stale_closed": 0, "person": 0}

    def record(kind, r, write):
        with lock:
            results.append((kind, r, write))
        return r

    def opener(i):
        r = random.Random(seed + i)
        while time.monotonic() < deadline:
            for n in range(r.randint(5, 15)):
                key = ["--dedupe-key", f"build-{r.randint(1, 8)}"] if r.random() < 0.3 else []
                record("open", c.run(["open", "-q", "-d", "bug", "-s", f"CI failure {i}-{n}", "-m", "log attached"] + key,
                                     ci), True)
                counts["opens"] += 1
            time.sleep(r.uniform(0.1, 0.4))

    def reader(i):
        r = random.Random(seed + 10 + i)
        while time.monotonic() < deadline:
            args = r.choice([["list", "--json"], ["list", "--status", "all", "-L", "0"], ["show", "1", "--history"],
                             ["export", "--format", "ndjson"], ["list", "-S", "failure", "--count"]])
            res = record("read", c.run(args, agent), False)
            if res.code == 0 and args[-1] == "--json":
                json.loads(res.out)
            counts["reads"] += 1

    def answerer():
        while time.monotonic() < deadline:
            ids = c.run(["list", "--status", "open", "-q", "-L", "5", "--requester", "ci@example.com"], agent)
            record("read", ids, False)
            for tid in ids.text.split():
                record("answer", c.run(["reply", tid, "-m", "Looking at it."], agent), True)
                counts["answers"] += 1
            time.sleep(0.05)

    def cron_job():
        while time.monotonic() < deadline:
            res = record("stale", c.run(["close", "--stale", "7d", "--json"], cron), True)
            if res.code == 0:
                counts["stale_closed"] += len(json.loads(res.out))
            counts["stale_runs"] += 1
            time.sleep(0.3)

    def someone():
        # Never left `answered`, so the cron job has no claim on these tickets.
        while time.monotonic() < deadline:
            res = record("person", c.run(["open", "-q", "-s", "My printer", "-m", "It jams."], person), True)
            if res.code != 0:
                continue
            tid = res.text.strip()
            for args, e in ((["reply", tid, "-m", "Still jams."], person), (["assign", tid], agent),
                            (["reply", tid, "-m", "And again."], person), (["close", tid], person),
                            (["rate", tid, "5", "--review", "Fixed, thanks"], person)):
                record("person", c.run(args, e), True)
            counts["person"] += 1

    c.threads([lambda i=i: opener(i) for i in range(2)] + [lambda i=i: reader(i) for i in range(2)] +
              [answerer, cron_job, someone])
    failures = [r for _, r, _ in results if r.code != 0]
    c.check(not failures, f"{len(failures)} of {len(results)} commands failed, e.g. {failures[:3]}")
    c.check(c.integrity(db) == "ok", "integrity_check after the mix")
    writes = [r.seconds for _, r, w in results if w]
    longest = max(writes)
    c.check(longest < 5, f"the longest write took {longest:.2f} s, too near the 10 s busy timeout")
    c.check(counts["stale_closed"] > 0, "the cron job never had anything to close")
    return dict(counts, commands=len(results), longest_write=longest,
                line=f"{first} opens racing to create new databases (6 at once): 0 failures; "
                     f"{len(results)} commands in {seconds} s ({counts['opens']} CI opens, {counts['reads']} reads, "
                     f"{counts['answers']} agent answers, {counts['stale_runs']} close --stale runs closing "
                     f"{counts['stale_closed']}, {counts['person']} reply/assign/close/rate rounds): 0 failures; "
                     f"longest write {longest * 1000:.0f} ms start to exit (busy timeout 10 s)")
