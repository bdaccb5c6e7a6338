"""The workflow: template analysis, the case engine, receipts and the clock."""
