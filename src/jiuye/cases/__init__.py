"""Cases (办件): applications and their multi-level review.

- `procedures`: the procedures as data (data/procedures/*.yaml): states, acting roles, materials,
  time limits; a case moves only along them.
- `workdays`: working-day deadlines (chinese-calendar + data/holidays/; weekends only, and said
  so, for years nobody has entered yet).
- `models` + `migrations/`: the database (SQLAlchemy 2, Alembic); `db`: engines and `upgrade`.
- `service`: who may do what (roles, districts, ownership), transitions with optimistic locking and
  an append-only audit trail; `attachments`: files with limits and checksums; `batchfile`: 免申即享
  lists; `demo`: `jiuye demo-data`; `cli`: `jiuye db …`, `jiuye cases …`.
"""
