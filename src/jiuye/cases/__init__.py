"""Cases (办件): applications and their multi-level review.

- `procedures`: the procedures as data (data/procedures/*.yaml): states, acting roles, materials,
  time limits; a case moves only along them.
- `workdays`: working-day deadlines (chinese-calendar + data/holidays/; weekends only, and said
  so, for years nobody has entered yet).
- `models`: the case tables (SQLAlchemy 2); engines, `upgrade` and the Alembic chain live in `jiuye.store`.
- `service`: who may do what (roles, districts, ownership), transitions with optimistic locking and
  an append-only audit trail; `attachments`: files with limits and checksums; `batchfile`: 免申即享
  lists; `demo`: `jiuye demo-data`; `cli`: `jiuye db …`, `jiuye cases …`.
"""
