"""The two environments, one process at a time, and paired runs."""
import os
import shutil
import statistics
import subprocess
import sys
import time

NOW = "2026-11-22T12:00:00Z"  # bench/generate.py writes its data relative to this clock
BODY_1K = ("The printer on the third floor shows error E-0451 after every job and then stops responding. "
           "We restarted it, cleared the queue and reinstalled the driver on two laptops; same result. ") * 6
BODY_1K = BODY_1K[:1024]
SUBJECT = "Printer on fire"

# Who opens tickets in each environment (the reference SQL writes the same person).
SET_PERSON = ("Bench Agent", "bench@support.example")
PLAIN_PERSON = ("Pat Person", "pat@example.org")


def sh_quote(a):
    return a if a and all(c.isalnum() or c in "-_./=:,#@" for c in a) else "'" + a.replace("'", "'\\''") + "'"


def cmdline(argv):
    return " ".join(map(sh_quote, argv))


class Env:
    """One environment: its variables, its person, and how to describe it in the report."""

    def __init__(self, name, variables, person, home, described):
        self.name = name
        self.vars = variables
        self.person = person
        self.home = home
        self.described = described

    def prefix(self):
        """`env -i ...` as a shell prefix that gives a command exactly these variables."""
        return "env -i " + " ".join(sh_quote("%s=%s" % kv) for kv in sorted(self.vars.items()))


def make_homes(root):
    """Two HOMEs under `root`:

    set   -- what CI (and the old bench) has: TICKETS_NAME, TICKETS_EMAIL and TICKETS_ROLE in
             the environment, no config file.
    plain -- a person at a shell: only PATH, HOME, USER, LANG (no TERM, no TICKETS_* but
             TICKETS_NOW); ~/.gitconfig with user.name and user.email, and the tickets config
             file ~/.config/tickets/config with `role = agent` (man tickets, FILES). Commands
             run in ~/project, a git repository of its own (as a person works in a project), so
             git's repository discovery is part of what an identity lookup costs and stops
             there, whatever folder bench/ itself lives in.

    TICKETS_NOW stays in both: bench/generate.py writes its tickets relative to that clock
    (answered within the last 6 days, the stale ones 10-40 days old), so `close --stale`, the
    SLA marks and the relative times in tables are the same in every run; it costs one
    variable lookup that every run makes anyway (TICKETS_NOW is read on every command).
    """
    set_home = os.path.join(root, "set")
    plain_home = os.path.join(root, "plain")
    project = os.path.join(plain_home, "project")
    for d in (set_home, os.path.join(plain_home, ".config", "tickets"), os.path.join(project, ".git", "objects"),
              os.path.join(project, ".git", "refs", "heads")):
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(plain_home, ".gitconfig"), "w") as f:
        f.write("[user]\n\tname = %s\n\temail = %s\n" % PLAIN_PERSON)
    with open(os.path.join(plain_home, ".config", "tickets", "config"), "w") as f:
        f.write("role = agent\n")
    with open(os.path.join(project, ".git", "HEAD"), "w") as f:
        f.write("ref: refs/heads/main\n")
    with open(os.path.join(project, ".git", "config"), "w") as f:
        f.write("[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n")
    base = {"PATH": "/usr/bin:/bin", "USER": "bench", "LANG": "C.UTF-8", "TICKETS_NOW": NOW}
    envs = {
        "set": Env("set", dict(base, HOME=set_home, TICKETS_ROLE="agent", TICKETS_NAME=SET_PERSON[0],
                               TICKETS_EMAIL=SET_PERSON[1]), SET_PERSON, set_home,
                   "TICKETS_NAME, TICKETS_EMAIL and TICKETS_ROLE=agent set, no config file"),
        "plain": Env("plain", dict(base, HOME=plain_home), PLAIN_PERSON, plain_home,
                     "identity from ~/.gitconfig, role = agent in ~/.config/tickets/config, no TICKETS_* but TICKETS_NOW"),
    }
    return envs, project


def notify_config(path, mailbox, extra=""):
    """A config with notifications on, delivering with one program that appends its
    standard input to `mailbox` (`tee -a`), as msmtp or sendmail is one program: what is
    measured is what tickets adds, not a shell. The script kept beside it (`sh` then
    `cat`, two programs) is what the figures of the first runs used; it costs about
    0.6 ms more an email. Returns the script's path, whose text the results record."""
    script = os.path.join(os.path.dirname(path), "sendmail")
    with open(script, "w") as f:
        f.write("#!/bin/sh\n# Takes one email on standard input, as sendmail -t does.\ncat >> %s\n" % sh_quote(mailbox))
    os.chmod(script, 0o755)
    command = "/usr/bin/tee -a %s" % mailbox
    if os.environ.get("BENCH_SENDMAIL") == "script":
        command = script
    with open(path, "w") as f:
        f.write("role = agent\nnotify = sendmail\nsendmail = %s\nnotify_from = Support <support@support.example>\n%s"
                % (command, extra))
    return script


