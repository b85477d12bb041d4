"""Money in the rules.

OpenFisca floats are float32, which cannot hold 1123.20. Every amount of money is an ``int``
number of fen (1 元 = 100 fen), in variables whose names end in ``_fen``. Parameters keep the
documents' 元 values; :func:`round_fen` rounds half up to the fen after computing in float64.
"""
from __future__ import annotations

import numpy as np


def round_fen(amount) -> np.ndarray:
    """Round a float amount of fen half up to an integer number of fen (computed in float64, int64)."""
    amount = np.asarray(amount, dtype=np.float64)
    return np.floor(amount + 0.5 + 1e-6).astype(np.int64)


def floor_fen(amount) -> np.ndarray:
    """Round down to the fen, for caps ("不超过")."""
    amount = np.asarray(amount, dtype=np.float64)
    return np.floor(amount + 1e-6).astype(np.int64)


def widen_money(variables) -> None:
    """Amounts in fen are int64, not OpenFisca's int32 for ``value_type = int`` (which wraps to a
    negative amount above 21 474 836.47 元): every ``*_fen`` integer variable, computed or input.
    OpenFisca casts a formula's result and an input to ``variable.dtype``."""
    for variable in variables:
        if variable is not None and variable.value_type is int and variable.name.endswith("_fen"):
            variable.dtype = np.int64


def yuan_to_fen(yuan) -> np.ndarray | int:
    """元 (a parameter value) to fen."""
    fen = np.floor(np.asarray(yuan, dtype=np.float64) * 100 + 0.5)
    return fen.astype(np.int64) if fen.ndim else int(fen)
