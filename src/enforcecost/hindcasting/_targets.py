"""What a hindcast compares: each pipeline quantity, its published series and its target."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMPARISONS", "Comparison"]


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
    """

    quantity: str
    label: str
    series: str
    tolerance: float | None = None
    rising: bool = False


#: The comparisons of every hindcast, in table order. The four targets are those the
#: project set itself for FY2017-FY2019 before the hindcast was run (issue #12): arrests
#: within 15%, interior removals and detention within 20%, court cases pending within 25%
#: and rising every year. The rest are shown for context, with no target.
COMPARISONS: tuple[Comparison, ...] = (
    Comparison("arrests", "ICE administrative arrests (interior)", "ice_ero_admin_arrests",
               0.15),
    Comparison("removals", "Interior removals", "ice_removals_interior", 0.20),
    Comparison("detention_adp", "ICE detention, average daily population",
               "ice_detention_adp", 0.20),
    Comparison("court_backlog", "Immigration-court cases pending at year end",
               "eoir_pending_end_fy", 0.25, rising=True),
    Comparison("removals_total", "All ICE removals", "ice_removals_total"),
    Comparison("court_receipts", "Immigration-court receipts", "eoir_initial_receipts"),
    Comparison("cases_completed", "Immigration-court completions", "eoir_total_completions"),
)
