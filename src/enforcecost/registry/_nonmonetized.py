"""The register of effects the model does not put a dollar figure on."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["nonmonetized"]


@cache
def _register() -> pd.DataFrame:
    text = resources.files("enforcecost").joinpath("data/nonmonetized.toml").read_text("utf-8")
    return pd.DataFrame(tomllib.loads(text)["effect"]).set_index("id")


def nonmonetized() -> pd.DataFrame:
    """The register of effects the model does not put a dollar figure on.

    Returns
    -------
    DataFrame
        Indexed by id: provision, title, description, direction, source.
    """
    return _register().copy()
