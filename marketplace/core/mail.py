"""Outgoing mail: SMTP when configured, else one .eml file per message in the outbox folder,
so `make run` works offline and tests read what was sent."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER", "Impactmarkt <noreply@impactmarkt.localhost>")
    message["To"] = to
    message["Subject"] = subject
    # UTF-8 end to end: a body with "één" goes as quoted-printable UTF-8 (plain ASCII on the wire and
    # in the .eml file, whatever a relay or viewer assumes about 8-bit bytes); plain ASCII as 7bit.
    message.set_content(body, charset="utf-8", cte="7bit" if body.isascii() else "quoted-printable")
    host = config.get("MAIL_SMTP_HOST")
    if host:
        with smtplib.SMTP(host, int(config.get("MAIL_SMTP_PORT", 587)), timeout=20) as smtp:
            smtp.starttls()
            if config.get("MAIL_SMTP_USER"):
                smtp.login(config["MAIL_SMTP_USER"], config.get("MAIL_SMTP_PASSWORD") or "")
            smtp.send_message(message)
        return
    outbox = Path(config.get("MAIL_OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
