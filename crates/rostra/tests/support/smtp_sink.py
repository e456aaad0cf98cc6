#!/usr/bin/env python3
"""A real SMTP server on loopback for Rostra's mail tests (aiosmtpd).

Usage: smtp_sink.py PORT DIR

Every message it accepts becomes DIR/NNNNN.json: the envelope's recipients,
the decoded headers, and the plain-text and HTML parts (quoted-printable,
base64 and encoded words decoded by Python's email package), so that tests
read what a mail client would show. Prints "ready" once it listens.
"""
import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.n = len([f for f in os.listdir(folder) if f.endswith(".json")])

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {}
        for part in msg.walk():
            ctype = part.get_content_type()
            if ctype in ("text/plain", "text/html") and ctype not in parts:
                parts[ctype] = part.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt": envelope.rcpt_tos,
            "headers": {k: str(v) for k, v in msg.items()},
            "text": parts.get("text/plain", ""),
            "html": parts.get("text/html", ""),
        }
        self.n += 1
        path = os.path.join(self.folder, "%05d.json" % self.n)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
