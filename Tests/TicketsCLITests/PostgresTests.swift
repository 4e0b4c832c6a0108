import Foundation
import Testing
import TicketsCLI
import TicketsCore
#if TICKETS_POSTGRES
import TicketsPostgres
#endif

/// SPEC §9 and issue #15 ("Team scale: the same tickets against a PostgreSQL server"),
/// through the built binaries as a user types them (`tickets`, which runs `tickets-pg`
/// beside it for a server URI): the URI from --db, TICKETS_DB or the config; 69, 77 and
/// 78 at the door; a database shared with other programs; the first-use migration race;
/// row locks, a server that stops and a client killed mid-command; moving a team from
/// SQLite byte for byte; search and NUL alike on both stores. Passwords never show.
///
/// Needs TICKETS_TEST_POSTGRES (and the password role's variables) from
/// `Tests/postgres/cluster start DIR`; with TICKETS_TEST_STORE=pgbouncer the commands go
/// through TICKETS_TEST_PGBOUNCER where the test allows.
@Suite(.enabled(if: PostgresSupport.runs,
                "needs a PostgreSQL server: TICKETS_TEST_POSTGRES from `Tests/postgres/cluster start DIR` (under CI=true its absence fails)"))
struct PostgresTests {
    // MARK: The user types `tickets`

