"""SMS through a pluggable backend (``SMS_BACKEND``):

- ``log`` (default): writes the message to the log; nothing leaves the machine.
- ``http``: a generic gateway. POSTs ``{"id", "to", "text", "key"}`` as UTF-8 JSON to
  ``SMS_GATEWAY_URL`` with ``X-Sunshine-Timestamp`` and ``X-Sunshine-Signature:
  sha256=<hex>``, the HMAC-SHA256 with ``SMS_GATEWAY_TOKEN`` of
  ``<timestamp>.<body>``. Any 2xx answer is a delivery; ``key`` lets the gateway
  drop a resend of a message it already took.
- ``aliyun``: Alibaba Cloud SMS through its SDK, an optional extra imported only
  when chosen (``pip install alibabacloud-dysmsapi20170525``); ``SMS_ALIYUN_*``.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from flask import current_app

from app.notify.channels import DeliveryError

log = logging.getLogger(__name__)


def sign(token, timestamp, body):
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


def send(row):
    backend = current_app.config.get("SMS_BACKEND", "log")
    senders = {"log": _log, "http": _http, "aliyun": _aliyun}
    if backend not in senders:
        raise DeliveryError(f"SMS_BACKEND={backend!r} is unknown; use log, http or aliyun")
    senders[backend](row)


def _log(row):
    log.info("SMS to %s: %s", row.address, row.body)


def _http(row):
    config = current_app.config
    url, token = config.get("SMS_GATEWAY_URL"), config.get("SMS_GATEWAY_TOKEN")
    if not url or not url.startswith(("http://", "https://")) or not token:
        raise DeliveryError("SMS_GATEWAY_URL (http or https) and SMS_GATEWAY_TOKEN are required")
    body = json.dumps(
        {"id": row.id, "to": row.address, "text": row.body, "key": row.idempotency_key},
        ensure_ascii=False,
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Sunshine-Timestamp": timestamp,
            "X-Sunshine-Signature": sign(token, timestamp, body),
        },
    )
    timeout = config.get("SMS_GATEWAY_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"SMS gateway answered {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(f"SMS gateway unreachable: {error}") from error


def _aliyun(row):
    try:
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as openapi
    except ImportError as error:
        raise DeliveryError(
            "SMS_BACKEND=aliyun needs: pip install alibabacloud-dysmsapi20170525"
        ) from error
    config = current_app.config
    client = Client(
        openapi.Config(
            access_key_id=config.get("SMS_ALIYUN_ACCESS_KEY_ID"),
            access_key_secret=config.get("SMS_ALIYUN_ACCESS_KEY_SECRET"),
            endpoint=config.get("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com"),
        )
    )
    request = models.SendSmsRequest(
        phone_numbers=row.address,
        sign_name=config.get("SMS_ALIYUN_SIGN_NAME"),
        template_code=config.get("SMS_ALIYUN_TEMPLATE_CODE"),
        template_param=json.dumps({"content": row.body}, ensure_ascii=False),
        out_id=str(row.id),
    )
    try:
        answer = client.send_sms(request)
    except Exception as error:  # noqa: BLE001 - the SDK raises its own error types
        raise DeliveryError(f"Aliyun SMS: {error}") from error
    if getattr(answer.body, "code", None) != "OK":
        raise DeliveryError(f"Aliyun SMS: {answer.body.code} {answer.body.message}")
