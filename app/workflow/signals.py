"""Signals of the case engine, sent inside the action's transaction.

Whoever listens (the notification policy: app/notify/policy.py) writes in the
same transaction, so its rows commit or roll back with the action; the engine
knows nothing of who listens. Each signal's sender is the case, and ``at`` the
moment of the action (naive UTC)::

    @case_accepted.connect
    def tell_applicant(case, at, **details): ...

- ``case_accepted``: the promised clock starts (receipt or a later acceptance).
- ``supplement_requested``: a supplement notice (补正告知); ``missing`` lists the documents.
- ``case_suspended``: ``suspension`` (kind, reason, expected_days) — Art. 45.
- ``case_extended``: ``extension`` (days, reason) — Art. 42.
- ``result_ready``: a decision the applicant collects: the release step opened, or
  the case was rejected.
"""

from blinker import Namespace

case_signals = Namespace()

case_accepted = case_signals.signal("case-accepted")
supplement_requested = case_signals.signal("supplement-requested")
case_suspended = case_signals.signal("case-suspended")
case_extended = case_signals.signal("case-extended")
result_ready = case_signals.signal("result-ready")
