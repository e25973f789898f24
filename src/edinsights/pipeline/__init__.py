"""Wiring: event store → metrics → result store."""
