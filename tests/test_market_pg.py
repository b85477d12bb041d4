"""The labour market on PostgreSQL (a fresh schema, dropped afterwards): migration 0005 up and down
(and the models agree with it), and a round trip through the services — the demo market, a post
reviewed and filled, a consent query on the JSON record, the statistics."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from cases_support import configured, pg_schema
from jiuye.store import db
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

MARKET_TABLES = {"market_employers", "market_seekers", "market_postings", "market_applications", "market_events",
                 "market_outbox", "market_optouts"}


def test_migration_up_down_up_on_postgresql():
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.market.models  # noqa: F401  (the market's tables on the shared metadata)
    from jiuye.cases.models import Base

    with pg_schema() as (url, _name):
        engine = db.make_engine(url)
        try:
            assert db.upgrade(engine) == db.head_revision()  # 0005_market or a later head
            assert MARKET_TABLES <= set(inspect(engine).get_table_names())
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert not [d for d in diffs if d[0] not in ("add_index", "remove_index")], diffs
            db.downgrade(engine, "0004_throttle")
            assert not MARKET_TABLES & set(inspect(engine).get_table_names())
            assert "users" in inspect(engine).get_table_names()
            assert db.upgrade(engine) == db.head_revision()
        finally:
            engine.dispose()


def test_a_round_trip_through_the_services_on_postgresql(tmp_path):
    from jiuye.market import applications, postings, seekers, stats
    from jiuye.market.demo import load_demo_market
    from market_support import POST, user

    with pg_schema() as (url, _name), configured(url, tmp_path) as engine:
        assert engine.dialect.name == "postgresql"
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
            firm, zx = user(s, "xingan_food"), user(s, "zx_wlht")
            p = postings.create(s, firm, {**POST, "places": 1, "valid_through": (beijing_today() + dt.timedelta(days=9)).isoformat()},
                                submit=True)
            postings.review_post(s, zx, p.id, "approve")
            # consented open registrations are visible to an employer (a JSON query on PostgreSQL)
            visible = {sk.id for sk in seekers.list_for(s, firm)}
            consenting = {sk.id for sk in seekers.list_for(s, zx) if sk.record.get("consent_to_employers") and sk.state == "active"}
            assert consenting and consenting <= visible
            sk = next(x for x in seekers.list_for(s, zx, state="active") if x.user_id is not None)
            owner = s.get(type(firm), sk.user_id)
            a = applications.apply(s, owner, p.id)
            applications.decide(s, firm, a.id, "hired")
            s.refresh(p)
            assert p.state == "filled" and p.places_left == 0
            d = stats.compute(s, zx)
            assert d["totals"]["hires"] >= 1 and d["totals"]["postings"] >= 6
        with Session(engine) as s:  # a fresh session reads the same state back
            assert s.get(type(p), p.id).state == "filled"
