"""Workflow templates: analysis, versions, diagrams. Plain modules, no views."""
