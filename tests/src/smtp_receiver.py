"""A real SMTP server for the tests (aiosmtpd): TLS from a self-signed certificate (STARTTLS,
required, or TLS from the first byte), AUTH required with one user name and password, and each
accepted mail saved as one JSON file. Prints its port, then serves until stdin closes.

Arguments: mode (starttls | tls | none), certificate PEM, key PEM, user, password, directory.
A recipient whose address starts with "reject" is refused with 550.
"""

import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

mode, cert, key, user, password, directory = sys.argv[1:7]
counter = 0


class Saver:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        global counter
        counter += 1
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        parts = [
            {"content_type": part.get_content_type(), "content": part.get_content()}
            for part in message.walk()
            if not part.is_multipart()
        ]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "starttls": session.ssl is not None,
            "login": session.auth_data.login.decode() if session.authenticated else None,
            "content_type": message.get_content_type(),
            "headers": [[name, str(value)] for name, value in message.items()],
            "parts": parts,
            "raw": envelope.original_content.decode("utf-8", "replace"),
        }
        path = os.path.join(directory, f"{counter:04}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 saved"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == user.encode()
        and auth_data.password == password.encode()
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


async def main():
    context = None
    if mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
    loop = asyncio.get_running_loop()

    def protocol():
        return SMTP(
            Saver(),
            hostname="duban-test-smtp",
            tls_context=context if mode == "starttls" else None,
            require_starttls=mode == "starttls",
            auth_required=True,
            # With TLS from the first byte aiosmtpd does not know the connection is encrypted.
            auth_require_tls=mode == "starttls",
            authenticator=authenticator,
            loop=loop,
        )

    server = await loop.create_server(
        protocol, "127.0.0.1", 0, ssl=context if mode == "tls" else None
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await stdin_closed
    server.close()


asyncio.run(main())
