"""(6) libFuzzer over the argument parser (Tests/fuzz): argv vectors of any bytes must
parse or be refused, never crash, under AddressSanitizer, for a fixed time."""
import os
import re
import subprocess

import common as c

SEEDS = [
    ["list", "--status", "all", "-L", "0", "--sort", "priority", "--reverse", "--fields", "id,subject"],
    ["open", "-s", "-2+3", "-m", "x", "--cc", "a@example.com", "-p", "urgent", "-d", "bug", "-a", "f.png"],
    ["--subject=-2+3", "open", "-qm", "text", "--", "-x"],
    ["close", "--stale", "7d", "--dry-run", "--json"],
    ["close", "-", "-m", "done", "--format=csv"],
    ["list", "--created-since", "2026-11-01", "--updated-before", "12h", "-S", "printer fire", "--overdue"],
    ["show", "#42", "--history", "--save-attachments", "out"],
    ["rate", "1", "5", "--review", "\u202egood\x1b[2J"],
    ["export", "-o", "x.json", "--with-attachments", "--force", "--format", "ndjson"],
    ["lsit", "--frmat", "json"],
    ["help", "open"],
    ["reply", "1", "-F", "-", "--internal", "--agent", "--no-color"],
]


def main(seconds):
    out = os.path.join(c.ROOT, ".build-fuzz")
    log = os.path.join(out, "build.log")
    os.makedirs(out, exist_ok=True)
    with open(log, "w") as f:
        built = subprocess.run([os.path.join(c.ROOT, "Tests/fuzz/build"), out], stdout=f, stderr=subprocess.STDOUT)
    c.check(built.returncode == 0, f"the fuzz target did not build; see {log}")
    corpus = os.path.join(out, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for i, seed in enumerate(SEEDS):
        with open(os.path.join(corpus, f"seed-{i}"), "wb") as f:
            f.write(b"\0".join(a.encode() for a in seed))
    r = subprocess.run([os.path.join(out, "fuzz-arguments"), f"-max_total_time={seconds}", "-rss_limit_mb=2048",
                        "-timeout=10", f"-artifact_prefix={out}/", corpus], capture_output=True, timeout=seconds + 120)
    tail = r.stderr.decode("utf-8", "replace")
    c.check(r.returncode == 0, f"the fuzzer found a crash (exit {r.returncode}): {tail[-1500:]}")
    runs = int(re.search(r"Done (\d+) runs", tail).group(1))
    return dict(runs=runs, line=f"{runs} fuzzed argument vectors in {seconds} s (libFuzzer + ASan over "
                                f"ParsedArguments.parse and the value parsers): 0 crashes")
