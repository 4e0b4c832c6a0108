"""A minimal SMTP server (RFC 5321) for the end-to-end test: listens on 127.0.0.1 at
a free port, prints the port on stdout, takes one session, and writes what it received
as JSON to the file named by the first argument: the envelope, the DATA (dot-stuffing
undone, CRLF turned into LF as a local mailbox stores it) and mail_strict_check's
reading of it. With "tempfail" as the second argument it refuses MAIL FROM with 451.

smtpd left the standard library in Python 3.12 and aiosmtpd is not in it; this speaks
just enough SMTP for msmtp: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""
import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mail_strict_check import check  # noqa: E402


def serve(out_path, tempfail):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    print(listener.getsockname()[1], flush=True)
    conn, _ = listener.accept()
    conn.settimeout(60)
    stream = conn.makefile("rb")

    def reply(line):
        conn.sendall(line.encode() + b"\r\n")

    envelope = {"mail_from": None, "rcpt_to": [], "commands": []}
    reply("220 sink.test ESMTP ready")
    while True:
        line = stream.readline()
        if not line:
            break
        command = line.rstrip(b"\r\n").decode("ascii", "replace")
        verb = command.split(" ", 1)[0].upper()
        envelope["commands"].append(verb)
        if verb == "EHLO":
            reply("250-sink.test")
            reply("250-8BITMIME")
            reply("250 SIZE 10485760")
        elif verb == "HELO":
            reply("250 sink.test")
        elif verb == "MAIL":
            if tempfail:
                reply("451 4.3.0 sink is full, try again later")
                continue
            envelope["mail_from"] = command[len("MAIL FROM:"):].split(" ")[0].strip("<>")
            reply("250 2.1.0 ok")
        elif verb == "RCPT":
            envelope["rcpt_to"].append(command[len("RCPT TO:"):].split(" ")[0].strip("<>"))
            reply("250 2.1.5 ok")
        elif verb == "DATA":
            reply("354 end with <CRLF>.<CRLF>")
            lines = []
            while True:
                data_line = stream.readline()
                if data_line in (b".\r\n", b""):
                    break
                if data_line.startswith(b"."):
                    data_line = data_line[1:]
                lines.append(data_line)
            data = b"".join(lines)
            envelope["wire_crlf_only"] = all(l.endswith(b"\r\n") and b"\r" not in l[:-2] for l in lines)
            data = data.replace(b"\r\n", b"\n")
            envelope["data"] = data.decode("ascii", "replace")
            envelope["parsed"] = check(data)
            reply("250 2.0.0 queued")
        elif verb == "QUIT":
            reply("221 2.0.0 bye")
            break
        elif verb in ("RSET", "NOOP"):
            reply("250 ok")
        else:
            reply("502 5.5.2 not implemented")
    conn.close()
    with open(out_path, "w") as f:
        json.dump(envelope, f)


serve(sys.argv[1], len(sys.argv) > 2 and sys.argv[2] == "tempfail")
