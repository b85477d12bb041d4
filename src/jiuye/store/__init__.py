"""Shared infrastructure of every domain: the database (:mod:`.db` engines and sessions, :mod:`.base`
the declarative base, `migrations/` the one Alembic chain of all domains' tables), the task queue of long jobs (:mod:`.queue`, huey on
SQLite or Redis), its tasks (:mod:`.tasks`), the roster jobs' folder records (:mod:`.jobs`) and the
retention clean-up of personal data at rest (:mod:`.retention`). Nothing here imports jiuye.web."""
