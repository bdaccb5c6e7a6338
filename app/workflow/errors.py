"""Errors of workflow actions, each with the HTTP status the API answers with."""


class WorkflowError(Exception):
    status = 409

    def __init__(self, message, **details):
        super().__init__(str(message))
        self.message = str(message)
        self.details = details


class BadInput(WorkflowError):
    """The request itself is wrong (400)."""

    status = 400


class Forbidden(WorkflowError):
    """The user may see the record but not do this (403)."""

    status = 403


class NotFound(WorkflowError):
    """No such record in the user's scope (404): existence is not leaked."""

    status = 404


class NotAllowedNow(WorkflowError):
    """The transition is not allowed in the record's current state (409)."""

    status = 409
