"""The PostgreSQL suite (issue #15): every command against the C client `psql` running the
same statements over the same socket, 8 concurrent writers, the companion design
(`tickets` exec'ing `tickets-pg`), and the SQLite figures beside them.

The statements are those of Sources/TicketsPostgres, in the order and the round trips the
store sends them (one PQexecParams each; `BEGIN ...; SET LOCAL ...` is one request, written
`\\;` for psql): the connection's `set client_encoding to 'UTF8'` (PQsetClientEncoding),
the schema check (to_regclass, then the version), then the command's transactions. psql
runs them from a file (`psql -X -q -A -t -f`), one request per statement, with the bound
parameters written as literals; tickets' unnamed statements are planned with their
parameter values, so the plans are the same. Before timing, the server's own counters
(pg_stat_user_tables, pg_stat_user_indexes) must move alike for one run of each side:
the same index scans, the same rows fetched and written.
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from .common import BODY_1K, NOW, SUBJECT, cmdline, concurrent, load, paired
from .reference import ACTIVE, RARE, WAITING, Dataset, email_key, q, search_form

COLUMNS = """t.id, t.subject, t.status, t.priority, t.department, t.service, t.requester_name,
t.requester_email, t.assignee, t.dedupe_key, t.created_at, t.updated_at, t.closed_at,
t.rating_stars, t.rating_review, t.rated_at,
(SELECT string_agg(c.email, E'\\n' ORDER BY c.position) FROM tickets.ticket_cc c WHERE c.ticket_id = t.id)"""

WAITING_SINCE = """GREATEST(COALESCE((SELECT min(r.created_at) FROM tickets.messages r
                   WHERE r.ticket_id = t.id AND r.role = 'requester' AND r.id > COALESCE(
                       (SELECT max(a.id) FROM tickets.messages a WHERE a.ticket_id = t.id AND a.role = 'agent' AND NOT a.internal), 0)),
                  t.created_at),
         COALESCE((SELECT max(e.created_at) FROM tickets.events e WHERE e.ticket_id = t.id AND e.action = 'reopen'), ''))"""

CONNECT = ("set client_encoding to 'UTF8';\n"
           "SELECT to_regclass('tickets.schema_version') IS NOT NULL;\n"
           "SELECT max(version) FROM tickets.schema_version;\n")
READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n"
WRITE = "BEGIN ISOLATION LEVEL READ COMMITTED\\; SET LOCAL lock_timeout = '10s';\n"


def vector(form):
    """PostgresSearch.vector: the tokens as a tsvector literal, positions from 1."""
    return " ".join("'%s':%d" % (tok.replace("\\", "\\\\").replace("'", "''"), i + 1) for i, tok in enumerate(form.split()))


def page(where=""):
    return ("SELECT %s FROM tickets.tickets t WHERE t.status IN %s%s ORDER BY t.updated_at DESC, t.id DESC LIMIT 31;\n"
            % (COLUMNS, ACTIVE, where))


def search_where():
    query = q("'%s'" % search_form(RARE))
    return ("\n AND t.id IN (SELECT s.id FROM tickets.tickets s WHERE s.subject_search @@ %s::tsquery\n"
            "   UNION SELECT m.ticket_id FROM tickets.message_search x JOIN tickets.messages m ON m.id = x.message_id\n"
            "         WHERE x.vector @@ %s::tsquery AND (NOT m.internal OR true))" % (query, query))


def deadlines(ids):
    if not ids:
        return ""
    return (READ + "SELECT t.id, %s FROM tickets.tickets t WHERE t.id = ANY('{%s}'::bigint[]);\nCOMMIT;\n"
            % (WAITING_SINCE, ",".join(map(str, ids))))


def list_script(ds):
    return (CONNECT + READ + page() + "COMMIT;\n" + deadlines(ds.shown_waiting(ds.page))
            + ("SELECT count(*) FROM (SELECT 1 FROM tickets.tickets t WHERE t.status IN %s LIMIT 1001) AS capped;\n" % ACTIVE
               if len(ds.page) > 30 else ""))


def search_script(ds):
    return (CONNECT + READ + page(search_where()) + "COMMIT;\n" + deadlines(ds.shown_waiting(ds.search))
            + ("SELECT count(*) FROM (SELECT 1 FROM tickets.tickets t WHERE t.status IN %s%s LIMIT 1001) AS capped;\n"
               % (ACTIVE, search_where()) if len(ds.search) > 30 else ""))


def detail(i):
    return ("SELECT id, author_name, author_email, role, body, internal, created_at\n"
            " FROM tickets.messages WHERE ticket_id = %d AND (NOT internal OR true) ORDER BY created_at, id;\n"
            "SELECT a.id, a.message_id, a.name, a.size, a.sha256, a.content_type\n"
            " FROM tickets.attachments a JOIN tickets.messages m ON m.id = a.message_id WHERE m.ticket_id = %d ORDER BY a.id;\n"
            "SELECT id, actor_name, actor_email, action, from_status, to_status, field, old_value, new_value, created_at, message_id\n"
            " FROM tickets.events WHERE ticket_id = %d AND (action <> 'note' OR true) ORDER BY id;\n" % (i, i, i))


def show_script(ds):
    i = ds.show_id
    return (CONNECT + READ + "SELECT %s FROM tickets.tickets t WHERE t.id = %d;\n" % (COLUMNS, i) + detail(i) + "COMMIT;\n"
            + deadlines([i] if ds.show_status in WAITING else []))


def open_script(person):
    name, email = person
    v = {"subject": q(SUBJECT), "name": q(name), "email": q(email), "key": q(email_key(email)), "now": q(NOW),
         "subject_vector": q(vector(search_form(SUBJECT))), "body": q(BODY_1K), "body_vector": q(vector(search_form(BODY_1K))),
         "columns": COLUMNS}
    return (CONNECT + WRITE +
            "INSERT INTO tickets.tickets (subject, status, priority, department, service, requester_name, requester_email,\n"
            "                             requester_key, dedupe_key, created_at, updated_at, subject_search)\n"
            " VALUES (%(subject)s, 'open', 'medium', 'other', NULL, %(name)s, %(email)s, %(key)s, NULL, %(now)s, %(now)s,"
            " %(subject_vector)s::tsvector) RETURNING id AS tid \\gset\n"
            "INSERT INTO tickets.messages (ticket_id, author_name, author_email, role, body, internal, created_at)\n"
            " VALUES (:tid, %(name)s, %(email)s, 'requester', %(body)s, false, %(now)s) RETURNING id AS mid \\gset\n"
            "INSERT INTO tickets.message_search (message_id, part, vector) SELECT unnest(ARRAY[:mid]::bigint[]), 0,"
            " %(body_vector)s::tsvector;\n"
            "SELECT %(columns)s FROM tickets.tickets t WHERE t.id = :tid;\n"
            "INSERT INTO tickets.events (ticket_id, actor_name, actor_email, action, from_status, to_status,\n"
            "                            field, old_value, new_value, created_at, message_id)\n"
            " VALUES (:tid, %(name)s, %(email)s, 'open', NULL, 'open', NULL, NULL, NULL, %(now)s, :mid) RETURNING id;\n"
            "COMMIT;\n") % v


def export_script(ids, path):
    """forEachTicket through a cursor (FETCH 500), and each ticket's detail between fetches."""
    with open(path, "w") as f:
        f.write(CONNECT + READ)
        f.write("DECLARE tickets_cursor_1 NO SCROLL CURSOR FOR SELECT %s FROM tickets.tickets t  ORDER BY t.id ASC;\n" % COLUMNS)
        for start in range(0, len(ids), 500):
            f.write("FETCH 500 FROM tickets_cursor_1;\n")
            for i in ids[start:start + 500]:
                f.write(detail(i))
        f.write("FETCH 500 FROM tickets_cursor_1;\nCLOSE tickets_cursor_1;\nCOMMIT;\n")


