"""Alembic environment, driven from code (jiuye.store.db.upgrade): no alembic.ini.

The connection comes in `config.attributes["connection"]`; run by hand with
`jiuye db upgrade` (or `jiuye db upgrade --revision <rev>`).
"""
from alembic import context

from jiuye.store.base import Base
import jiuye.cases.models  # noqa: E402,F401  (offices, people, cases: 0001–0004)
import jiuye.cases.parameter_edits  # noqa: E402,F401  (its table, parameter_edits, is part of the schema)
import jiuye.market.models  # noqa: E402,F401  (the labour market's tables share the database and the chain)
import jiuye.platforms.models  # noqa: E402,F401  (打工直通车's tables, 0006_platforms)
import jiuye.fairs.models  # noqa: E402,F401  (招聘会 and 直播带岗, 0008_fairs)
import jiuye.gig.models  # noqa: E402,F401  (零工市场, 0007_gig)
import jiuye.training.models  # noqa: E402,F401  (training: 0009_training)
import jiuye.startup.models  # noqa: E402,F401  (创业服务, 0010_startup)
import jiuye.cases.window_models  # noqa: E402,F401  (filing at the window, 0012_window)
import jiuye.welfare_posts.models  # noqa: E402,F401  (公益性岗位, 0011_welfare_posts)

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    from jiuye.store.db import make_engine

    connection = make_engine().connect()

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
