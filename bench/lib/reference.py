"""The reference work: what the sqlite3 shell (and psql) run for each `tickets` command.

Every statement here is one the command executes, copied from Sources/TicketsSQLite and
Sources/TicketsPostgres with its bound parameters written as literals, in the same order
and the same transactions:

- every command first checks the file's header (SQLiteStore.prepareSchema: BEGIN;
  PRAGMA application_id; PRAGMA user_version; COMMIT; PRAGMA foreign_keys = ON);
- list (table): the page of 31 rows (SQLiteStore.forEachTicket), the SLA deadline query for
  the shown tickets that wait on support (TicketStore.deadlines -> waitingSince), and, when
  more than 30 match, the footer count capped at 1000 (count(limit: 1001));
- show (table): the ticket, its messages, their attachments and its events in one read
  transaction (TicketStore.detail, history on for tables), then the waiting-since query
  when the ticket waits on support;
- list -S WORD: the page query with one FTS5 condition per search term over the
  contentless `ascii` tables, holding SearchText.indexForm's forms; then deadlines as list;
- open: the ticket, its subject's search form into subject_fts, the message, the body's
  search form into message_fts, the ticket read back, the event: one BEGIN IMMEDIATE;
- export: the ndjson document built by SQLite's JSON functions, byte-identical to
  `tickets export --format ndjson` (checked on every run).
"""
import re
import sqlite3

from .common import BODY_1K, NOW, SUBJECT

RARE = "quokkafrost"
ACTIVE = "('open','in-progress','answered','customer-reply')"
WAITING = ("open", "in-progress", "customer-reply")  # SLA.waitingStatuses

TICKET_COLUMNS = """t.id, t.subject, t.status, t.priority, t.department, t.service, t.requester_name,
t.requester_email, t.assignee, t.dedupe_key, t.created_at, t.updated_at, t.closed_at,
t.rating_stars, t.rating_review, t.rated_at,
(SELECT group_concat(c.email, char(10)) FROM ticket_cc c WHERE c.ticket_id = t.id)"""

WAITING_SINCE = """max(COALESCE((SELECT min(r.created_at) FROM messages r
              WHERE r.ticket_id = t.id AND r.role = 'requester' AND r.id > COALESCE(
                  (SELECT max(a.id) FROM messages a WHERE a.ticket_id = t.id AND a.role = 'agent' AND a.internal = 0), 0)),
             t.created_at),
    COALESCE((SELECT max(e.created_at) FROM events e WHERE e.ticket_id = t.id AND e.action = 'reopen'), ''))"""

HEADER = "BEGIN; PRAGMA application_id; PRAGMA user_version; COMMIT; PRAGMA foreign_keys = ON;\n"


def q(s):
    return "'" + s.replace("'", "''") + "'"


def search_form(text):
    """SearchText.indexForm for ASCII text (every text the bench writes): lowercased runs
    of letters and digits, one space between them."""
    assert text.isascii()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def email_key(email):
    """EmailIdentity.key for an ASCII address: NFKC and case folding are lowercasing."""
    assert email.isascii()
    return email.lower()


def page_sql(where=""):
    return ("SELECT %s FROM tickets t WHERE t.status IN %s%s ORDER BY t.updated_at DESC, t.id DESC LIMIT 31"
            % (TICKET_COLUMNS, ACTIVE, where))


def search_where(word=RARE):
    match = q('"%s"' % search_form(word))
    return ("\n AND t.id IN (SELECT rowid FROM subject_fts WHERE subject_fts MATCH %s\n"
            "   UNION SELECT m.ticket_id FROM message_fts JOIN messages m ON m.id = message_fts.rowid\n"
            "         WHERE message_fts MATCH %s AND (m.internal = 0 OR 1))" % (match, match))


def deadlines_sql(ids):
    if not ids:
        return ""
    return ("BEGIN;\nSELECT t.id, %s FROM tickets t WHERE t.id IN (SELECT value FROM json_each('[%s]'));\nCOMMIT;\n"
            % (WAITING_SINCE, ",".join(map(str, ids))))


