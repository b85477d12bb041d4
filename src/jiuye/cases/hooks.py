"""Steps of a case that another domain's rows follow, in the same transaction as the step (a refusal
raised here — e.g. 「名额已满」 — rolls the step back). procedure -> "module:function"; the function
takes (session, case, actor, from_state, to_state, comment)."""
from __future__ import annotations

import importlib

HOOKS = {
    "public_welfare_post": "jiuye.welfare_posts.placement:on_transition",  # a place of the 公益性岗位 taken / freed
}


def on_transition(s, case, actor, from_state: str, to_state: str, comment: str | None) -> None:
    target = HOOKS.get(case.procedure)
    if target is None:
        return
    module, name = target.split(":")
    getattr(importlib.import_module(module), name)(s, case, actor, from_state, to_state, comment)
