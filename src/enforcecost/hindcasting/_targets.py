"""What a hindcast compares: each pipeline quantity, its published series and its target."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMPARISONS", "Comparison", "StandIn"]


@dataclass(frozen=True)
class StandIn:
    """A published series read in place of a fiscal-year series missing for a year.

    Used only where the fiscal-year series has no value for the year: a count to a
    date within the year, or a pace over part of it, turned into a figure for the
    whole year by calendar arithmetic.

    Attributes
    ----------
    series : str
        The stand-in series (``enforcecost series --role actual``).
    factor : float
        Multiplier turning its value into the fiscal-year figure (days in a year over
        days counted; 1 for an average so far, standing for the year's).
    reading : str
        How it is read, for the table's footnote.
    """

    series: str
    factor: float
    reading: str


@dataclass(frozen=True)
class Comparison:
    """One pipeline quantity set beside one published series.

    Attributes
    ----------
    quantity : str
        The column of :meth:`Result.pipeline() <enforcecost.Result.pipeline>`.
    label : str
        A reader's name for it.
    series : str
        The published series (``enforcecost series --role actual``).
    tolerance : float or None
        The target: the model's mean within this fraction of the published value
        in every year compared; None: shown, with no target.
    rising : bool
        The target also asks the model's mean to rise every year, as the published
        series did.
    stand_ins : tuple of StandIn
        Series read, in order, for a year the fiscal-year series does not cover.
    """

    quantity: str
    label: str
    series: str
    tolerance: float | None = None
    rising: bool = False
    stand_ins: tuple[StandIn, ...] = ()


#: Days of the fiscal years counted by the FY2025-FY2026 stand-ins: FY2025 from 1 Oct
#: 2024 to 20 Sep 2025 (355 days); FY2026 from 1 Oct 2025 to 4 Apr 2026 (186 days).
_DAYS_YEAR, _FY2025_TO_SEP20, _FY2026_TO_APR4 = 365, 355, 186

#: The comparisons of every hindcast, in table order. The four targets are those the
#: project set itself for FY2017-FY2019 before the hindcast was run (issue #12): arrests
#: within 15%, interior removals and detention within 20%, court cases pending within 25%
#: and rising every year; the FY2025-FY2026 hindcast keeps them. The rest are shown for
#: context, with no target. Stand-ins cover FY2025-FY2026, for which ICE had published no
#: full-year figure (their values are counts to a date or paces over part of a year).
COMPARISONS: tuple[Comparison, ...] = (
    Comparison("arrests", "ICE administrative arrests (interior)", "ice_ero_admin_arrests",
               0.15, stand_ins=(
                   StandIn("ice_arrests_per_day_jan20_to_oct15_2025", _DAYS_YEAR,
                           "arrests a day, 20 Jan-15 Oct 2025, x 365 (the pace of most "
                           "of FY2025)"),)),
    Comparison("removals", "Interior removals", "ice_removals_interior", 0.20),
    Comparison("detention_adp", "ICE detention, average daily population",
               "ice_detention_adp", 0.20, stand_ins=(
                   StandIn("ice_detention_adp_fy2026_to_apr4_2026", 1.0,
                           "the FY2026 average to 4 Apr 2026, taken as the year's average"),)),
    Comparison("court_backlog", "Immigration-court cases pending at year end",
               "eoir_pending_end_fy", 0.25, rising=True),
    Comparison("removals_total", "All ICE removals", "ice_removals_total", stand_ins=(
        StandIn("ice_removals_fy2025_to_sep20_2025", _DAYS_YEAR / _FY2025_TO_SEP20,
                "removals 1 Oct 2024-20 Sep 2025 x 365/355"),
        StandIn("ice_removals_fy2026_to_apr4_2026", _DAYS_YEAR / _FY2026_TO_APR4,
                "removals 1 Oct 2025-4 Apr 2026 x 365/186"),
    )),
    Comparison("court_receipts", "Immigration-court receipts", "eoir_initial_receipts"),
    Comparison("cases_completed", "Immigration-court completions", "eoir_total_completions"),
)
