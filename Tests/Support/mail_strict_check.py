"""Reads one email (bytes) on stdin, parses it with Python's email package under
policy.strict and prints what it found as one JSON object. The Swift tests judge the
result; this script only reports, so a parser quirk shows up as a failed expectation
with the parsed values beside it.

Checks beyond parsing:
- reencoded_same: the message written back out (policy.SMTP, CRLF) and parsed again
  has the same headers and body, i.e. every header survives re-encoding.
- crlf_same: the canonical form (every LF turned into CRLF) parses to the same values.
"""
import email
import json
import re
import sys
from email import policy
from email.header import decode_header, make_header
from email.utils import getaddresses


def rfc2047_names(raw):
    """Display names decoded as RFC 2047 §6.2 says: white space between two
    encoded-words is dropped. The strict parser keeps it inside a phrase, showing
    'Zo ë' for a name split over two encoded-words; mail readers follow the RFC."""
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", raw)
    return [str(make_header(decode_header(name))) for name, _ in getaddresses([unfolded])]


def summary(msg):
    headers = []
    raw = dict(msg.raw_items())
    for name, value in msg.items():
        h = {"name": name, "value": str(value), "defects": [repr(d) for d in value.defects]}
        if hasattr(value, "addresses"):
            h["rfc2047_names"] = rfc2047_names(raw[name])
            h["addresses"] = [{"name": a.display_name, "address": a.addr_spec} for a in value.addresses]
            # The address unquoted: the local part as the mail system will use it.
            h["mailboxes"] = [a.username + "@" + a.domain for a in value.addresses]
        if hasattr(value, "datetime") and value.datetime is not None:
            h["datetime"] = value.datetime.isoformat()
        headers.append(h)
    return {
        "defects": [repr(d) for d in msg.defects],
        "headers": headers,
        "multipart": msg.is_multipart(),
        "content_type": msg.get_content_type(),
        "charset": msg.get_content_charset(),
        # A CRLF message keeps CRLF in the decoded text; the text is the same.
        "body": msg.get_content().replace("\r\n", "\n"),
    }


def check(data):
    msg = email.message_from_bytes(data, policy=policy.strict)
    first = summary(msg)
    again = summary(email.message_from_bytes(msg.as_bytes(policy=policy.SMTP), policy=policy.strict))
    crlf = summary(email.message_from_bytes(data.replace(b"\n", b"\r\n"), policy=policy.strict))
    result = dict(first)
    result["reencoded_same"] = again == first
    result["crlf_same"] = crlf == first
    # What differs, for the failure message.
    result["differences"] = [f"re-encoded {k}: {again[k]!r}" for k in first if again[k] != first[k]] + \
        [f"CRLF {k}: {crlf[k]!r}" for k in first if crlf[k] != first[k]]
    return result


if __name__ == "__main__":
    json.dump(check(sys.stdin.buffer.read()), sys.stdout)
