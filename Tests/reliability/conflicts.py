"""(3) Conflicting transitions: close, cancel and reopen of one ticket released at the same
moment. The event log must be a valid path through the lifecycle ending in the ticket's
status; each process that exited 0 without a no-op note has exactly one event; every
refusal exited 65."""
import os
import random
import subprocess

import common as c

ACTIVE = {"open", "in-progress", "answered", "customer-reply"}


def result(action, status, agent_replied):
    """SPEC §3 for the actions this check uses: the new status, or None if refused."""
    if action == "open":
        return "open" if status is None else None
    if action == "close":
        return "closed" if status in ACTIVE else None
    if action == "cancel":
        return "canceled" if status == "open" and not agent_replied else None
    if action == "reopen":
        return "open" if status in ("closed", "canceled") else None
    if action == "reply":  # the agent's, in the set-up
        return "answered" if status in ACTIVE else None
    return None


def main(rounds, seed):
    r = random.Random(seed)
    base = c.workdir("conflict")
    db = os.path.join(base, "tickets.db")
    me, agent = c.env(base), c.agent_env(base)
    outcomes = {"applied": 0, "noop": 0, "refused": 0}
    for n in range(rounds):
        tid = c.must(["open", "-q", "-s", f"race {n}", "-m", "x"], me).text.strip()
        start = r.choice(["open", "answered", "closed", "canceled"])
        if start == "answered":
            c.must(["reply", tid, "-m", "Hello"], agent)
        elif start != "open":
            c.must([start.replace("closed", "close").replace("canceled", "cancel"), tid], me)
        actions = [r.choice(["close", "cancel", "reopen"]) for _ in range(r.randint(3, 6))]
        # Each waits for its (empty) message on standard input: closing the pipes
        # releases them together.
        procs = [subprocess.Popen([c.BIN, a, tid, "-F", "-"], env=me, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for a in actions]
        for p in procs:
            p.stdin.close()
            p.stdin = None
        applied = {"close": 0, "cancel": 0, "reopen": 0}
        for a, p in zip(actions, procs):
            out, err = p.communicate(timeout=60)
            text = err.decode("utf-8", "replace")
            if p.returncode == 0 and "is already" in text:
                outcomes["noop"] += 1
            elif p.returncode == 0:
                c.check(err == b"", f"round {n}: {a} exited 0 with {text!r}")
                applied[a] += 1
                outcomes["applied"] += 1
            else:
                c.check(p.returncode == 65 and text.startswith("tickets: error: ticket #"),
                        f"round {n}: {a} from a race exited {p.returncode}: {text!r}")
                outcomes["refused"] += 1
        events = c.query(db, "SELECT action, from_status, to_status FROM events WHERE ticket_id = ? ORDER BY id", (tid,))
        status, replied = None, False
        for action, old, new in events:
            c.check(old == status and result(action, status, replied) == new,
                    f"round {n}: event {action} {old}->{new} after {status} is not a lifecycle step: {events}")
            status, replied = new, replied or action == "reply"
        (final,), = c.query(db, "SELECT status FROM tickets WHERE id = ?", (tid,))
        c.check(final == status, f"round {n}: status {final} but the last event says {status}")
        setup = 1 + (start != "open")
        fired = [e[0] for e in events[setup:]]
        for a, k in applied.items():
            c.check(fired.count(a) == k, f"round {n}: {k} {a} exited 0 as done, {fired.count(a)} recorded: {events}")
    return dict(outcomes, rounds=rounds,
                line=f"{rounds} races of {sum(outcomes.values())} close/cancel/reopen processes released together: "
                     f"{outcomes['applied']} applied (each with its one event), {outcomes['noop']} no-ops (exit 0, "
                     f"note, no event), {outcomes['refused']} refused with 65; every event log a valid lifecycle "
                     f"path ending in the ticket's status")
