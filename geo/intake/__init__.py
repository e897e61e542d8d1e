"""Spreadsheet intake: sheet reading, column matching, value parsing, record store, demo records."""
