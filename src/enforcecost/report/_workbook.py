"""The report's workbook, ``tables.xlsx``: one sheet per table of its content."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._content import ReportContent

__all__ = ["write_workbook"]


def write_workbook(content: ReportContent, path: Path) -> None:
    """Write the CBO tables by perspective and basis, the nominal percentiles, the
    drivers (with a tornado study), the parameters used, the non-monetized effects,
    the pipeline and (for a scenario marked ``hindcast = true``) the hindcast's
    table, a sheet each."""
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        for name, frame in content.tables.items():
            frame.to_excel(book, sheet_name=name[:31])
        content.percentiles.to_excel(book, sheet_name="percentiles_nominal")
        if content.drivers_table is not None:
            content.drivers_table.to_excel(book, sheet_name="drivers_tornado")
        content.parameters.to_excel(book, sheet_name="parameters", index=False)
        content.nonmonetized.to_excel(book, sheet_name="nonmonetized")
        content.pipeline.to_excel(book, sheet_name="pipeline")
        if content.hindcast is not None:
            content.hindcast.table.to_excel(book, sheet_name="hindcast", index=False)
