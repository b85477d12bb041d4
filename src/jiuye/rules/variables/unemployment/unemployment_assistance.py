"""失业补助金 — policy ``unemployment_assistance`` (000 三(二); 003 失业保险 七).

Window: 2021-01-01 to 2022-12-31 (000 until 2021-12-31, extended by 003), closed from 2023.
Eligible (in the window, not in work, no pension, no stop event) if either
  (a) the UI benefit ran out (期满) with a termination month from 2020-12 on, still unemployed; or
  (b) insured, contributions stopped on/after 2021-01-01, and not eligible for the UI benefit.
Amount: 80 % of the pooling area's month-1-12 UI standard (2021: 1404.00 → 1123.20 元), 6 months.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

from jiuye.rules.variables_support import ui  # noqa: E402  (shared UI rule)

MONTH = DateUnit.MONTH
