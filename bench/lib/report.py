"""bench/RESULTS.md, rebuilt from every file in bench/results/."""
import json
import os

# The goals (issues #6, #14, #15, #16). Ratio rows pass at or below the goal, in both environments.
GOALS = {"open": 1.0, "list": 1.0, "show": 0.9, "search": 1.2, "export": 1.0, "open x8": 1.0}
EXPORT_RSS_MIB = 32
SCALING = 1.2            # time at 1,000,000 tickets ÷ time at 1,000, for list, show and search
IMPORT_SECONDS = 60      # 1,000,000 tickets, 2.9 million messages
IMPORT_RSS_MIB = 64
NOTIFY = 1.3             # open with notifications ÷ open without
STALE_WAIT_MS = 100      # longest concurrent open while close --stale closes 10,000 tickets
POSTGRES = 1.0           # every command on PostgreSQL ÷ psql running its statements
ENVS = ("set", "plain")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def n_(x):
    return format(x, ",")


def rel(text):
    """Commands as they read in a clone: the repository's path is $REPO, and the 1 KB message
    body (BODY_1K in bench/lib/common.py) and its search form are named, not repeated."""
    from .common import BODY_1K
    from .reference import search_form
    return text.replace(ROOT, "$REPO").replace(BODY_1K, "$BODY_1K").replace(search_form(BODY_1K), "$BODY_1K_FORM")


def verdict(ok):
    return "pass" if ok else "**FAIL**"


def both(values, goal):
    """pass when every environment is within the goal; else which ones are not."""
    bad = [env for env, v in values if v is not None and round(v, 2) > goal]  # as the table shows it
    if any(v is None for _, v in values):
        return ""
    return "pass" if not bad else "**FAIL** (%s)" % ", ".join(bad)


def ratio_cell(row):
    if "ratio_q1" in row:
        return "%.2f (%.2f–%.2f)" % (row["ratio"], row["ratio_q1"], row["ratio_q3"])
    return "%.2f" % row["ratio"]


def find(rows, name):
    return next((r for r in rows if r["name"] == name), None)