    @Test func theUserTypesTicketsWithAServerURIInDbTicketsDbOrTheConfig() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        let user = TicketsUser(db: nil)
        let byFlag = try user.tickets(["--db", db.uri, "open", "-s", "Via --db", "-m", "One.", "-q"])
        #expect(byFlag.code == 0, "\(byFlag.stderr)")
        #expect(byFlag.stdout == "1\n")
        let byVariable = try user.tickets(["open", "-s", "Via TICKETS_DB", "-m", "Two.", "-q"], env: ["TICKETS_DB": db.uri])
        #expect(byVariable.code == 0, "\(byVariable.stderr)")
        #expect(byVariable.stdout == "2\n")
        try FileManager.default.createDirectory(atPath: user.dir + "/config/tickets", withIntermediateDirectories: true)
        _ = user.write("config/tickets/config", Array("db = \(db.uri)\n".utf8))
        let byConfig = try user.tickets(["open", "-s", "Via the config", "-m", "Three.", "-q"])
        #expect(byConfig.code == 0, "\(byConfig.stderr)")
        #expect(byConfig.stdout == "3\n")
        let listed = try user.agent(["list", "--status", "all", "--sort", "id", "--fields", "id,subject", "--csv"])
        #expect(listed.code == 0, "\(listed.stderr)")
        #expect(listed.stdout == "id,subject\r\n3,Via the config\r\n2,Via TICKETS_DB\r\n1,Via --db\r\n")
        // They are on the server, nowhere else.
        #expect(try db.sql("SELECT string_agg(subject, '|' ORDER BY id) FROM tickets.tickets") == "Via --db|Via TICKETS_DB|Via the config")
        #expect(!FileManager.default.fileExists(atPath: user.dir + "/data/tickets/tickets.db"))
    }

    /// A read of a database where tickets never wrote sees no tickets and creates nothing.
    @Test func aReadOfAFreshDatabaseCreatesNothing() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        let user = TicketsUser(db: db.uri)
        let count = try user.agent(["list", "--count", "--status", "all"])
        #expect(count.code == 0, "\(count.stderr)")
        #expect(count.stdout == "0\n")
        #expect(try user.agent(["show", "1"]).code == 66)
        #expect(try db.sql("SELECT to_regnamespace('tickets') IS NULL") == "t")
    }

    @Test func versionsOfTicketsAndTicketsPg() throws {
        let user = TicketsUser(db: nil)
        let plain = try user.tickets(["--version"])
        let pg = try ShellSupport.run("/bin/sh", ["-c", "tickets-pg --version"], env: user.env)
        #expect(plain.code == 0 && pg.code == 0)
        #expect(plain.stdout.hasPrefix("tickets \(TicketsCLI.version) (SQLite "))
        #expect(!plain.stdout.contains("libpq"))
        // tickets-pg: the same program and SQLite, plus its libpq.
        #expect(pg.stdout.hasPrefix(String(plain.stdout.dropLast(2)) + ", libpq "), "\(pg.stdout)")
        #expect(pg.stdout.firstMatch(of: /, libpq \d+\.\d+\)\n$/) != nil, "\(pg.stdout)")
        // The same SQLite is the same library, linked in as in tickets (the link line of
        // CTicketsSQLite): no libsqlite3.so to load and relocate at every start.
        // LD_TRACE_LOADED_OBJECTS makes the dynamic loader list what it would load (ldd).
        let loaded = try ShellSupport.run("/bin/sh", ["-c", "LD_TRACE_LOADED_OBJECTS=1 tickets-pg"], env: user.env)
        #expect(loaded.code == 0 && loaded.stdout.contains("libpq.so"), "\(loaded.stdout)")
        #expect(!loaded.stdout.contains("libsqlite3"), "\(loaded.stdout)")
        // libstdc++ and libgcc are linked in from their archives too (Package.swift).
        #expect(!loaded.stdout.contains("libstdc++") && !loaded.stdout.contains("libgcc_s"), "\(loaded.stdout)")
    }

    // MARK: At the door: 69, 77, 78

    /// No server on the socket, nobody on the TCP port: 69 at once, one line, no password,
    /// and what the user typed is kept as a draft.
    @Test func anUnreachableServerIs69AtOnceWithoutThePassword() throws {
        let secret = "hunter2-UNREACHABLE-secret"
        let user = TicketsUser(db: nil)
        try FileManager.default.createDirectory(atPath: user.dir + "/nosock", withIntermediateDirectories: true)
        let port = try SilentListener.unusedPort()
        let cases: [(uri: String, env: [String: String])] = [
            ("postgresql:///tickets?host=\(user.dir)/nosock&port=5432&user=postgres&password=\(secret)", [:]),
            ("postgresql://someone:\(secret)@127.0.0.1:\(port)/tickets?connect_timeout=2", [:]),
            ("postgres://someone@127.0.0.1:\(port)/tickets?connect_timeout=2", ["PGPASSWORD": secret]),
            ("postgresql://127.0.0.1:\(port)/tickets?connect_timeout=2&user=someone&password=\(secret)", [:]),
        ]
        for c in cases {
            for args in [["list"], ["show", "1"], ["open", "-s", "Hi", "-m", "There."], ["list", "--json"]] {
                let r = try user.tickets(["--db", c.uri] + args, env: c.env)
                #expect(r.code == 69, "\(args) on \(c.uri): \(r.stderr)")
                #expect(r.seconds < 5, "\(r.seconds) s")
                #expect(!r.contains(secret), "\(r.stderr)")
                if args.last != "--json" { #expect(r.isOneErrorLine, "\(r.stderr)") }
                #expect(r.stderr.contains("retry"), "\(r.stderr)")
            }
            let typed = "The printer is on fire again.\nSecond line.\n"
            let r = try user.tickets(["--db", c.uri, "reply", "1", "-F", "-"], stdin: typed, env: c.env)
            #expect(r.code == 69, "\(r.stderr)")
            #expect(r.isOneErrorLine, "\(r.stderr)")
            #expect(!r.contains(secret), "\(r.stderr)")
            let draft = try #require(r.draft, "\(r.stderr)")
            #expect(try String(contentsOfFile: draft, encoding: .utf8) == typed)
            #expect((try FileManager.default.attributesOfItem(atPath: draft)[.posixPermissions] as? Int) == 0o600)
        }
    }

    /// A server that accepts the connection and never answers: 69 after the connect
    /// timeout, from the URI, from PGCONNECT_TIMEOUT (libpq's rules), else 10 s.
    @Test func theConnectTimeoutBoundsASilentServer() throws {
        let secret = "hunter2-SILENT-secret"
        let listener = try SilentListener()
        let user = TicketsUser(db: nil)
        let base = "postgresql://someone:\(secret)@127.0.0.1:\(listener.port)/tickets"
        let jobs = [
            (try user.start(["--db", base + "?connect_timeout=2", "list"]), 1.5...6.0),
            (try user.start(["--db", base, "list"], env: ["PGCONNECT_TIMEOUT": "3"]), 2.5...7.0),
            (try user.start(["--db", base, "list"]), 9.0...16.0),
        ]
        for (job, window) in jobs {
            let r = job.finish()
            #expect(r.code == 69, "\(r.stderr)")
            #expect(window.contains(r.seconds), "took \(r.seconds) s, not within \(window)")
            #expect(r.isOneErrorLine, "\(r.stderr)")
            #expect(!r.contains(secret), "\(r.stderr)")
        }
        withExtendedLifetime(listener) {}
    }

    /// The role that needs a password: a wrong or missing one is 77; the right one works
    /// from PGPASSWORD, ~/.pgpass or the URI; no password is ever printed.
    @Test func passwordsLoginsAndWhatIsPrinted() throws {
        let server = try PostgresSupport.requireServer()
        let (roleURI, secret) = try PostgresSupport.requirePasswordRole()
        let role = try #require(roleURI.firstMatch(of: /[?&]user=([^&]+)/).map { String($0.1) })
        // The role's own database, reached directly: the test bouncer knows only `postgres`.
        let db = try ServerDatabase(server: server, route: .direct, owner: role)
        let uri = DatabaseURI.with(database: db.name, roleURI)
        let wrong = "wrong-Pa55word-42"
        /// The same URI with `user:password@` instead of `user=`.
        func userinfo(_ password: String, database: String = db.name) -> String {
            let u = DatabaseURI.with(database: database, roleURI)
                .replacingOccurrences(of: "&user=\(role)", with: "").replacingOccurrences(of: "user=\(role)&", with: "")
            return u.replacingOccurrences(of: "postgresql:///", with: "postgresql://\(role):\(password)@/")
        }
        #expect(userinfo(wrong) != uri)
        let user = TicketsUser(db: uri)
        var all = [TicketsUser.Timed]()
        func check(_ r: TicketsUser.Timed, _ code: Int32, _ what: String) {
            all.append(r)
            #expect(r.code == code, "\(what): \(r.stderr)")
        }

        for (what, env, db) in [("no password at all", [String: String](), uri),
                                ("PGPASSWORD wrong", ["PGPASSWORD": wrong], uri),
                                ("password= wrong", [:], uri + "&password=\(wrong)"),
                                ("user:wrong@", [:], userinfo(wrong))] {
            let r = try user.tickets(["open", "-s", "Refused", "-m", "No."], env: ["TICKETS_DB": db].merging(env) { $1 })
            check(r, 77, what)
            #expect(r.isOneErrorLine, "\(what): \(r.stderr)")
            #expect(r.seconds < 5)
            let j = try user.tickets(["list", "--json"], env: ["TICKETS_DB": db].merging(env) { $1 })
            check(j, 77, what + " --json")
            #expect(j.stderr.contains("\"code\""), "\(j.stderr)")
        }
        // A wrong login with a message typed: 77 and the draft.
        let typed = "Please call me back.\n"
        let refused = try user.tickets(["reply", "1", "-F", "-"], stdin: typed, env: ["PGPASSWORD": wrong])
        check(refused, 77, "reply with a wrong password")
        #expect(try String(contentsOfFile: try #require(refused.draft, "\(refused.stderr)"), encoding: .utf8) == typed)

        // The right password from PGPASSWORD, then from ~/.pgpass (HOME is the user's folder), then in the URI.
        check(try user.tickets(["open", "-s", "With PGPASSWORD", "-m", "Yes.", "-q"], env: ["PGPASSWORD": secret]), 0, "PGPASSWORD")
        let pgpass = user.write(".pgpass", Array("*:*:*:\(role):\(secret)\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass)
        check(try user.tickets(["open", "-s", "With .pgpass", "-m", "Yes.", "-q"]), 0, "~/.pgpass")
        try FileManager.default.removeItem(atPath: pgpass)
        check(try user.tickets(["open", "-s", "In the URI", "-m", "Yes.", "-q"], env: ["TICKETS_DB": userinfo(secret)]), 0, "user:pw@")
        check(try user.tickets(["open", "-s", "As password=", "-m", "Yes.", "-q"], env: ["TICKETS_DB": uri + "&password=\(secret)"]), 0, "password=")
        let listed = try user.tickets(["list", "--status", "all", "--sort", "id", "--fields", "subject", "--csv"], env: ["PGPASSWORD": secret])
        check(listed, 0, "list")
        #expect(listed.stdout == "subject\r\nAs password=\r\nIn the URI\r\nWith .pgpass\r\nWith PGPASSWORD\r\n")
        check(try user.tickets(["reply", "1", "-F", "-"], stdin: typed, env: ["PGPASSWORD": secret]), 0, "reply")

        // Errors past the login and before it, with the right password in the URI.
        check(try user.tickets(["show", "99"], env: ["TICKETS_DB": userinfo(secret)]), 66, "no such ticket")
        check(try user.tickets(["list"], env: ["TICKETS_DB": userinfo(secret, database: "no_such_db")]), 78, "no such database")
        check(try user.tickets(["list", "-v"], env: ["TICKETS_DB": userinfo(secret)]), 64, "usage")
        let unreachable = userinfo(secret).replacing(/host=[^&]*/, with: "host=\(user.dir)/nothing-here")
        #expect(unreachable.contains("nothing-here"))
        check(try user.tickets(["list"], env: ["TICKETS_DB": unreachable]), 69, "unreachable")
        for r in all {
            #expect(!r.contains(secret), "the password shows: \(r.stdout) \(r.stderr)")
            #expect(!r.contains(wrong), "the wrong password shows: \(r.stdout) \(r.stderr)")
        }
    }

    /// libpq's own variables fill in what a bare URI leaves out (PGHOST, PGPORT, PGUSER,
    /// PGDATABASE), as for psql.
    @Test func libpqVariablesCompleteABareURI() throws {
        let server = try PostgresSupport.requireServer()
        let db = try ServerDatabase(server: server, route: .direct)
        func parameter(_ name: String) throws -> String {
            try #require(server.firstMatch(of: Regex("[?&]\(name)=([^&]+)")).flatMap { $0.output[1].substring.map(String.init) })
        }
        let vars = ["PGHOST": try parameter("host"), "PGPORT": try parameter("port"), "PGUSER": try parameter("user")]
        let user = TicketsUser(db: nil)
        let opened = try user.tickets(["--db", "postgresql:///\(db.name)", "open", "-s", "From PG variables", "-m", "x", "-q"], env: vars)
        #expect(opened.code == 0, "\(opened.stderr)")
        #expect(opened.stdout == "1\n")
        let listed = try user.tickets(["--db", "postgres://", "list", "-q", "--status", "all"], env: vars.merging(["PGDATABASE": db.name]) { $1 })
        #expect(listed.code == 0, "\(listed.stderr)")
        #expect(listed.stdout == "1\n")
        #expect(try db.sql("SELECT subject FROM tickets.tickets") == "From PG variables")
    }

    /// A role that may only read the tickets schema: every read works; every write is 77,
    /// with the typed text kept, and changes nothing.
    @Test func aReadOnlyRoleReadsAndIsRefusedWritesWith77() throws {
        let server = try PostgresSupport.requireServer()
        let (roleURI, secret) = try PostgresSupport.requirePasswordRole()
        let role = try #require(roleURI.firstMatch(of: /[?&]user=([^&]+)/).map { String($0.1) })
        let db = try ServerDatabase(server: server, route: .direct)
        let owner = TicketsUser(db: db.admin)
        #expect(try owner.tickets(["open", "-s", "Printer on fire", "-m", "Smoke.", "-q"]).stdout == "1\n")
        try db.sql("GRANT USAGE ON SCHEMA tickets TO \(role); GRANT SELECT ON ALL TABLES IN SCHEMA tickets TO \(role)")
        let reader = TicketsUser(db: DatabaseURI.with(database: db.name, roleURI))
        reader.env["PGPASSWORD"] = secret
        for args in [["list", "--status", "all"], ["show", "1"], ["export", "--with-attachments"], ["list", "-S", "smoke", "-q"]] {
            let r = try reader.agent(args)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let typed = "Read-only, but I typed this.\n"
        let reply = try reader.tickets(["reply", "1", "-F", "-"], stdin: typed)
        #expect(reply.code == 77, "\(reply.stderr)")
        #expect(reply.isOneErrorLine, "\(reply.stderr)")
        #expect(try String(contentsOfFile: try #require(reply.draft, "\(reply.stderr)"), encoding: .utf8) == typed)
        for args in [["open", "-s", "x", "-m", "y"], ["close", "1"], ["edit", "1", "-p", "high"]] {
            let r = try reader.agent(args)
            #expect(r.code == 77, "\(args): \(r.stderr)")
            #expect(!r.contains(secret))
        }
        #expect(try db.count("tickets") == 1)
        #expect(try db.count("messages") == 1)
        #expect(try db.sql("SELECT status || ' ' || priority FROM tickets.tickets") == "open medium")
    }

    @Test func aDatabaseThatDoesNotExistIs78() throws {
        let server = try PostgresSupport.requireServer()
        let user = TicketsUser(db: DatabaseURI.with(database: PostgresSupport.uniqueName("missing"), server))
        for args in [["list"], ["open", "-s", "Hi", "-m", "There."]] {
            let r = try user.tickets(args)
            #expect(r.code == 78, "\(r.stderr)")
            #expect(r.isOneErrorLine, "\(r.stderr)")
            #expect(r.stderr.contains("does not exist"), "\(r.stderr)")
        }
    }

    /// A schema newer than this tickets is refused (78) for reads and writes, untouched.
    @Test func aNewerSchemaIs78AndStaysUntouched() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        let user = TicketsUser(db: db.uri)
        #expect(try user.tickets(["open", "-s", "Before", "-m", "x", "-q"]).code == 0)
        try db.sql("UPDATE tickets.schema_version SET version = 99")
        for args in [["list"], ["show", "1"], ["open", "-s", "After", "-m", "x"], ["export"]] {
            let r = try user.agent(args)
            #expect(r.code == 78, "\(args): \(r.stderr)")
            #expect(r.isOneErrorLine, "\(r.stderr)")
            #expect(r.stderr.contains("99"), "\(r.stderr)")
        }
        let typed = "Typed for a newer schema.\n"
        let r = try user.tickets(["reply", "1", "-F", "-"], stdin: typed)
        #expect(r.code == 78)
        #expect(try String(contentsOfFile: try #require(r.draft, "\(r.stderr)"), encoding: .utf8) == typed)
        #expect(try db.sql("SELECT string_agg(version::text, ',') FROM tickets.schema_version") == "99")
        #expect(try db.count("tickets") == 1)
        #expect(try db.count("messages") == 1)
    }

    // MARK: Sharing, first use, locks

    /// Another program's `public.tickets` (of another shape) and `public.messages` are
    /// there first: tickets keeps to its own schema and both work.
    @Test func aDatabaseSharedWithAnotherProgramWorks() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        try db.sql("""
            CREATE TABLE public.tickets (ref text PRIMARY KEY, amount numeric NOT NULL);
            INSERT INTO public.tickets VALUES ('INV-7', 12.50);
            CREATE TABLE public.messages (id serial PRIMARY KEY, note text);
            INSERT INTO public.messages (note) VALUES ('hello from the other program');
            CREATE TABLE public.schema_version (version text);
            """)
        let user = TicketsUser(db: db.uri)
        #expect(try user.tickets(["open", "-s", "Printer on fire", "-m", "Smoke.", "-q"]).stdout == "1\n")
        #expect(try user.agent(["reply", "1", "-m", "Unplug it."]).code == 0)
        #expect(try user.agent(["close", "1"]).code == 0)
        #expect(try user.tickets(["rate", "1", "5"]).code == 0)
        let list = try user.agent(["list", "--json", "--status", "all"])
        #expect(list.code == 0, "\(list.stderr)")
        #expect(try (JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count == 1)
        #expect(try user.agent(["export", "--with-attachments"]).code == 0)
        #expect(try user.agent(["list", "-S", "smoke", "-q", "--status", "all"]).stdout == "1\n")
        // The other program's tables are as they were.
        #expect(try db.sql("SELECT ref || ' ' || amount FROM public.tickets") == "INV-7 12.50")
        #expect(try db.sql("SELECT string_agg(note, ',') FROM public.messages") == "hello from the other program")
        #expect(try db.sql("SELECT count(*) FROM public.schema_version") == "0")
        #expect(try db.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "3")
        #expect(try db.count("tickets") == 1)
    }

    /// Eight first-time `open`s at once on a new database, three times over: all succeed,
    /// eight tickets, one schema version row.
    @Test func eightFirstTimeOpensAtOnceAllSucceed() throws {
        let server = try PostgresSupport.requireServer()
        for round in 1...3 {
            let db = try ServerDatabase(server: server)
            let user = TicketsUser(db: db.uri, now: nil)
            let jobs = try (1...8).map { try user.start(["open", "-s", "First use \($0)", "-m", "x", "-q"]) }
            let results = jobs.map { $0.finish() }
            for r in results {
                #expect(r.code == 0, "round \(round): \(r.stderr)")
                #expect(r.stderr.isEmpty, "round \(round): \(r.stderr)")
            }
            #expect(Set(results.compactMap { Int($0.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }) == Set(1...8))
            #expect(try db.count("tickets") == 8)
            #expect(try db.sql("SELECT count(*) || ' ' || max(version) FROM tickets.schema_version") == "1 1")
        }
    }

    /// A row lock held by another session (psql): a reply to that ticket waits out the
    /// 10 s lock timeout, exits 75 and keeps the typed text; a reply to another ticket
    /// and reads go through meanwhile.
    @Test func aRowLockHeldPastTheLockTimeoutIs75AndKeepsTheDraft() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        let user = TicketsUser(db: db.uri)
        #expect(try user.tickets(["open", "-s", "Locked one", "-m", "x", "-q"]).stdout == "1\n")
        #expect(try user.tickets(["open", "-s", "Free one", "-m", "x", "-q"]).stdout == "2\n")
        let holder = try PsqlSession(db.admin)
        defer { holder.close() }
        try holder.run("BEGIN; SELECT id FROM tickets.tickets WHERE id = 1 FOR UPDATE;")

        let other = try user.agent(["reply", "2", "-m", "Goes through."])
        #expect(other.code == 0, "\(other.stderr)")
        #expect(other.seconds < 5, "\(other.seconds) s")
        let read = try user.agent(["show", "1"])
        #expect(read.code == 0 && read.seconds < 5, "\(read.stderr)")

        let typed = "My long reply.\nWith two lines.\n"
        let blocked = try user.tickets(["reply", "1", "-F", "-"], stdin: typed)
        #expect(blocked.code == 75, "\(blocked.stderr)")
        #expect(blocked.seconds >= 9.5 && blocked.seconds < 30, "\(blocked.seconds) s")
        #expect(blocked.isOneErrorLine, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("retry"), "\(blocked.stderr)")
        let draft = try #require(blocked.draft, "\(blocked.stderr)")
        #expect(try String(contentsOfFile: draft, encoding: .utf8) == typed)
        try holder.run("ROLLBACK;")

        #expect(try user.tickets(["reply", "1", "-F", draft]).code == 0)
        let show = try user.agent(["show", "1", "--json"])
        let messages = try #require(try (JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])?["messages"] as? [[String: Any]])
        #expect(messages.compactMap { $0["body"] as? String } == ["x", typed])
    }

    #if TICKETS_POSTGRES
    /// A reply that commits while a chunk of `close --stale` waits on its ticket's row:
    /// the chunk skips that ticket (no longer stale once the lock is held) and closes the
    /// other, without an error. READ COMMITTED lets a check made before the lock see the
    /// older row; the chunk must look after locking. Called on the store, since the
    /// command redoes a failed chunk ticket by ticket and hides a single lost race (CI
    /// found the 65 when the redo lost it too, through PgBouncer).
    @Test func aReplyCommittedWhileAStaleChunkWaitsOnTheRowIsSkipped() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        let then = TicketsUser(db: db.uri, now: "2026-10-01T00:00:00Z")
        for subject in ["Replied meanwhile", "Left alone"] {
            #expect(try then.tickets(["open", "-s", subject, "-m", "x", "-q"]).code == 0)
        }
        for id in ["1", "2"] { #expect(try then.agent(["reply", id, "-m", "answer"]).code == 0) }
        // The requester's reply to #1, as `reply` writes it, held uncommitted.
        let holder = try PsqlSession(db.admin)
        defer { holder.close() }
        try holder.run("""
            BEGIN;
            SELECT id FROM tickets.tickets WHERE id = 1 FOR UPDATE;
            INSERT INTO tickets.messages (ticket_id, author_name, author_email, role, body, created_at)
            VALUES (1, 'R', 'r@example.com', 'requester', 'still broken', '2026-11-22T09:00:00Z');
            UPDATE tickets.tickets SET status = 'customer-reply', updated_at = '2026-11-22T09:00:00Z' WHERE id = 1;
            """)
        let store = try PostgresStore.open(uri: db.uri, access: .write, environment: ProcessInfo.processInfo.environment)
        let now = try #require(Timestamp.parse("2026-11-22T10:00:00Z"))
        let chunk = StaleChunk(store: store)
        let done = DispatchSemaphore(value: 0)
        Thread {
            chunk.close([1, 2], idleSince: now.adding(-7 * 86_400), now: now)
            done.signal()
        }.start()
        #expect(try PostgresSupport.eventually { try Self.waitersOnLocks(db) == 1 }, "the chunk never waited on #1")
        try holder.run("COMMIT;")
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(chunk.error == nil, "\(chunk.error.map { "\($0)" } ?? "")")
        #expect(chunk.closed == [2])
        #expect(try db.sql("SELECT status FROM tickets.tickets ORDER BY id") == "customer-reply\nclosed")
    }

    /// One `closeStale` chunk run on another thread, and what it returned.
    final class StaleChunk: @unchecked Sendable {
        let store: any TicketStore
        var closed: [Int64]?
        var error: TicketsError?
        init(store: any TicketStore) { self.store = store }
        func close(_ ids: [Int64], idleSince cutoff: Timestamp, now: Timestamp) {
            do throws(TicketsError) {
                closed = try store.closeStale(ids[...], idleSince: cutoff, reason: "Stale.", now: now).map(\.id)
            } catch { self.error = error }
        }
    }
    #endif

    // MARK: Failures mid-command

    /// An export of six tickets made on SQLite, for the import tests below.
    static func sixTicketExport(_ user: TicketsUser) throws -> String {
        let file = user.dir + "/six.db"
        for i in 1...6 {
            let r = try user.tickets(["open", "-s", "Imported \(i)", "-m", "Body \(i)", "-q"], env: ["TICKETS_DB": file])
            guard r.code == 0 else { throw PostgresTestError("open: \(r.stderr)") }
        }
        let out = user.dir + "/six.json"
        let r = try user.agent(["export", "--with-attachments", "-o", out, "--db", file])
        guard r.code == 0 else { throw PostgresTestError("export: \(r.stderr)") }
        return out
    }

    /// psql holds ticket 1 and an uncommitted ticket 5: a reply to #1 waits on the row,
    /// an import of #1...#6 inserts #2...#4 and waits on #5.
    static func holdTicketsOneAndFive(_ db: ServerDatabase) throws -> PsqlSession {
        let holder = try PsqlSession(db.admin)
        try holder.run("""
            BEGIN;
            SELECT id FROM tickets.tickets WHERE id = 1 FOR UPDATE;
            INSERT INTO tickets.tickets (id, subject, status, priority, department, requester_name, requester_email,
                                         requester_key, created_at, updated_at, subject_search)
            VALUES (5, 'held', 'open', 'medium', 'other', 'H', 'h@example.com', 'h@example.com',
                    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '');
            """)
        return holder
    }

    static func waitersOnLocks(_ db: ServerDatabase) throws -> Int {
        Int(try db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(db.name)' AND wait_event_type = 'Lock'")) ?? -1
    }

    /// SIGKILL to `tickets-pg` in the middle of an import (its rows #2...#4 written, #5
    /// waiting): the database is as it was; the same import then goes through.
    @Test func aKilledImportLeavesTheDatabaseUnchanged() throws {
        let db = try ServerDatabase(server: try PostgresSupport.requireServer())
        let user = TicketsUser(db: db.uri)
        let file = try Self.sixTicketExport(user)
        #expect(try user.tickets(["open", "-s", "Already there", "-m", "x", "-q"]).stdout == "1\n")
        let before = try user.agent(["export", "--with-attachments"])
        #expect(before.code == 0)

        let holder = try Self.holdTicketsOneAndFive(db)
        let job = try user.start(["import", file], env: TicketsUser.agent)
        #expect(try PostgresSupport.eventually { try Self.waitersOnLocks(db) == 1 }, "the import never waited on #5")
        kill(job.pid, SIGKILL)
        let killed = job.finish()
        #expect(job.process.terminationReason == .uncaughtSignal && killed.code == SIGKILL)
        try holder.run("ROLLBACK;")
        holder.close()
        // The killed client's server process ends (its transaction rolled back) once it finds the client gone.
        #expect(try PostgresSupport.eventually {
            try db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(db.name)' AND pid <> pg_backend_pid() AND state <> 'idle'") == "0"
        })
        #expect(try db.count("tickets") == 1)
        #expect(try db.count("messages") == 1)
        #expect(try user.agent(["export", "--with-attachments"]).stdout == before.stdout)

        let again = try user.agent(["import", file])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(try db.count("tickets") == 6)
        // The next ticket comes after the largest imported id.
        #expect(try user.tickets(["open", "-s", "After the import", "-m", "x", "-q"]).stdout == "7\n")
    }

    /// The server stops (pg_ctl stop -m immediate) while a reply and an import wait on
    /// psql's locks: both exit 69, the reply's text is in a draft, and after the restart
    /// nothing of either is there; both then go through.
    @Test func theServerStoppedMidCommandIs69AndLeavesNothingHalfWritten() throws {
        _ = try PostgresSupport.requireServer()
        let cluster = try PrivateCluster()
        var route = ServerDatabase.Route.direct
        if TestStore.current == .pgbouncer {
            guard let b = cluster.bouncer else { throw PostgresTestError("pgbouncer is not installed") }
            route = .bouncer(b)
        }
        let db = try ServerDatabase(server: cluster.server, route: route)
        let user = TicketsUser(db: db.uri)
        let file = try Self.sixTicketExport(user)
        #expect(try user.tickets(["open", "-s", "Already there", "-m", "x", "-q"]).stdout == "1\n")
        let before = try user.agent(["export", "--with-attachments"])
        let events = try db.count("events")

        let holder = try Self.holdTicketsOneAndFive(db)
        let typed = "Typed just before the crash.\n"
        let reply = try user.start(["reply", "1", "-F", "-"], stdin: typed)
        let importing = try user.start(["import", file], env: TicketsUser.agent)
        #expect(try PostgresSupport.eventually { try Self.waitersOnLocks(db) == 2 }, "the reply and the import never waited")
        let stopped = Date()
        try cluster.stop()
        let r = reply.finish()
        let i = importing.finish()
        holder.close()
        #expect(Date().timeIntervalSince(stopped) < 10)
        #expect(r.code == 69, "\(r.stderr)")
        #expect(r.isOneErrorLine, "\(r.stderr)")
        #expect(try String(contentsOfFile: try #require(r.draft, "\(r.stderr)"), encoding: .utf8) == typed)
        #expect(i.code == 69, "\(i.stderr)")
        #expect(i.isOneErrorLine, "\(i.stderr)")

        // While it is down: 69 at once.
        let down = try user.tickets(["list"])
        #expect(down.code == 69 && down.seconds < 5, "\(down.stderr)")

        try cluster.start()
        #expect(try db.count("tickets") == 1)
        #expect(try db.count("messages") == 1)
        #expect(try db.count("events") == events)
        #expect(try user.agent(["export", "--with-attachments"]).stdout == before.stdout)
        let retried = try user.tickets(["reply", "1", "-F", try #require(r.draft)])
        #expect(retried.code == 0, "\(retried.stderr)")
        let imported = try user.agent(["import", file])
        #expect(imported.code == 0, "\(imported.stderr)")
        #expect(try db.count("tickets") == 6)
    }

    // MARK: Addresses and their errors

    /// A password typed with a raw `?` or `/` (a URI should percent-encode them) never
    /// shows: libpq takes `pa?ss...` as the password and finds no server (69), and reads
    /// `someone:pa` before the `/` as a host and a port that is no number (78).
    @Test func aPasswordWithAQuestionMarkOrASlashIsNeverPrinted() throws {
        let user = TicketsUser(db: nil)
        let port = try SilentListener.unusedPort()
        for (uri, code) in [("postgresql://someone:pa?ss-SECRET-q@127.0.0.1:\(port)/tickets", Int32(69)),
                            ("postgresql://someone:pa/ss-SECRET-s@127.0.0.1:\(port)/tickets", 78)] {
            let r = try user.tickets(["--db", uri, "list"])
            #expect(r.code == code, "\(r.stderr)")
            #expect(r.isOneErrorLine, "\(r.stderr)")
            #expect(!r.contains("SECRET"), "\(r.stderr)")
        }
    }

    /// A URI libpq cannot parse (an unknown parameter, a port that is no number, an
    /// sslmode that does not exist) is a configuration error, not a server to retry later.
    @Test func aMalformedURIIsConfigurationNot69() throws {
        let server = try PostgresSupport.requireServer()
        let user = TicketsUser(db: nil)
        for uri in [server + "&bogus=1", "postgresql://someone@127.0.0.1:notaport/tickets", server + "&sslmode=bogus"] {
            let r = try user.tickets(["--db", uri, "list"])
            #expect(r.isOneErrorLine, "\(r.stderr)")
            #expect(r.code == 78, "\(r.stderr)")
            #expect(!r.stderr.contains("retrying later"), "\(r.stderr)")
        }
    }

    /// libpq's multi-line messages ("...failed: Connection refused\n\tIs the server
    /// running...") become one line with a visible ␉ (U+2409) where the tab was.
    @Test func theUnreachableMessageHasNoControlPicture() throws {
        let user = TicketsUser(db: nil)
        let port = try SilentListener.unusedPort()
        let r = try user.tickets(["--db", "postgresql://someone@127.0.0.1:\(port)/tickets", "list"])
        #expect(r.code == 69)
        #expect(!r.stderr.contains("\u{2409}"), "\(r.stderr)")
        #expect(!r.stderr.contains(" ;"), "\(r.stderr)")
    }

    // MARK: Moving a team

    @Test func movingATeamGivesByteIdenticalOutputFromBothStores() throws {
        let team = try TeamWorld.shared()
        #expect(team.move.code == 0, "\(team.move.stderr)")
        #expect(team.move.stderr.isEmpty, "\(team.move.stderr)")
        #expect(team.move.stdout == "imported \(team.ticketCount) tickets, skipped 0 existing\n")
        let now = ["TICKETS_NOW": "2026-12-24T12:00:00Z"]
        let agent = TicketsUser.agent.merging(now) { $1 }
        let carol = TicketsUser.carol.merging(now) { $1 }
        func run(_ args: [String], _ env: [String: String], on db: String) throws -> TicketsUser.Timed {
            try team.user.tickets(args, env: env.merging(["TICKETS_DB": db]) { $1 })
        }
        func expectSame(_ a: TicketsUser.Timed, _ b: TicketsUser.Timed, _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(a.code == b.code, "\(what): \(a.code) vs \(b.code): \(b.stderr)", sourceLocation: sourceLocation)
            #expect(a.stdout == b.stdout, "\(what): \(Self.firstDifference(a.stdout, b.stdout))", sourceLocation: sourceLocation)
            #expect(a.stderr == b.stderr, "\(what): \(a.stderr) vs \(b.stderr)", sourceLocation: sourceLocation)
        }
        let reads: [(args: [String], env: [String: String])] = [
            (["export", "--with-attachments"], agent),
            (["export", "--format", "ndjson", "--with-attachments"], agent),
            (["export", "--csv"], agent),
            (["export"], now),
            (["export", "--format", "ndjson"], carol),
            (["list", "--json", "--status", "all"], agent),
            (["list", "--json", "--status", "all"], now),
            (["list", "--json", "--status", "all"], carol),
            (["list", "--status", "all", "-L", "0"], agent),
            (["list", "--csv", "--status", "all", "--sort", "priority"], agent),
            (["list", "--count", "--by", "status", "--status", "all"], agent),
            (["list", "--count", "--by", "assignee", "--status", "all", "--json"], agent),
            (["list", "--overdue", "--json"], agent),
            (["list", "--json", "--updated-since", "2026-11-01T15:00:00Z", "--status", "all"], agent),
        ]
        for read in reads {
            let label = "\(read.args.joined(separator: " ")) as \(read.env["TICKETS_NAME"] ?? "Alice Example")"
            let lite = try run(read.args, read.env, on: team.file)
            #expect(lite.code == 0, "\(label): \(lite.stderr)")
            expectSame(lite, try run(read.args, read.env, on: team.db.uri), label)
        }
        // Each ticket as each person: the server gives what a SQLite file imported from the
        // same export gives, and what the original file gives.
        for id in 1...team.ticketCount {
            for (who, env) in [("Alice", now), ("Bob", agent), ("Carol", carol)] {
                for args in [["show", "\(id)"], ["show", "\(id)", "--json"]] {
                    let label = "\(args.joined(separator: " ")) as \(who)"
                    let pg = try run(args, env, on: team.db.uri)
                    expectSame(try run(args, env, on: team.copy), pg, label + " (imported copy)")
                    let original = try run(args, env, on: team.file)
                    expectSame(original, pg, label)
                    // The reasons given to close, cancel and reopen are still labelled as such.
                    if team.reasonTickets.contains(id) && args.count == 2 && who == "Bob" {
                        #expect(pg.stdout.contains("reason for "), "\(label): \(pg.stdout)")
                    }
                }
            }
        }
        let export = try run(["export", "--with-attachments"], agent, on: team.db.uri)
        #expect(export.stdout.contains("打印机坏了 (3楼)"))
        // The attachments' bytes, and their SHA-256 as stored.
        let pngSum = try team.user.shell("sha256sum \"$F\" | cut -c1-64", env: ["F": team.user.dir + "/screen.png"]).stdout
        #expect(pngSum.count == 65)
        #expect(export.stdout.contains("\"sha256\":\"\(pngSum.trimmingCharacters(in: .whitespacesAndNewlines))\""))
        let png = try Data(contentsOf: URL(fileURLWithPath: team.user.dir + "/screen.png")).base64EncodedString()
        #expect(export.stdout.contains(png))
    }

    /// Where two outputs part: the first line that differs, from each.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            return "line \(i + 1): SQLite \(i < x.count ? String(x[i].prefix(300)) : "<end>") | PostgreSQL \(i < y.count ? String(y[i].prefix(300)) : "<end>")"
        }
        return "the same"
    }

    /// The same queries, in several languages and scripts, find the same tickets on the
    /// SQLite file and on the server it was moved to, for a requester and an agent.
    @Test(arguments: SearchLanguageTests.cases.map(\.value.query) + ["firmware", "fuser", "打印机 3楼", "3楼", "e\u{301}cole", "école", "ΟΔΟΣ κλειστή", "résumé naïve", "🔥 smoking",
                 "ci:main:build", "run 2", "mistake"])
    func searchFindsTheSameOnBothStores(query: String) throws {
        let team = try TeamWorld.shared()
        for (who, env) in [("Alice", [String: String]()), ("Bob", TicketsUser.agent)] {
            for args in [["list", "-q", "--status", "all", "-S", query], ["list", "--count", "--status", "all", "-S", query]] {
                let lite = try team.user.tickets(args, env: env.merging(["TICKETS_DB": team.file]) { $1 })
                let pg = try team.user.tickets(args, env: env.merging(["TICKETS_DB": team.db.uri]) { $1 })
                #expect(lite.code == pg.code && lite.code == 0, "\(who) \(args): \(pg.stderr)")
                #expect(lite.stdout == pg.stdout, "\(who) -S \(query): SQLite \(lite.stdout.split(separator: "\n")) vs PostgreSQL \(pg.stdout.split(separator: "\n"))")
            }
        }
    }

    /// An export with U+0000 in a body: refused by import on both stores the same way (65),
    /// nothing imported.
    @Test func aNULInAnExportIsRefusedTheSameWayOnBothStores() throws {
        let user = TicketsUser(db: nil)
        let source = ["TICKETS_DB": user.dir + "/source.db"]
        #expect(try user.tickets(["open", "-s", "NUL inside", "-m", "before after", "-q"], env: source).code == 0)
        #expect(try user.tickets(["reply", "1", "-m", "An answer."], env: TicketsUser.agent.merging(source) { $1 }).code == 0)
        for format in ["json", "ndjson"] {
            let export = try user.tickets(["export", "--format", format], env: TicketsUser.agent.merging(source) { $1 })
            #expect(export.code == 0, "\(export.stderr)")
            let text = export.stdout.replacingOccurrences(of: "before after", with: "before\\u0000after")
            #expect(text != export.stdout)
            let file = user.write("nul.\(format)", Array(text.utf8))
            let db = try ServerDatabase(server: try PostgresSupport.requireServer())
            let lite = user.dir + "/nul-\(format).db"
            var results = [TicketsUser.Timed]()
            for target in [lite, db.uri] {
                let env = TicketsUser.agent.merging(["TICKETS_DB": target]) { $1 }
                let fromFile = try user.tickets(["import", file], env: env)
                let fromStdin = try user.tickets(["import", "-"], stdin: text, env: env)
                for r in [fromFile, fromStdin] {
                    #expect(r.code == 65, "\(target): \(r.stderr)")
                    #expect(r.isOneErrorLine, "\(r.stderr)")
                    #expect(r.stderr.contains("U+0000"), "\(r.stderr)")
                }
                results += [fromFile, fromStdin]
                #expect(try user.tickets(["list", "--count", "--status", "all"], env: env).stdout == "0\n")
            }
            #expect(results[0].stderr == results[2].stderr, "SQLite: \(results[0].stderr) PostgreSQL: \(results[2].stderr)")
            #expect(results[1].stderr == results[3].stderr, "SQLite: \(results[1].stderr) PostgreSQL: \(results[3].stderr)")
        }
    }
}

