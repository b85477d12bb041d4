"""Rules as code for Jiuye (兴安盟 employment policies), on OpenFisca.

``build_system()`` returns the tax-benefit system, built once per process. Layout (the OpenFisca
country-template layout):

- ``entities.py``   Person, Household (roles spouse/member), Enterprise (representative/intern/employee)
- ``parameters/``   every number of the documents 000 (2021) and 003 (2022-09), dated, each with its
                    ``reference`` (document, section, verbatim quote) in ``metadata``; and the values
                    the documents rely on without giving (minimum wages, LPR, retirement ages), each
                    with its own public source. A date the sources do not cover has no value.
- ``variables/``    one variable per concept, by domain; inputs first (``variables/inputs``)
- ``tests/``        OpenFisca YAML tests (``openfisca test -c jiuye.rules src/jiuye/rules/tests``)
- ``core.py``       three-valued logic, money in fen, dates, parameter access

Conventions (details in ``core.py``):

- Unknown inputs: every input ``x`` has a boolean companion input ``x_known`` (default False),
  generated here unless a variable file defines it. Each computed policy ``p`` has
  ``p_eligible`` (definitely eligible), ``p_eligible_known``, ``p_needs_information`` and
  ``p_missing_information`` (comma-separated names of what is missing).
- Amounts of money are integers in fen, in variables named ``*_fen``; when a policy
  needs information its amounts are the part that can be computed from what is known (a lower
  bound, 0 while eligibility itself is unknown).
- Periods are months; parameters are read at the first day of the month.
"""
from __future__ import annotations

import functools
import os

from jiuye.config import data_dir

from openfisca_core.periods import DateUnit
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from jiuye.rules import core, parameter_meta
from jiuye.rules.period import AsOfOutOfRange, check_as_of, supported_range  # noqa: F401  (the as_of range)
from jiuye.rules.entities import entities

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# Parameters are data (reviewed like the catalogue): data/parameters, or $JIUYE_DATA_DIR/parameters
PARAMETERS_DIR = str(data_dir() / "parameters")
VARIABLES_DIR = os.path.join(PACKAGE_DIR, "variables")
TESTS_DIR = os.path.join(PACKAGE_DIR, "tests")

KNOWN_SUFFIX = "_known"


def _known_companion(variable) -> type[Variable]:
    """A boolean input ``<name>_known`` for the input variable ``variable``."""
    attributes = {
        "value_type": bool,
        "default_value": False,
        "entity": variable.entity,
        "definition_period": variable.definition_period,
        "label": f"是否已知: {variable.label or variable.name} (is {variable.name} known?)",
        "documentation": (
            f"True when the input {variable.name} was given for this entity and period. "
            f"While False, {variable.name} is ignored and the rules answer 'needs information'."
        ),
        "__module__": __name__,
    }
    if variable.set_input is not None:
        attributes["set_input"] = variable.set_input
    return type(f"{variable.name}{KNOWN_SUFFIX}", (Variable,), attributes)


def _condition_variables(rules: core.PolicyRules, condition: str) -> list[type[Variable]]:
    """``<policy>_cond_<condition>`` and ``<policy>_cond_<condition>_known`` for a declared condition."""
    name = rules.variable_name(condition)
    label = rules.conditions[condition][0]

    def value(population, period, parameters):
        return rules.condition_tris(population, period, parameters)[condition].value

    def known(population, period, parameters):
        return rules.condition_tris(population, period, parameters)[condition].known

    common = {"value_type": bool, "entity": rules.entity, "definition_period": DateUnit.MONTH, "__module__": __name__}
    return [
        type(name, (Variable,), {**common, "label": f"{rules.label or rules.policy}条件：{label}（确定满足）",
                                 "reference": f"policy {rules.policy}", "formula": value}),
        type(f"{name}{KNOWN_SUFFIX}", (Variable,), {**common, "label": f"是否已知: {label}", "formula": known}),
    ]


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """The Jiuye rules. Named as OpenFisca's tools (``openfisca test -c jiuye.rules``) expect."""

    def __init__(self) -> None:
        super().__init__(entities)
        self.load_parameters(PARAMETERS_DIR)
        self.add_variables_from_directory(VARIABLES_DIR)
        #: the policies declared as named conditions (core.PolicyRules), by id
        self.policy_rules = dict(core.POLICY_RULES)
        self._add_condition_variables()
        self._add_known_companions()

    def load_parameters(self, path_to_yaml_dir) -> None:
        """OpenFisca's loader, then the type, unit and bounds of every numeric parameter
        (parameter_meta): wrong files are refused before they replace the rules' parameters."""
        from openfisca_core.parameters import ParameterNode

        parameters = ParameterNode("", directory_path=str(path_to_yaml_dir))
        parameter_meta.validate(parameters)
        self.parameters = parameters

    def load_variable(self, variable_class, update=False):
        variable = super().load_variable(variable_class, update)
        core.widen_money([variable])  # amounts in fen are int64
        return variable

    def _add_condition_variables(self) -> None:
        for rules in self.policy_rules.values():
            for condition in rules.conditions:
                for variable in _condition_variables(rules, condition):
                    if variable.__name__ not in self.variables:
                        self.add_variable(variable)

    def _add_known_companions(self) -> None:
        for name, variable in list(self.variables.items()):
            if name.endswith(KNOWN_SUFFIX) or not variable.is_input_variable():
                continue
            if f"{name}{KNOWN_SUFFIX}" not in self.variables:
                self.add_variable(_known_companion(variable))


def find_parameter(node, path: str):
    """The parameter (or node) at a dotted path below `node` (e.g. tbs.parameters), or None."""
    for part in path.split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            return None
        node = children[part]
    return node


@functools.lru_cache(maxsize=1)
def build_system() -> CountryTaxBenefitSystem:
    """The rules' tax-benefit system, built once per process (treat it as read-only)."""
    return CountryTaxBenefitSystem()


__all__ = ["CountryTaxBenefitSystem", "build_system", "PARAMETERS_DIR", "TESTS_DIR", "VARIABLES_DIR"]
