"""The actions an audit event can record."""

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
EXPORT = "export"
DENIED = "denied"
TRANSITION = "transition"
SUPPLEMENT_RECEIVED = "supplement_received"  # documents brought after a supplement notice
ANCHOR = "anchor"