/// A team's tickets made with the commands on a SQLite file (tickets, replies, internal
/// notes, attachments, edits, a merge, a rating, cc, a canceled and a reopened ticket, a
/// dedupe key, subjects in several scripts, and SearchLanguageTests' tickets), then moved
/// to a server database the way the README says:
/// `tickets export --with-attachments | TICKETS_DB=postgres://… tickets import -`.
/// Built once; only read afterwards.
final class TeamWorld: @unchecked Sendable {
    let user: TicketsUser
    let file: String
    let db: ServerDatabase
    let move: TicketsUser.Timed
    let ticketCount: Int
    /// A second SQLite file imported from the same export.
    let copy: String
    /// The tickets whose show labels a message as the reason for a change (their show
    /// must survive the move: export and import keep `message_id`).
    let reasonTickets: Set<Int>

    private static let built: Result<TeamWorld, PostgresTestError> = {
        do { return .success(try TeamWorld()) } catch let e as PostgresTestError { return .failure(e) } catch {
            return .failure(PostgresTestError("\(error)"))
        }
    }()

    static func shared() throws -> TeamWorld { try built.get() }

    private init() throws {
        let server = try PostgresSupport.requireServer()
        let user = TicketsUser(db: nil)
        let file = user.dir + "/team.db"
        let start = Date(timeIntervalSince1970: 1_793_523_600) // 2026-11-01T09:00:00Z
        let iso = ISO8601DateFormatter()
        var minute = 0
        /// One command at the next step of the team's clock.
        @discardableResult
        func run(_ args: [String], as who: [String: String] = [:], stdin: String = "") throws -> String {
            minute += 37
            let now = iso.string(from: start.addingTimeInterval(Double(minute * 60)))
            let r = try user.tickets(args, stdin: stdin, env: who.merging(["TICKETS_DB": file, "TICKETS_NOW": now]) { $1 })
            guard r.code == 0 else { throw PostgresTestError("building the team: \(args) exited \(r.code): \(r.stderr)") }
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let agent = TicketsUser.agent, carol = TicketsUser.carol
        let log = user.write("trace.log", Array("line 1\nline 2\tand a tab\n".utf8))
        let png = user.write("screen.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0...255).map { UInt8($0) })
        let notes = user.write("notes.txt", Array("UTF-8: naïve 🔥 e\u{301}cole\r\nCRLF line\n".utf8))

        let t1 = try run(["open", "-s", "Printer on fire", "-m", "Smoke everywhere.", "-a", log, "-a", png,
                          "--cc", "dave@example.com", "-p", "high", "-d", "technical", "--service", "printing", "-q"])
        try run(["reply", t1, "-m", "Unplug it, please."], as: agent)
        try run(["reply", t1, "--internal", "-m", "secret note: firmware bug, zebra"], as: agent)
        try run(["reply", t1, "-F", "-", "-a", notes], stdin: "Unplugged.\nStill smoking: naïve 🔥 e\u{301}cole\n")
        try run(["assign", t1], as: agent)
        try run(["close", t1, "-m", "Replaced the fuser."], as: agent)
        try run(["rate", t1, "5", "--review", "Fast and kind."])
        let t2 = try run(["open", "-s", "打印机坏了", "-m", "无法打印，请帮忙。", "-q"])
        try run(["edit", t2, "-s", "打印机坏了 (3楼)", "-p", "urgent", "-d", "technical", "--service", "printing",
                 "--add-cc", "ops@example.com", "-m", "Routing to the 3rd floor team."], as: agent)
        let t3 = try run(["open", "-s", "Disk full", "-m", "quota exceeded", "-q"])
        let t4 = try run(["open", "-s", "Storage issue", "-m", "out of room", "-q"])
        try run(["merge", t3, "--into", t4, "-m", "Same problem."], as: agent)
        let t5 = try run(["open", "-s", "Wrong form", "-m", "Sent by mistake.", "-q"], as: carol)
        try run(["cancel", t5, "-m", "Never mind."], as: carol)
        let t6 = try run(["open", "-s", "VPN drops at night", "-m", "the tunnel resets", "-q"])
        try run(["reply", t6, "-m", "Fixed the MTU."], as: agent)
        try run(["close", t6])
        try run(["reopen", t6, "-m", "It is back."])
        let t7 = try run(["open", "-s", "CI failed", "-m", "run 1", "--dedupe-key", "ci:main:build", "-q"])
        guard try run(["open", "-s", "CI failed", "-m", "run 2", "--dedupe-key", "ci:main:build", "-q"]) == t7 else {
            throw PostgresTestError("building the team: the dedupe key made a second ticket")
        }
        try run(["edit", t7, "--add-cc", "ci@example.com,qa@example.com"])
        try run(["edit", t1, "--remove-cc", "dave@example.com", "-m", "Dave left."], as: agent)
        // SearchLanguageTests' tickets, with their internal note, edit and merge.
        var ids = [String: String]()
        for t in SearchLanguageTests.tickets { ids[t.name] = try run(["open", "-s", t.subject, "-m", t.message, "-q"]) }
        try run(["open", "-s", "Printer jam", "-m", "paper stuck, quota mammoth", "-q"], as: carol)
        try run(["reply", ids["vpn"]!, "--internal", "-m", "secretword zebra"], as: agent)
        try run(["edit", ids["edited"]!, "-s", "Brand new title"], as: agent)
        try run(["merge", ids["merged-source"]!, "--into", ids["merged-target"]!], as: agent)

        let db = try ServerDatabase(server: server)
        move = try user.shell(#"tickets export --with-attachments | TICKETS_DB="$PGURI" tickets import -"#,
                              env: agent.merging(["TICKETS_DB": file, "PGURI": db.uri, "TICKETS_NOW": "2026-12-01T08:00:00Z"]) { $1 })
        let copy = user.dir + "/copy.db"
        let copied = try user.shell(#"tickets export --with-attachments | TICKETS_DB="$COPY" tickets import -"#,
                                    env: agent.merging(["TICKETS_DB": file, "COPY": copy]) { $1 })
        guard copied.code == 0 else { throw PostgresTestError("building the team: the SQLite copy: \(copied.stderr)") }
        self.copy = copy
        reasonTickets = Set([t1, t5, t6].compactMap { Int($0) })
        let count = try user.agent(["list", "--count", "--status", "all"], env: ["TICKETS_DB": file])
        ticketCount = Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        self.user = user
        self.file = file
        self.db = db
    }
}
