"""Screening (政策找人): one person or enterprise, one date, every policy of the catalogue.

>>> from jiuye.screening import screen
>>> result = screen({"contribution_years": 3, "district": "扎赉特旗"}, "2021-06-15")
>>> {r.policy: r.status for r in result.results}["unemployment_insurance_benefit"]
'needs_information'
"""
from jiuye.screening.models import PolicyResult, ScreenResult
from jiuye.screening.checks import ProfileError, parse_profile
from jiuye.screening.profile import EnterpriseProfile, PersonProfile, Profile, profile_json_schema
from jiuye.screening.service import Screener, default_screener, screen

__all__ = [
    "EnterpriseProfile", "PersonProfile", "PolicyResult", "Profile", "ProfileError", "ScreenResult", "Screener",
    "default_screener", "parse_profile", "profile_json_schema", "screen",
]