def sqlite_table(res):
    n = res["tickets"]
    lines = ["| %s tickets | set: tickets ms | sqlite3 ms | ratio (IQR) | plain: tickets ms | sqlite3 ms | ratio (IQR) | goal | |"
             % n_(n), "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    rows = res["rows"]
    for name, goal in GOALS.items():
        cells, values = [], []
        for env in ENVS:
            r = find(rows.get(env, []), name)
            if r:
                cells += ["%.2f" % r["tickets_ms"], "%.2f" % r["sqlite3_ms"], ratio_cell(r)]
                values.append((env, r["ratio"]))
                if r.get("failures") and any(r["failures"]):
                    cells[-1] += " (failures %s)" % r["failures"]
            else:
                cells += ["", "", ""]
        lines.append("| %s | %s | ≤ %.1f | %s |" % (name, " | ".join(cells), goal, both(values, goal)))
    cells, values = [], []
    for env in ENVS:
        r = find(rows.get(env, []), "export")
        if r and r.get("tickets_rss_kib"):
            cells += ["%.1f MiB" % (r["tickets_rss_kib"] / 1024), "%.1f MiB" % (r["sqlite3_rss_kib"] / 1024), ""]
            values.append((env, r["tickets_rss_kib"] / 1024))
        else:
            cells += ["", "", ""]
    lines.append("| export peak RSS | %s | ≤ %d MiB | %s |" % (" | ".join(cells), EXPORT_RSS_MIB, both(values, EXPORT_RSS_MIB)))
    notify = res.get("notify", {})
    if notify:
        cells, values = [], []
        for env in ENVS:
            r = notify.get(env)
            if r:
                cells += ["%.2f" % r["tickets_ms"], "%.2f" % r["sqlite3_ms"], ratio_cell(r)]
                values.append((env, r["ratio"]))
            else:
                cells += ["", "", ""]
        lines.append("| open with notifications ÷ without (tickets both) | %s | ≤ %.1f | %s |"
                     % (" | ".join(cells), NOTIFY, both(values, NOTIFY)))
    for key, label in (("stale", "close --stale of 10,000, longest concurrent open"),
                       ("stale_notify", "the same with notifications on")):
        st = res.get(key)
        if st:
            where = ["", "", ""] * 2
            col = 0 if st["env"] == "set" else 3
            where[col] = "%.1f ms" % st["open_max_ms"]
            where[col + 1] = "p99 %.1f, median %.1f" % (st["open_p99_ms"], st["open_median_ms"])
            where[col + 2] = "%d opens, %d over 100 ms, %d failed" % (st["opens"], st.get("opens_over_100_ms", 0),
                                                                     st["open_failures"])
            lines.append("| %s | %s | ≤ %d ms | %s |" % (label, " | ".join(where), STALE_WAIT_MS,
                                                       verdict(st["open_max_ms"] <= STALE_WAIT_MS and not st["open_failures"])))
            extra = "; %s emails sent, %s left queued" % (n_(st["emails"]), n_(st["unsent"])) if "emails" in st else ""
            cells = ["", "", ""] * 2
            cells[col] = "%.0f ms" % st["close_ms"]
            lines.append("| %s: the close itself | %s | | %s closed in %.1f s%s |"
                         % ("close --stale" if key == "stale" else "with notifications", " | ".join(cells),
                            n_(st["closed"]), st["close_ms"] / 1000, extra))
    imp = res.get("import")
    if imp:
        at_million = n >= 1_000_000
        ok = imp["ms"] <= IMPORT_SECONDS * 1000 and (imp["rss_kib"] or 0) <= IMPORT_RSS_MIB * 1024
        lines.append("| import %s tickets, %s messages | %.1f s | peak RSS %.1f MiB | | | | | ≤ %d s, ≤ %d MiB at 1M | %s |"
                     % (n_(imp["tickets"]), n_(imp["messages"]), imp["ms"] / 1000, (imp["rss_kib"] or 0) / 1024,
                        IMPORT_SECONDS, IMPORT_RSS_MIB, verdict(ok) if at_million else "(%s at this size)"
                        % ("within" if ok else "over")))
    scaling = res.get("scaling") or {}
    for name in ("list", "show", "search"):
        cells, values = [], []
        for env in ENVS:
            r = find(scaling.get(env, []), name)
            if r:
                cells += ["%.2f" % r["tickets_ms"], "%.2f at 1k" % r["sqlite3_ms"], ratio_cell(r)]
                values.append((env, r["ratio"]))
            else:
                cells += ["", "", ""]
        if values:
            lines.append("| %s: time at %s ÷ at 1,000 | %s | ≤ %.1f at 1M | %s |"
                         % (name, n_(n), " | ".join(cells), SCALING,
                            both(values, SCALING) + ("" if n >= 1_000_000 else " (goal is at 1M)")))
    for p in res.get("peers", []):
        lines.append("| peer: %s (10,000 items) | %.2f | %.2f | %.2f | | | | | |" % (p["name"], p["tickets_ms"], p["sqlite3_ms"],
                                                                                  p["ratio"]))
    return "\n".join(lines)


def fsync_note(res):
    """The disk's commit latency at both ends of the run: write commands wait on it."""
    if "fsync_ms_before" not in res:
        return ""
    return "; a 4 KiB write + fdatasync took %.2f ms before, %.2f ms after (the disk is shared too)" % (
        res["fsync_ms_before"], res.get("fsync_ms_after", 0))


def checks_line(res):
    c = res.get("checks", {})
    parts = []
    reads = [(k, v) for k, v in c.items() if "same_pages" in v]
    if reads:
        parts.append("the same database pages read by both sides (strace: %s)" % ", ".join(
            "%s %s/%s%s" % (k, v["pages_tickets"], v["pages_sqlite3"], "" if v["same_pages"] else " **DIFFERENT**")
            for k, v in reads))
    opened = [(k, v) for k, v in c.items() if k.startswith("open ")]
    if opened:
        parts.append("open writes the same rows, event and search tokens (%s)" % ", ".join(
            "%s: %s" % (k[5:], "yes" if v["same_rows"] else "**NO**") for k, v in opened))
    if "export" in c:
        parts.append("export byte-identical: %s (%s bytes)" % ("yes" if c["export"]["same_bytes"] else "**NO**",
                                                               n_(c["export"]["bytes"])))
    if any(not v["same_pages"] for _, v in reads):
        parts.append("where the pages differ, tickets reads more than the reference statements need (see *Open "
                     "findings* below: `list` without its `LIMIT`)")
    return "Same work: " + "; ".join(parts) + "." if parts else ""


def commands(res):
    out = ["<details><summary>Exact commands</summary>", "",
           "Each command runs with exactly the variables shown (`env -i ...`), from `%s`; `$REPO` is the clone, "
           "`$BODY_1K` the message of `bench/lib/common.py` (1,024 characters) and `$BODY_1K_FORM` its search form."
           % rel(next(iter(res["envs"].values()))["cwd"]) if res.get("envs") else "", "", "```"]
    for env, e in (res.get("envs") or {}).items():
        out.append("# environment %s: %s" % (env, e["described"]))
        out.append(rel(e["prefix"]))
    if res.get("import"):
        out += ["# import (environment %s, timed, peak RSS through /usr/bin/time -f %%M)" % res["import"].get("env", "set"),
                rel(res["import"]["cmd"])]
    for env in ENVS:
        for row in res.get("rows", {}).get(env, []):
            out += ["# %s (%s)" % (row["name"], env), rel(row["tickets_cmd"]), rel(row["sqlite3_cmd"])]
        if env in res.get("notify", {}):
            row = res["notify"][env]
            out += ["# open with notifications (%s): the config, then the command; without: the same without the notify lines"
                    % env] + ["#   " + line for line in row["config"].splitlines()] + [rel(row["tickets_cmd"]),
                                                                                        rel(row["sqlite3_cmd"])]
    for key in ("stale", "stale_notify"):
        if key in res:
            out += ["# %s (%s), while a loop runs tickets open -s 'Concurrent open' -m <1 KB> -q on the same database"
                    % (key, res[key]["env"]), rel(res[key]["cmd"])]
    out += ["```", "", "</details>", ""]
    return out


def breakdown_section(res):
    call = res.get("dd_traced_call_ms", 0)
    spawn = res.get("true_ms", 0)
    out = ["## Where the time goes: %s tickets" % n_(res["tickets"]), "",
           "%s; %s; load average %.1f before, %.1f after; %d traced and %d untraced runs per command and environment, "
           "alternating (medians). Tracing costs %.3f ms per system call here (dd's calls traced and not), so only the "
           "phases of a few calls are taken from `strace -ttt` (less that cost per call); the database work is measured "
           "in-process and untraced with the same SQLite library, and the start-up untraced (`bench/lib/breakdown.py` "
           "says how)." % (res["date"], res["tickets_version"], res["load_before"], res["load_after"], res["runs"],
                           res["runs"], call), ""]
    for name, c in res["commands"].items():
        envs = [c["envs"][e] for e in ENVS if e in c["envs"]]
        cold_queries = max(0.0, c["floor_cold_ms"] - c["opening_ms"])
        start = max(0.0, res["version_ms"] - spawn)

        def ph(p):
            return [e["phases"][p] for e in envs]
        out += ["| `%s` | measured by | set ms | plain ms |" % rel(c["tickets_cmd"]).replace("$REPO/", ""),
                "|---|---|---:|---:|",
                "| process start (exec, static start-up, Swift runtime) | `tickets --version` untraced, less `/bin/true` | "
                "%.2f | %.2f |" % (start, start),
                "| config, identity (arguments, environment, config file, role) | strace, %s calls | %s |"
                % ("/".join("%d" % x["calls"] for x in ph("config, identity")),
                   " | ".join("%.2f" % x["ms"] for x in ph("config, identity"))),
                "| opening and closing the database (header, WAL index, schema, stat1) | in-process | "
                "%.2f | %.2f |" % (c["opening_ms"], c["opening_ms"]),
                "| the queries, cold page cache, as every run has it | in-process | %.2f | %.2f |" % (cold_queries, cold_queries),
                "| preparing, decoding, SLA arithmetic, the table | strace, %s calls | %s |"
                % ("/".join("%d" % x["calls"] for x in ph("between them")),
                   " | ".join("%.2f" % x["ms"] for x in ph("between them")))]
        total = [start + a["ms"] + c["opening_ms"] + cold_queries + b["ms"]
                 for a, b in zip(ph("config, identity"), ph("between them"))]
        out.append("| sum | | %s |" % " | ".join("%.2f" % t for t in total))
        out.append("| the run, untraced, less `/bin/true` (the parent's spawn and wait) | wall | %s |"
                   % " | ".join("%.2f" % (e["untraced_ms"] - spawn) for e in envs))
        out.append("| **floor**: the queries alone, warm connection, in-process | in-process | %.3f | %.3f |"
                   % (c["floor_warm_ms"], c["floor_warm_ms"]))
        out.append("| traced, for reference: the queries' read transactions (raw, calls) | strace | %s |"
                   % " | ".join("%.2f (%d)" % (x["raw_ms"], x["calls"]) for x in ph("the queries")))
        out.append("")
    out += ["| start-up alone (untraced, as the parent sees it) | ms |", "|---|---:|",
            "| `tickets --version` | %.2f |" % res["version_ms"],
            "| `sqlite3 :memory: 'SELECT 1'` | %.2f |" % res["sqlite3_start_ms"],
            "| `/bin/true` (dynamic; starting and reaping any process) | %.2f |" % spawn, ""]
    return out


def statistics_mean(xs):
    return sum(xs) / len(xs) if xs else 0


def postgres_section(res):
    n = res["tickets"]
    out = ["## PostgreSQL: %s tickets" % n_(n), "",
           "%s; %s; server %s (%s); %s; load average %.1f before, %.1f after%s. Database URI: `%s`."
           % (res["date"], res["tickets_version"], res["server_version"], res["server"], res["psql_version"],
              res["load_before"], res["load_after"], fsync_note(res), res.get("uri_shown", "")), "",
           "| %s tickets | set: tickets ms | psql ms | ratio (IQR) | plain: tickets ms | psql ms | ratio (IQR) | goal | |"
           % n_(n), "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for name in ("open", "list", "show", "search", "export", "open x8"):
        cells, values = [], []
        for env in ENVS:
            r = find(res["rows"].get(env, []), name)
            if r:
                cells += ["%.2f" % r["tickets_ms"], "%.2f" % r["sqlite3_ms"], ratio_cell(r)]
                values.append((env, r["ratio"]))
                if "failures" in r:
                    cells[-1] += ", failures %d/%d" % tuple(r["failures"])
            else:
                cells += ["", "", ""]
        ok = both(values, POSTGRES)
        if name == "open x8":
            fails = sum(find(res["rows"][e], name)["failures"][0] for e in ENVS if find(res["rows"].get(e, []), name))
            ok += "; %s" % ("0 failures" if not fails else "**%d failures**" % fails)
        lines_goal = "≤ %.1f" % POSTGRES + (", 0 failures" if name == "open x8" else "")
        out.append("| %s | %s | %s | %s |" % (name, " | ".join(cells), lines_goal, ok))
    r = find(res["rows"].get("set", []), "export")
    if r and r.get("tickets_rss_kib"):
        out.append("| export peak RSS | %.1f MiB | %.1f MiB | | | | | ≤ %d MiB | %s |"
                   % (r["tickets_rss_kib"] / 1024, r["psql_rss_kib"] / 1024, EXPORT_RSS_MIB,
                      verdict(r["tickets_rss_kib"] / 1024 <= EXPORT_RSS_MIB)))
    if res.get("import"):
        out.append("| import %s tickets | %.1f s | peak RSS %.1f MiB | | | | | | |"
                   % (n_(res["import"]["tickets"]), res["import"]["ms"] / 1000, res["import"]["rss_kib"] / 1024))
    out += ["", "The companion design (environment set): `tickets` is static and replaces itself with `tickets-pg` "
            "(libpq, dynamic) for a server; SQLite never loads libpq.", "",
            "| A ÷ B | A ms | B ms | ratio (IQR) |", "|---|---:|---:|---:|"]
    labels = {"list via tickets": "`tickets --db URI list` ÷ `tickets-pg --db URI list`",
              "--version": "`tickets --version` ÷ `tickets-pg --version`",
              "SQLite list": "SQLite `tickets list` ÷ sqlite3 (same session)",
              "SQLite show": "SQLite `tickets show` ÷ sqlite3 (same session)"}
    for r in res.get("companion", []):
        out.append("| %s | %.2f | %.2f | %s |" % (labels.get(r["name"], r["name"]), r["tickets_ms"], r["sqlite3_ms"], ratio_cell(r)))
    out.append("")
    c = res.get("checks", {})
    if c:
        out.append("Same work: the server's counters (scans per index, rows fetched, inserted) moved alike for %s; "
                   "the export from the server is the SQLite export's bytes: %s. The static `tickets` is %s; a SQLite "
                   "`list` loads no shared library and runs nothing else (strace: %s)."
                   % (", ".join("%s %s" % (k, "yes" if v["same_counters"] else "**NO**") for k, v in c.items()
                                if "same_counters" in v),
                      "yes" if c.get("export bytes", {}).get("same_as_sqlite_export") else "**NO**",
                      res.get("static") or "?", "yes" if len(res.get("sqlite_list_loads", [])) == 1 else "**NO**"))
        out.append("")
    out += ["<details><summary>Exact commands</summary>", "", "```"]
    for env in ENVS:
        for row in res["rows"].get(env, []):
            out += ["# %s (%s)" % (row["name"], env), rel(row["tickets_cmd"]), rel(row["sqlite3_cmd"])]
    for row in res.get("companion", []):
        out += ["# %s" % row["name"], rel(row["tickets_cmd"]), rel(row["sqlite3_cmd"])]
    out += ["```", "", "The psql scripts are written to `bench/out/N/pg-*.sql` by the run.", "", "</details>", ""]
    return out


def summary(sqlite, pg):
    """The goals at a glance: the worse of the two environments at each size."""
    sizes = [r["tickets"] for r in sqlite]
    out = ["## The goals at a glance", "",
           "The worse of the two environments at each size; the tables below have both, with the load averages.", "",
           "| goal | " + " | ".join(n_(s) for s in sizes) + " |", "|---|" + "---:|" * len(sizes)]

    def worst(res, get):
        vals = [v for v in (get(res, e) for e in ENVS) if v is not None]
        return max(vals) if vals else None

    def fmt(v, goal, digits=2, unit=""):
        if v is None:
            return ""
        s = ("%." + str(digits) + "f%s") % (v, unit)
        return s if round(v, digits) <= goal else "**%s**" % s
    for name, goal in GOALS.items():
        out.append("| %s ≤ %.1f | %s |" % (name, goal, " | ".join(
            fmt(worst(r, lambda res, e: (find(res["rows"].get(e, []), name) or {}).get("ratio")), goal) for r in sqlite)))
    out.append("| export peak RSS ≤ %d MiB | %s |" % (EXPORT_RSS_MIB, " | ".join(
        fmt(worst(r, lambda res, e: ((find(res["rows"].get(e, []), "export") or {}).get("tickets_rss_kib") or 0) / 1024 or None),
            EXPORT_RSS_MIB, 1, " MiB") for r in sqlite)))
    for name in ("list", "show", "search"):
        out.append("| %s at N ÷ at 1k ≤ %.1f (at 1M) | %s |" % (name, SCALING, " | ".join(
            fmt(worst(r, lambda res, e: (find((res.get("scaling") or {}).get(e, []), name) or {}).get("ratio")), SCALING)
            for r in sqlite)))
    out.append("| open with notifications ÷ without ≤ %.1f | %s |" % (NOTIFY, " | ".join(
        fmt(worst(r, lambda res, e: (res.get("notify", {}).get(e) or {}).get("ratio")), NOTIFY) for r in sqlite)))
    for key, label in (("stale", "close --stale: longest open ≤ 100 ms"),
                       ("stale_notify", "the same, notifications on")):
        out.append("| %s | %s |" % (label, " | ".join(
            fmt(r[key]["open_max_ms"], STALE_WAIT_MS, 1, " ms") if key in r else "" for r in sqlite)))
    out.append("| import: ≤ %d s and ≤ %d MiB at 1M | %s |" % (IMPORT_SECONDS, IMPORT_RSS_MIB, " | ".join(
        ("%.1f s, %.0f MiB" % (r["import"]["ms"] / 1000, (r["import"]["rss_kib"] or 0) / 1024)) if r.get("import") else ""
        for r in sqlite)))
    out.append("")
    if pg:
        out += ["| PostgreSQL: tickets ÷ psql ≤ %.1f | %s |" % (POSTGRES, " | ".join(n_(r["tickets"]) for r in pg)),
                "|---|" + "---:|" * len(pg)]
        for name in ("open", "list", "show", "search", "export", "open x8"):
            out.append("| %s | %s |" % (name, " | ".join(
                fmt(worst(r, lambda res, e: (find(res["rows"].get(e, []), name) or {}).get("ratio")), POSTGRES) for r in pg)))
        out.append("")
    return out


def load_all(folder):
    found = {"sqlite": [], "breakdown": [], "postgres": []}
    for name in os.listdir(folder):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name)) as f:
            res = json.load(f)
        kind = name.split("-")[0] if "-" in name else "sqlite"
        found[kind].append(res)
    for v in found.values():
        v.sort(key=lambda r: r["tickets"])
    return found


