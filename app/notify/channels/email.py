"""Email through Flask-Mail (any SMTP server: ``MAIL_*``), text and HTML in the
recipient's language (the texts were rendered in it when queued)."""

import smtplib

from flask import render_template
from flask_babel import force_locale
from flask_mail import Message

from app.extensions import mail
from app.notify.channels import DeliveryError


def build(row):
    with force_locale(row.locale):
        html = row.body_html or render_template(
            "notify/email.html", subject=row.subject, body=row.body, locale=row.locale
        )
    return Message(subject=row.subject, recipients=[row.address], body=row.body, html=html)


def send(row):
    try:
        mail.send(build(row))
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP: {error}") from error
