#!/usr/bin/env python3
"""Writes a realistic tickets data set in the format `tickets export --format ndjson` writes
(and `tickets import` reads): one ticket object a line, with messages, events and ratings.

Shape, chosen to look like a help desk that has run for two years:
- ids ascend with creation time over the 730 days before NOW; tickets older than 30 days
  are almost all closed or canceled, recent ones spread over every status;
- 1 to 10 messages per ticket (mean about 3.1), bodies of 40 B to 4 KB (median about
  250 B), from a Zipf-distributed vocabulary with order numbers and error codes;
- `answered` tickets were answered within the last 6 days, so `close --stale 7d` finds
  none of them (the stale benchmark adds its own 10,000);
- ratings on 40 % of closed tickets, cc on 10 %, dedupe keys on 3 %, internal notes;
- RARE_WORD in a handful of tickets (subject or body), at least one of them active.

Usage: generate.py N OUT [--stale] [--first-id K]
  --stale: N `answered` tickets whose last message is 10-40 days old (for close --stale).
Deterministic for a given N (fixed seed), two worker processes.
"""
import json
import multiprocessing
import random
import sys

NOW = 1795348800  # 2026-11-22T12:00:00Z, passed to every command as TICKETS_NOW
DAY = 86400
RARE_WORD = "quokkafrost"
MSG_WEIGHTS = [25, 25, 17, 11, 8, 5, 4, 2, 2, 1]  # 1..10 messages, mean 3.12
DEPARTMENTS = ["technical", "billing", "sales", "account", "bug", "feature", "other"]
DEPT_WEIGHTS = [35, 20, 8, 15, 12, 6, 4]
PRIORITIES = ["low", "medium", "high", "urgent"]
PRIO_WEIGHTS = [25, 50, 20, 5]
SERVICES = [None, "web", "api", "mobile", "billing-portal", "sso", "exports"]
RECENT_STATUSES = ["open", "in-progress", "answered", "customer-reply", "closed", "canceled"]
RECENT_WEIGHTS = [18, 14, 16, 8, 38, 6]

COMMON = """the to a and i is it of you for we on that this have in not with my be are can
please when but our from was your after error get at as an will there if any account
login page does again all update problem issue help thanks thank hello hi customer support
order invoice payment card charged twice refund password reset email link expired app
crash crashes version android ios browser chrome firefox safari upload download file
export import report dashboard settings sync data missing slow timeout server api key
token request response status code billing plan upgrade downgrade subscription cancel
team member invite permission admin role access denied blocked two factor authentication
device phone screen button click shows message since yesterday today morning week still
working broken fixed tried cleared cache cookies restarted reinstalled same result could
you look into this asap urgent deadline client meeting best regards kind cheers sorry
delay investigating engineering team escalated workaround meanwhile confirm steps
reproduce attached screenshot log logs details following below above regarding ticket
number reference previous conversation colleague manager company address vat receipt
""".split()

SYLLABLES = "ka lo mi nu pe ra si to va ze bri cho dra fle gri kro pla sto tre vin".split()


def rfc3339(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def vocabulary(rng):
    """Common words plus a long tail of product names, commands and jargon."""
    tail = set()
    while len(tail) < 6000:
        tail.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return COMMON + sorted(tail)


def body_pool(rng, words, size):
    """Message bodies with a realistic length spread, JSON-escaped once."""
    weights = [1.0 / (i + 1) for i in range(len(words))]  # Zipf
    pool = []
    for _ in range(size):
        length = int(min(4000, max(40, rng.lognormvariate(5.5, 0.8))))
        text = []
        n = 0
        while n < length:
            sentence = " ".join(rng.choices(words, weights, k=rng.randint(5, 16)))
            sentence = sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ".", "?", "!"])
            text.append(sentence)
            n += len(sentence) + 1
            if rng.random() < 0.15:
                text.append("\n\n")
        pool.append(" ".join(text).replace(" \n\n ", "\n\n"))
    return pool


SUBJECTS = ["Cannot log in", "Charged twice for {}", "{} export fails", "App crashes on {}",
            "Refund request for order {}", "Password reset link expired", "Invite {} to our team",
            "Slow dashboard since update", "API returns 500 on {}", "Question about {} plan",
            "Sync stuck on {}", "Feature request: {}", "Invoice {} missing VAT", "SSO error {}"]


