"""The workflow, in plain modules that know nothing of views: templates (analysis,
versions, diagrams) and the case engine (receipts, the clock, transitions)."""
