"""The bureau's name, as the public pages and printed notices carry it."""

from flask import current_app
from flask_babel import get_locale


def bureau_name():
    """``BUREAU_NAME`` in Chinese, ``BUREAU_NAME_EN`` in English (falling back to Chinese)."""
    config = current_app.config
    if str(get_locale() or "") == "en" and config.get("BUREAU_NAME_EN"):
        return config["BUREAU_NAME_EN"]
    return config["BUREAU_NAME"]