class Runner:
    def __init__(self, tickets, sqlite, envs):
        self.tickets = tickets
        self.sqlite = sqlite
        self.envs = envs

    def run(self, argv, env, out="/dev/null", stdin="/dev/null"):
        """One process with exactly `env`'s variables: wall ms and exit status."""
        variables = env.vars if isinstance(env, Env) else env
        actions = [(os.POSIX_SPAWN_OPEN, 0, stdin, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
                   (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)]
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, variables, file_actions=actions)
        _, status, _ = os.wait4(pid, 0)
        return (time.perf_counter_ns() - t0) / 1e6, os.waitstatus_to_exitcode(status)

    def checked(self, argv, env, out="/dev/null", what=None):
        ms, code = self.run(argv, env, out)
        if code != 0:
            sys.exit("bench: %s failed (exit %d): %s" % (what or argv[1], code, cmdline(argv)))
        return ms

    def peak_rss(self, argv, env, scratch):
        """Peak RSS in KiB through /usr/bin/time: a child's own ru_maxrss counts the memory
        its parent (this Python) had before exec, so it is taken from a small parent."""
        if not os.path.exists("/usr/bin/time"):
            return None
        report = os.path.join(scratch, "time.txt")
        self.run(["/usr/bin/time", "-f", "%M", "-o", report] + argv, env)
        with open(report) as f:
            return int(f.read().split()[-1])

    def t(self, *args):
        return [self.tickets] + list(args)

    def s(self, db, sql):
        return [self.sqlite, "-cmd", ".timeout 10000", db, sql]


def load():
    return round(os.getloadavg()[0], 2)


def fsync_ms(folder, n=20):
    """The disk's commit latency now: median ms of writing 4 KiB and fdatasync, in `folder`.
    Every write command commits with an fsync, so a shared disk's contention shows in their
    times and not in the load average."""
    path = os.path.join(folder, "fsync-probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    times = []
    try:
        for i in range(n):
            t0 = time.perf_counter_ns()
            os.pwrite(fd, b"x" * 4096, i * 4096)
            os.fdatasync(fd)
            times.append((time.perf_counter_ns() - t0) / 1e6)
    finally:
        os.close(fd)
        os.remove(path)
    return round(statistics.median(times), 3)


def paired(r, name, a, b, env, pairs, warmup=2, env_b=None, labels=("tickets", "sqlite3")):
    """A and B in turn, the order swapped every pair (A B, B A, ...), so the machine's drift
    and any first-run advantage fall on both sides alike; the ratio is taken per pair."""
    env_b = env_b or env
    for _ in range(warmup):
        r.checked(a, env, what=name)
        r.checked(b, env_b, what=name)
    ta, tb, ratios = [], [], []
    load_before = load()
    for i in range(pairs):
        if i % 2 == 0:
            ms_a, ms_b = r.checked(a, env, what=name), r.checked(b, env_b, what=name)
        else:
            ms_b = r.checked(b, env_b, what=name)
            ms_a = r.checked(a, env, what=name)
        ta.append(ms_a)
        tb.append(ms_b)
        ratios.append(ms_a / ms_b)
    q = statistics.quantiles(ratios, n=4) if len(ratios) >= 4 else [min(ratios), 0, max(ratios)]
    row = {"name": name, "tickets_ms": statistics.median(ta), "sqlite3_ms": statistics.median(tb),
           "ratio": statistics.median(ratios), "ratio_q1": q[0], "ratio_q3": q[-1], "pairs": pairs,
           "load": [load_before, load()], "tickets_cmd": cmdline(a), "sqlite3_cmd": cmdline(b)}
    print("  %-8s %-14s %s %9.2f ms  %s %9.2f ms  ratio %5.2f [%4.2f-%4.2f]  (%d pairs, load %.1f)"
          % (env.name if isinstance(env, Env) else "", name, labels[0], row["tickets_ms"], labels[1], row["sqlite3_ms"],
             row["ratio"], row["ratio_q1"], row["ratio_q3"], pairs, load_before), flush=True)
    return row


def concurrent(r, argvs, env, each):
    """One shell loop per argv, all at once, each running its command `each` times: wall ms
    and the number of runs that failed."""
    procs = []
    t0 = time.perf_counter_ns()
    for argv in argvs:
        script = "f=0; for i in $(seq %d); do %s >/dev/null 2>&1 || f=$((f+1)); done; exit $f" % (each, cmdline(argv))
        procs.append(subprocess.Popen(["/bin/sh", "-c", script], env=env.vars))
    failures = sum(p.wait() for p in procs)
    return (time.perf_counter_ns() - t0) / 1e6, failures


def copy_db(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    shutil.copyfile(src, dst)


def remove_db(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