def real_psql():
    """psql itself: Debian's /usr/bin/psql is pg_wrapper, a Perl script that costs 20 ms
    before psql starts."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), key=lambda p: int(p.split("/")[4].split(".")[0]))
    psql = found[-1] if found else shutil.which("psql")
    if not psql:
        sys.exit("bench: --store postgres needs psql (apt-get install postgresql-client)")
    return psql


def with_database(uri, name):
    """PostgresAdmin.withDatabase: the URI with its database name replaced."""
    scheme, rest = uri.split("://", 1)
    query = rest.find("?")
    query = len(rest) if query < 0 else query
    slash = rest.find("/", 0, query)
    authority_end = query if slash < 0 else slash
    return scheme + "://" + rest[:authority_end] + "/" + name + rest[query:]


class Server:
    """The server the suite runs on: the one given, or a throwaway cluster."""

    def __init__(self, uri, root):
        self.cluster = None
        self.root = root
        if not uri:
            self.cluster = tempfile.mkdtemp(prefix="tickets-bench-pg.")
            out = subprocess.run([os.path.join(root, "Tests", "postgres", "cluster"), "start", self.cluster],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit("bench: cannot start a PostgreSQL cluster: %s" % out.stderr.strip())
            uri = re.search(r"TICKETS_TEST_POSTGRES='([^']+)'", out.stdout).group(1)
        self.uri = uri

    def psql(self, uri, sql):
        return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql],
                              capture_output=True, text=True, check=True).stdout

    def stop(self):
        if self.cluster:
            subprocess.run([os.path.join(self.root, "Tests", "postgres", "cluster"), "stop", self.cluster], capture_output=True)
            shutil.rmtree(self.cluster, ignore_errors=True)


STATS = """SELECT 'table ' || relname, seq_scan, coalesce(idx_scan, 0), n_tup_ins, n_tup_upd, n_tup_del
             FROM pg_stat_user_tables WHERE schemaname = 'tickets'
           UNION ALL
           SELECT 'index ' || indexrelname, idx_scan, idx_tup_read, idx_tup_fetch, 0, 0
             FROM pg_stat_user_indexes WHERE schemaname = 'tickets' ORDER BY 1"""


def counters(server, uri):
    time.sleep(0.3)  # a backend reports its counters as it exits, just after its client
    rows = {}
    for line in server.psql(uri, "SELECT pg_stat_clear_snapshot(); " + STATS).splitlines():
        parts = line.split("|")
        if len(parts) == 6:
            rows[parts[0]] = tuple(int(x) for x in parts[1:])
    return rows


def delta(before, after):
    return {k: tuple(a - b for a, b in zip(after[k], before.get(k, (0,) * 5))) for k in after
            if after[k] != before.get(k)}


def run(r, envs, opts, bench, root):
    n = opts.tickets
    psql = real_psql()
    companion = os.path.join(os.path.dirname(r.tickets), "tickets-pg")
    if not os.path.exists(companion):
        sys.exit("bench: no tickets-pg beside %s (build on a machine with libpq-dev)" % r.tickets)
    work = os.path.join(bench, "out", str(n))
    os.makedirs(work, exist_ok=True)
    # The SQLite database of the same data: the facts the commands will find, and the export to compare.
    data = os.path.join(work, "data.ndjson")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(bench, "generate.py"), str(n), data], check=True)
    sqlite_db = os.path.join(work, "tickets.db")
    if not os.path.exists(sqlite_db):
        r.checked(r.t("import", data, "--db", sqlite_db), envs["set"], what="import (SQLite)")
    ds = Dataset(sqlite_db)
    server = Server(opts.server, root)
    name = "tickets_bench_%d" % n
    uri = with_database(server.uri, name)
    result = {"server": "a throwaway cluster, Tests/postgres/cluster" if server.cluster else "given with --server",
              "server_version": server.psql(server.uri, "SHOW server_version").strip(),
              "psql_version": "%s (%s)" % (subprocess.check_output([psql, "--version"]).decode().strip(), psql), "rows": {}}
    try:
        exists = server.psql(server.uri, "SELECT 1 FROM pg_database WHERE datname = '%s'" % name).strip() == "1"
        if not (opts.reuse and exists):
            server.psql(server.uri, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
            server.psql(server.uri, "CREATE DATABASE %s" % name)
            argv = r.t("--db", uri, "import", data)
            peak = os.path.join(work, "pg-import-time.txt")
            ms, code = r.run(["/usr/bin/time", "-f", "%M", "-o", peak] + argv, envs["set"])
            if code != 0:
                sys.exit("bench: import into PostgreSQL failed (exit %d): %s" % (code, cmdline(argv)))
            server.psql(uri, "VACUUM ANALYZE")
            result["import"] = {"ms": ms, "rss_kib": int(open(peak).read().split()[-1]), "cmd": cmdline(argv),
                                "tickets": ds.tickets, "load": load()}
            print("imported %d tickets into PostgreSQL in %.1f s (peak RSS %d MiB)"
                  % (ds.tickets, ms / 1000, result["import"]["rss_kib"] // 1024), flush=True)
        # Opens write to a copy, so every read sees the same tickets as the SQLite suite's.
        writes = with_database(server.uri, name + "_open")
        server.psql(server.uri, "DROP DATABASE IF EXISTS %s_open WITH (FORCE)" % name)
        server.psql(server.uri, "CREATE DATABASE %s_open TEMPLATE %s" % (name, name))
        ids = [int(x) for x in server.psql(uri, "SELECT id FROM tickets.tickets ORDER BY id").split()]
        scripts = {}
        for key, text in (("list", list_script(ds)), ("show", show_script(ds)), ("search", search_script(ds))):
            scripts[key] = os.path.join(work, "pg-%s.sql" % key)
            with open(scripts[key], "w") as f:
                f.write(text)
        scripts["export"] = os.path.join(work, "pg-export.sql")
        export_script(ids, scripts["export"])
        for env in envs.values():
            scripts["open " + env.name] = os.path.join(work, "pg-open-%s.sql" % env.name)
            with open(scripts["open " + env.name], "w") as f:
                f.write(open_script(env.person))

        def p(script, db=uri):
            return [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", script]
        commands = {"list": (r.t("--db", uri, "list"), p(scripts["list"])),
                    "show": (r.t("--db", uri, "show", str(ds.show_id)), p(scripts["show"])),
                    "search": (r.t("--db", uri, "list", "-S", RARE), p(scripts["search"])),
                    "export": (r.t("--db", uri, "export", "--format", "ndjson"), p(scripts["export"]))}

        # Checks: the server's counters move alike; the export is the SQLite export's bytes.
        print("checks (same work on both sides):", flush=True)
        checks = result["checks"] = {}
        pg_export, sqlite_export = os.path.join(work, "pg-export.ndjson"), os.path.join(work, "sqlite-export.ndjson")
        r.checked(commands["export"][0], envs["set"], out=pg_export, what="export")
        r.checked(r.t("export", "--format", "ndjson", "--db", sqlite_db), envs["set"], out=sqlite_export, what="export")
        same = subprocess.run(["cmp", "-s", pg_export, sqlite_export]).returncode == 0
        checks["export bytes"] = {"same_as_sqlite_export": same, "bytes": os.path.getsize(pg_export)}
        print("  check export from the server is the SQLite export's bytes: %s" % same, flush=True)
        os.remove(sqlite_export)
        for key in ("list", "show", "search", "export", "open set"):
            db = writes if key.startswith("open") else uri
            a, b = (r.t("--db", writes, "open", "-s", SUBJECT, "-m", BODY_1K, "-q"), p(scripts[key], writes)) \
                if key.startswith("open") else commands[key]
            moved = []
            for argv in (a, b):
                before = counters(server, db)
                r.checked(argv, envs["set"], what=key)
                moved.append(delta(before, counters(server, db)))
            checks[key] = {"same_counters": moved[0] == moved[1], "tickets": moved[0], "psql": moved[1]}
            print("  check %-8s server counters (scans, rows read and written) alike: %s" % (key, moved[0] == moved[1]),
                  flush=True)

        pairs = opts.pairs
        slow = max(3, min(pairs, 300_000 // max(n, 1)))
        for env in envs.values():
            print("paired runs (tickets / psql), %d tickets on PostgreSQL, environment %s:" % (n, env.name), flush=True)
            rows = result["rows"][env.name] = []
            rows.append(paired(r, "open", r.t("--db", writes, "open", "-s", SUBJECT, "-m", BODY_1K, "-q"),
                               p(scripts["open " + env.name], writes), env, pairs, labels=("tickets", "psql")))
            for key in ("list", "show", "search"):
                rows.append(paired(r, key, commands[key][0], commands[key][1], env, pairs, labels=("tickets", "psql")))
            rows.append(paired(r, "export", commands["export"][0], commands["export"][1], env, slow, warmup=1,
                               labels=("tickets", "psql")))
            rows[-1]["tickets_rss_kib"] = r.peak_rss(commands["export"][0], env, work)
            rows[-1]["psql_rss_kib"] = r.peak_rss(commands["export"][1], env, work)
            # 8 writers at once, each a loop of 10 opens in its own processes.
            ta, tb, ratios, fails = [], [], [], [0, 0]
            load_before = load()
            for _ in range(max(3, pairs // 6)):
                ms_a, fa = concurrent(r, [r.t("--db", writes, "open", "-s", SUBJECT, "-m", BODY_1K, "-q")] * 8, env, 10)
                ms_b, fb = concurrent(r, [p(scripts["open " + env.name], writes)] * 8, env, 10)
                ta.append(ms_a)
                tb.append(ms_b)
                ratios.append(ms_a / ms_b)
                fails[0] += fa
                fails[1] += fb
            rows.append({"name": "open x8", "tickets_ms": statistics.median(ta), "sqlite3_ms": statistics.median(tb),
                         "ratio": statistics.median(ratios), "pairs": len(ratios), "failures": fails,
                         "load": [load_before, load()], "tickets_cmd": "8 x (10 x tickets --db URI open -s ... -m <1 KB> -q)",
                         "sqlite3_cmd": "8 x (10 x psql -f <open script>)"})
            print("  %-8s %-14s tickets %9.2f ms  psql %9.2f ms  ratio %5.2f  (80 opens per side, failures %s)"
                  % (env.name, "open x8", rows[-1]["tickets_ms"], rows[-1]["sqlite3_ms"], rows[-1]["ratio"], fails), flush=True)

        # The companion: what `tickets --db postgres://` costs over tickets-pg itself, and
        # what the SQLite path's start-up is (it must stay about a millisecond).
        env = envs["set"]
        print("companion (static tickets exec'ing tickets-pg):", flush=True)
        comp = result["companion"] = []
        comp.append(paired(r, "list via tickets", r.t("--db", uri, "list"), [companion, "--db", uri, "list"], env, pairs,
                           labels=("tickets", "tickets-pg")))
        comp.append(paired(r, "--version", [r.tickets, "--version"], [companion, "--version"], env, pairs,
                           labels=("tickets", "tickets-pg")))
        comp.append(paired(r, "SQLite list", r.t("list", "--db", sqlite_db), r.s(sqlite_db, ds.list_sql()), env, pairs))
        comp.append(paired(r, "SQLite show", r.t("show", str(ds.show_id), "--db", sqlite_db),
                           r.s(sqlite_db, ds.show_sql()), env, pairs))
        described = subprocess.run(["file", "-b", r.tickets], capture_output=True, text=True).stdout \
            if shutil.which("file") else ""
        result["static"] = "statically linked" if "statically linked" in described else described.strip() or None
        trace = os.path.join(work, "sqlite-list.trace")
        r.run(["/usr/bin/strace", "-f", "-qq", "-e", "trace=openat,execve", "-o", trace] + r.t("list", "--db", sqlite_db), env)
        opened = [line for line in open(trace) if ".so" in line or "execve(" in line]
        result["sqlite_list_loads"] = [line.strip()[:160] for line in opened]
        print("  SQLite list opens no shared library and runs nothing: %s" % (len(opened) == 1), flush=True)
    finally:
        for db in [name + "_open"] + ([] if opts.reuse else [name]):
            try:
                server.psql(server.uri, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
            except subprocess.CalledProcessError:
                pass
        server.stop()
    result["uri_shown"] = re.sub(r"host=[^&]+", "host=SOCKET_DIR", uri)
    result["load_after"] = load()
    return result