REPRODUCE = """## Reproduce

From a clean clone, as root on Debian 12 with Swift 6 (the packages are those `.ci/run` installs; bench/run
installs sqlite3, time and strace itself when they are missing):

```sh
apt-get install -y libsqlite3-dev libpq-dev sqlite3 time strace python3 postgresql postgresql-client
swift build -c release                      # tickets and, with libpq-dev, tickets-pg
bench/run --tickets 1000                    # bench/results/1000.json
bench/run --tickets 100000                  # and 100000.json (generates 250 MB of ndjson)
bench/run --tickets 1000000 --pairs 15      # and 1000000.json (2.5 GB, about 2 minutes to generate)
bench/run --breakdown --tickets 1000        # breakdown-1000.json (and --tickets 1000000)
bench/run --store postgres --tickets 1000   # postgres-1000.json, on a throwaway cluster
bench/run --store postgres --tickets 1000 --server 'postgresql:///postgres?host=/tmp/pgdev&port=55432&user=postgres'
```

`--bin PATH` measures a tickets built elsewhere (tickets-pg beside it); `--reuse` keeps the imported
database of an earlier run (and its import figure). Every run rewrites this file from `bench/results/`.
"""

METHOD = """`tickets` against the `sqlite3` shell doing the same work (issues #6, #14, #15, #16). Every ratio is the
median of per-pair ratios from runs A, B, B, A, ... in one loop (tickets ÷ reference; below 1 is faster), with
the interquartile range of the pair ratios in brackets. The machine is shared (another engineer builds Swift on
it), so each table states its load averages. Written by `bench/run`; the raw figures are in
`bench/results/*.json`.

The reference is the SQL the command executes (`bench/lib/reference.py`, read from `Sources/TicketsSQLite`):
the header check, the page query, the SLA deadline query of the shown tickets that wait on support, the footer
count capped at 1,000 when more than 30 match (list); the ticket, messages, attachments, events and the
waiting-since query (show); the per-term FTS5 condition over the contentless `ascii` tables (search); the
ticket, message, event and both FTS rows with their Swift-computed search forms (open). Before timing, each
run checks that both sides read the very same database pages (strace), that open writes the same rows and
search tokens, and that the two exports are the same bytes.

Two environments (issue #16): **set** has `TICKETS_NAME`, `TICKETS_EMAIL` and `TICKETS_ROLE=agent`, as CI
runs it; **plain** is a person at a shell: only `PATH`, `HOME`, `USER`, `LANG` (no `TERM`), the identity in
`~/.gitconfig`, `role = agent` in `~/.config/tickets/config`, commands run in a git repository of their own.
Both keep `TICKETS_NOW`, the clock `bench/generate.py` writes its data against (stale tickets, SLA marks and
relative times come out the same in every run; it is one variable every run reads anyway).
"""