class Dataset:
    """What the commands will find in this database, read once with Python's sqlite3: the
    rows of the first page (which of them wait on support, whether more match), the same
    for the search, and the ticket `show` displays."""

    def __init__(self, path):
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        self.page = db.execute(page_sql()).fetchall()
        self.search = db.execute(page_sql(search_where())).fetchall()
        # show: the newest ticket waiting on support with 4 messages (so the waiting-since
        # query runs, and the work is alike at every size), else the newest waiting one.
        row = db.execute("""SELECT t.id FROM tickets t WHERE t.status IN ('in-progress','customer-reply')
                            AND (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id) = 4
                            ORDER BY t.id DESC LIMIT 1""").fetchone() or \
            db.execute("SELECT id FROM tickets WHERE status IN ('in-progress','customer-reply') ORDER BY id DESC LIMIT 1").fetchone()
        self.show_id = row[0]
        self.show_status = db.execute("SELECT status FROM tickets WHERE id = ?", (self.show_id,)).fetchone()[0]
        self.show_messages = db.execute("SELECT count(*) FROM messages WHERE ticket_id = ?", (self.show_id,)).fetchone()[0]
        self.tickets = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
        db.close()

    @staticmethod
    def shown_waiting(rows):
        shown = rows[:30]
        return [r[0] for r in shown if r[2] in WAITING]

    def list_sql(self):
        return (HEADER + "BEGIN;\n" + page_sql() + ";\nCOMMIT;\n" + deadlines_sql(self.shown_waiting(self.page))
                + (("SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE t.status IN %s LIMIT 1001);\n" % ACTIVE)
                   if len(self.page) > 30 else ""))

    def search_sql(self):
        where = search_where()
        return (HEADER + "BEGIN;\n" + page_sql(where) + ";\nCOMMIT;\n" + deadlines_sql(self.shown_waiting(self.search))
                + (("SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE t.status IN %s%s LIMIT 1001);\n" % (ACTIVE, where))
                   if len(self.search) > 30 else ""))

    def show_sql(self):
        i = self.show_id
        return (HEADER + "BEGIN;\n"
                "SELECT %s FROM tickets t WHERE t.id = %d;\n"
                "SELECT id, author_name, author_email, role, body, internal, created_at\n"
                " FROM messages WHERE ticket_id = %d AND (internal = 0 OR 1) ORDER BY created_at, id;\n"
                "SELECT a.id, a.message_id, a.name, a.size, a.sha256, a.content_type\n"
                " FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = %d ORDER BY a.id;\n"
                "SELECT id, actor_name, actor_email, action, from_status, to_status, field, old_value, new_value, created_at,"
                " message_id\n FROM events WHERE ticket_id = %d AND (action <> 'note' OR 1) ORDER BY id;\n"
                "COMMIT;\n" % (TICKET_COLUMNS, i, i, i, i)
                + deadlines_sql([i] if self.show_status in WAITING else []))


def open_sql(person):
    """What `tickets open -s SUBJECT -m BODY_1K -q` writes (OpenCommand -> openTicket)."""
    name, email = person
    return (HEADER + "BEGIN IMMEDIATE;\n"
            "INSERT INTO tickets (subject, status, priority, department, service, requester_name, requester_email,\n"
            "                     requester_key, dedupe_key, created_at, updated_at)\n"
            " VALUES (%(subject)s, 'open', 'medium', 'other', NULL, %(name)s, %(email)s, %(key)s, NULL, %(now)s, %(now)s);\n"
            "INSERT INTO subject_fts (rowid, text) VALUES (last_insert_rowid(), %(subject_form)s);\n"
            "INSERT INTO messages (ticket_id, author_name, author_email, role, body, internal, created_at)\n"
            " VALUES ((SELECT max(id) FROM tickets), %(name)s, %(email)s, 'requester', %(body)s, 0, %(now)s);\n"
            "INSERT INTO message_fts (rowid, text) VALUES (last_insert_rowid(), %(body_form)s);\n"
            "SELECT %(columns)s FROM tickets t WHERE t.id = (SELECT max(id) FROM tickets);\n"
            "INSERT INTO events (ticket_id, actor_name, actor_email, action, from_status, to_status,\n"
            "                    field, old_value, new_value, created_at, message_id)\n"
            " VALUES ((SELECT max(id) FROM tickets), %(name)s, %(email)s, 'open', NULL, 'open', NULL, NULL, NULL, %(now)s,\n"
            "         (SELECT max(id) FROM messages));\n"
            "COMMIT;\n") % {"subject": q(SUBJECT), "name": q(name), "email": q(email), "key": q(email_key(email)),
                            "now": q(NOW), "subject_form": q(search_form(SUBJECT)), "body": q(BODY_1K),
                            "body_form": q(search_form(BODY_1K)), "columns": TICKET_COLUMNS}


