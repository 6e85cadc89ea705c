#!/usr/bin/env python3
"""Creates the application's database: a SQLite file in the server's state directory."""
import getpass
import os
import sqlite3

state = os.environ.get("STATE_DIR") or os.path.join(
    f"/tmp/orchestra-samples-{getpass.getuser()}", os.environ.get("ORCHESTRA_DEPLOYMENT", "webapp"))
path = os.path.join(state, f"{os.environ.get('DB_NAME', 'appdb')}.sqlite3")
os.makedirs(state, exist_ok=True)
with sqlite3.connect(path) as db:
    # IF NOT EXISTS makes a re-run after a crash harmless.
    db.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
print(f"database created at {path}")
outputs = os.environ.get("ORCHESTRA_OUTPUTS")
if outputs:
    with open(outputs, "a", encoding="utf-8") as f:
        f.write(f"db_path={path}\n")