def write(bench):
    found = load_all(os.path.join(bench, "results"))
    out = ["# Benchmark results", "", METHOD, REPRODUCE]
    out += summary(found["sqlite"], found["postgres"])
    for res in found["sqlite"]:
        n = res["tickets"]
        out += ["## %s tickets" % n_(n), "",
                "%s; %s; SQLite %s; %s; load average %.1f before, %.1f after%s." % (
                    res["date"], res["machine"], res["sqlite3_version"], res["tickets_version"], res["load_before"],
                    res.get("load_after", 0), fsync_note(res)), "", sqlite_table(res), ""]
        show = res.get("show")
        if show:
            out.append("`show` displays ticket #%d (%s, %d messages, so its waiting-since query runs); `list` shows %d rows%s; "
                       "`list -S %s` finds %d." % (show["id"], show["status"], show["messages"], show["list_rows"],
                                                 " and counts the rest (up to 1,000) for its footer" if show["list_more"]
                                                 else " (all that match: no footer count)", "quokkafrost", show["search_rows"]))
            out.append("")
        line = checks_line(res)
        if line:
            out += [line, ""]
        if res.get("import"):
            out += ["Data: %s tickets, %s messages, %.0f MB of ndjson (`bench/generate.py`)." % (
                n_(res["import"]["tickets"]), n_(res["import"]["messages"]), res["import"]["bytes"] / 1e6), ""]
        out += commands(res)
    for res in found["breakdown"]:
        out += breakdown_section(res)
    for res in found["postgres"]:
        out += postgres_section(res)
    notes = os.path.join(bench, "NOTES.md")
    if os.path.exists(notes):
        out += [open(notes).read()]
    with open(os.path.join(bench, "RESULTS.md"), "w") as f:
        f.write("\n".join(out))