def person(rng, i, domain="example.com"):
    first = ["Ana", "Ben", "Chen", "Dara", "Emil", "Fatima", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena",
             "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wei", "Yara", "Zoe"]
    last = ["Adams", "Brown", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
            "Kim", "Lopez", "Müller", "Novak", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Weber"]
    f, l = first[i % len(first)], last[(i // len(first)) % len(last)]
    return f + " " + l, "%s.%s%d@%s" % (f.lower(), l.lower().replace("ü", "u"), i, domain)


AGENTS = [("Support Agent %d" % i, "agent%d@support.example" % i) for i in range(1, 21)]


def j(s):
    return json.dumps(s, ensure_ascii=False)


def person_json(name, email):
    return '{"name":%s,"email":%s}' % (j(name), j(email))


def ticket_line(rng, tid, mid, eid, words, pool, n, stale):
    """One ticket as a JSON line; returns (line, next message id, next event id)."""
    if stale:
        created = NOW - rng.randint(15 * DAY, 60 * DAY)
    else:
        created = NOW - 730 * DAY + int((tid - 0.5) / n * 730 * DAY) - rng.randint(0, 3600)
    age = NOW - created
    if stale:
        status = "answered"
    elif age > 30 * DAY:
        status = "closed" if rng.random() < 0.9 else "canceled"
        if rng.random() < 0.002:
            status = rng.choice(["open", "in-progress", "customer-reply"])
    else:
        status = rng.choices(RECENT_STATUSES, RECENT_WEIGHTS)[0]
    if tid == n and not stale:
        status = "open"  # the newest ticket carries RARE_WORD: `list -S` (active) finds it
    rname, remail = person(rng, rng.randint(0, 49999))
    topic = rng.choice(words[len(COMMON):len(COMMON) + 300])
    subject = rng.choice(SUBJECTS).format(topic if rng.random() < 0.7 else str(rng.randint(10000, 99999)))
    rare = (tid % 50_000 == 7) or tid == n
    if rare and tid % 2 == 0:
        subject += " " + RARE_WORD
    count = rng.choices(range(1, 11), MSG_WEIGHTS)[0]
    if status == "open":
        count = 1 if rng.random() < 0.7 else count
    if status == "canceled":
        count = 1
    # Times: messages spread after creation; answered tickets end with a recent agent reply.
    end = NOW - rng.randint(60, 6 * DAY) if status == "answered" and not stale else None
    if stale:
        end = NOW - rng.randint(10 * DAY, 14 * DAY)
    if end is None:
        span = min(age - 60, rng.randint(600, 12 * DAY)) if age > 660 else max(age - 1, 1)
        end = created + span
    end = max(end, created + count)
    times = sorted(rng.randint(created, end) for _ in range(count - 1)) + [end]
    times[0] = created
    assignee = None if status in ("open", "canceled") and rng.random() < 0.8 else rng.choice(AGENTS)[1]
    messages = []
    roles = []
    for k in range(count):
        if k == 0:
            role = "requester"
        elif status == "answered" and k == count - 1:
            role = "agent"
        elif status == "customer-reply" and k == count - 1:
            role = "requester"
        else:
            role = "agent" if k % 2 == 1 else "requester"
        internal = role == "agent" and rng.random() < 0.05 and k != count - 1
        author = rng.choice(AGENTS) if role == "agent" else (rname, remail)
        body = rng.choice(pool)
        if rng.random() < 0.3:
            body += "\n\nOrder #%d, error E%04d." % (rng.randint(100000, 999999), rng.randint(0, 9999))
        if rare and k == count - 1 and tid % 2 == 1:
            body += " " + RARE_WORD
        messages.append('{"id":%d,"author":%s,"role":"%s","internal":%s,"body":%s,"created_at":"%s","attachments":[]}'
                        % (mid, person_json(*author), role, "true" if internal else "false", j(body), rfc3339(times[k])))
        roles.append(role)
        mid += 1
    updated = times[-1]
    closed_at = None
    rating = "null"
    events = ['{"id":%d,"actor":%s,"action":"open","from_status":null,"to_status":"open","created_at":"%s"}'
              % (eid, person_json(rname, remail), rfc3339(created))]
    eid += 1
    if status in ("closed", "canceled"):
        updated = closed_at = end + rng.randint(60, 3 * DAY)
        events.append('{"id":%d,"actor":%s,"action":"%s","from_status":"answered","to_status":"%s","created_at":"%s"}'
                      % (eid, person_json(rname, remail), "close" if status == "closed" else "cancel", status,
                         rfc3339(closed_at)))
        eid += 1
        if status == "closed" and rng.random() < 0.4:
            rated = closed_at + rng.randint(60, DAY)
            updated = rated
            review = rng.choice([None, "Quick and helpful.", "Solved, thanks!", "Took too long.",
                                 "Great support team.", "The workaround is fine for now."])
            rating = '{"stars":%d,"review":%s,"rated_at":"%s"}' % (rng.choices([1, 2, 3, 4, 5], [5, 5, 10, 30, 50])[0],
                                                                  j(review), rfc3339(rated))
            events.append('{"id":%d,"actor":%s,"action":"rate","from_status":"closed","to_status":"closed",'
                          '"created_at":"%s"}' % (eid, person_json(rname, remail), rfc3339(rated)))
            eid += 1
    elif len(roles) > 1:
        events.append('{"id":%d,"actor":%s,"action":"reply","from_status":"open","to_status":"%s","created_at":"%s"}'
                      % (eid, person_json(*AGENTS[0]), status, rfc3339(updated)))
        eid += 1
    cc = []
    if rng.random() < 0.1:
        cc = [person(rng, rng.randint(0, 49999))[1] for _ in range(rng.randint(1, 2))]
    dedupe = "ci-%d" % tid if rng.random() < 0.03 else None
    line = ('{"id":%d,"subject":%s,"status":"%s","priority":"%s","department":"%s","service":%s,"requester":%s,'
            '"cc":%s,"assignee":%s,"dedupe_key":%s,"created_at":"%s","updated_at":"%s","closed_at":%s,"rating":%s,'
            '"messages":[%s],"events":[%s]}\n') % (
        tid, j(subject), status, rng.choices(PRIORITIES, PRIO_WEIGHTS)[0],
        rng.choices(DEPARTMENTS, DEPT_WEIGHTS)[0], j(rng.choice(SERVICES)), person_json(rname, remail),
        j(cc), j(assignee), j(dedupe), rfc3339(created), rfc3339(updated),
        j(rfc3339(closed_at)) if closed_at else "null", rating, ",".join(messages), ",".join(events))
    return line, mid, eid


def chunk(args):
    first, last, n, stale, path = args
    rng = random.Random(first * 7919 + n)
    words = vocabulary(random.Random(42))
    pool = body_pool(random.Random(43), words, 4000)
    # Every ticket has at most 10 messages and 3 events: ids from fixed blocks stay unique.
    mid = (first - 1) * 10 + 1
    eid = (first - 1) * 3 + 1
    with open(path, "w") as f:
        for tid in range(first, last + 1):
            line, mid, eid = ticket_line(rng, tid, mid, eid, words, pool, n, stale)
            f.write(line)


def main():
    args = sys.argv[1:]
    stale = "--stale" in args
    first_id = 1
    if "--first-id" in args:
        first_id = int(args[args.index("--first-id") + 1])
    n, out = int(args[0]), args[1]
    parts = 8 if n >= 10000 else 1
    step = (n + parts - 1) // parts
    jobs = []
    for p in range(parts):
        a, b = p * step + 1, min(n, (p + 1) * step)
        if a <= b:
            jobs.append((first_id + a - 1, first_id + b - 1, first_id + n - 1, stale, "%s.part%d" % (out, p)))
    with multiprocessing.Pool(min(2, len(jobs))) as pool:
        pool.map(chunk, jobs)
    with open(out, "wb") as f:
        for job in jobs:
            with open(job[4], "rb") as part:
                while True:
                    block = part.read(1 << 22)
                    if not block:
                        break
                    f.write(block)
    import os
    for job in jobs:
        os.remove(job[4])


if __name__ == "__main__":
    main()
