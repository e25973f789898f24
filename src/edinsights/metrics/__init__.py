"""Metrics: each declared once in the registry (name, inputs, SQL, result table)."""
