#!/usr/bin/env python3
"""Configures the database: stores the greeting the web application shows."""
import os
import sqlite3
import sys

path = os.environ.get("DB_PATH")
if not path or not os.path.exists(path):
    sys.exit(f"database file not found: {path!r}")
with sqlite3.connect(path) as db:
    # An upsert keyed by name: running it again leaves one row.
    db.execute(
        "INSERT INTO settings(key, value) VALUES('greeting', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (os.environ.get("GREETING", "Hello"),),
    )
print(f"database configured ({path})")