# The last rows `open` wrote, compared between tickets' copy and the shell's (ids left out),
# with the tokens their search forms put in the two FTS5 indexes.
OPENED_ROWS = """SELECT subject, status, priority, department, service, requester_name, requester_email, requester_key,
       assignee, assignee_key, dedupe_key, created_at, updated_at, closed_at FROM tickets WHERE id = (SELECT max(id) FROM tickets);
SELECT author_name, author_email, role, body, internal, created_at FROM messages WHERE id = (SELECT max(id) FROM messages);
SELECT actor_name, actor_email, action, from_status, to_status, field, old_value, new_value, created_at,
       message_id = (SELECT max(id) FROM messages) FROM events WHERE id = (SELECT max(id) FROM events);
CREATE VIRTUAL TABLE temp.sv USING fts5vocab(main, 'subject_fts', 'instance');
CREATE VIRTUAL TABLE temp.mv USING fts5vocab(main, 'message_fts', 'instance');
SELECT group_concat(term, ' ') FROM (SELECT term FROM temp.sv WHERE doc = (SELECT max(id) FROM tickets) ORDER BY offset);
SELECT group_concat(term, ' ') FROM (SELECT term FROM temp.mv WHERE doc = (SELECT max(id) FROM messages) ORDER BY offset);"""


def export_args():
    """The shell's arguments for `tickets export --format ndjson`: the header check with its
    output thrown away, then the document as SQLite's JSON functions write it: the tickets by
    id, each with its messages (ORDER BY created_at, id, as SQLiteStore.messages reads
    them), their attachments and its events with the fields of SPEC §6."""
    person = "json_object('name', %s_name, 'email', %s_email)"
    message = ("json_object('id', m.id, 'author', %s, 'role', m.role, 'internal', json(iif(m.internal, 'true', 'false')),"
               " 'body', m.body, 'created_at', m.created_at, 'attachments', json((SELECT json_group_array(json_object("
               "'id', a.id, 'name', a.name, 'size', a.size, 'sha256', a.sha256, 'content_type', a.content_type))"
               " FROM (SELECT * FROM attachments WHERE message_id = m.id ORDER BY id) a)))") % (person % ("m.author", "m.author"))
    event = ("json_object('id', e.id, 'actor', %s, 'action', e.action, 'from_status', e.from_status,"
             " 'to_status', e.to_status, 'field', e.field, 'old_value', e.old_value, 'new_value', e.new_value,"
             " 'message_id', e.message_id, 'created_at', e.created_at)") % (person % ("e.actor", "e.actor"))
    return [".output /dev/null", HEADER, ".output stdout", "SELECT json_object('id', t.id, 'subject', t.subject, 'status', t.status, 'priority', t.priority,"
            " 'department', t.department, 'service', t.service, 'requester', %s,"
            " 'cc', json((SELECT json_group_array(email) FROM (SELECT email FROM ticket_cc WHERE ticket_id = t.id ORDER BY position))),"
            " 'assignee', t.assignee, 'dedupe_key', t.dedupe_key, 'created_at', t.created_at, 'updated_at', t.updated_at,"
            " 'closed_at', t.closed_at, 'rating', iif(t.rating_stars IS NULL, NULL, json_object('stars', t.rating_stars,"
            " 'review', t.rating_review, 'rated_at', t.rated_at)),"
            " 'messages', json((SELECT json_group_array(%s) FROM (SELECT * FROM messages WHERE ticket_id = t.id"
            " ORDER BY created_at, id) m)),"
            " 'events', json((SELECT json_group_array(%s) FROM (SELECT * FROM events WHERE ticket_id = t.id ORDER BY id) e)))"
            " FROM tickets t ORDER BY t.id;" % (person % ("t.requester", "t.requester"), message, event)]
