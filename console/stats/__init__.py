"""The call center's numbers, computed from the routing engine's stored events.

Plain Python, no Qt, network or database: the hub (or a test) builds
:class:`QueueVisit` records from the events (:class:`VisitBuilder`, see
:mod:`console.stats.visits` for the query and the field-by-field mapping) and
asks for the numbers with an explicit ``now`` and time zone:

- :func:`wallboard`: per queue group, waiting now, longest wait, and
  today's and the last 15 minutes' figures;
- :func:`queue_figures`: one group over any window;
- :func:`report` / :func:`report_csv`: the day in 15-minute intervals;
- :class:`LiveStats`: the wallboard and today's report kept up to date from
  the events as they happen, at the cost of the contacts in progress.

Every definition (what is offered, answered within target, a short abandon,
service level, ASA, AHT...) is written once, in :mod:`console.stats.figures`,
and the wallboard and the report share its one implementation.
"""

from console.stats.figures import (
    QueueFigures,
    StatsConfig,
    WallboardRow,
    local_midnight,
    queue_figures,
    waiting_since,
    wallboard,
)
from console.stats.live import LiveStats
from console.stats.report import CSV_COLUMNS, day_bounds, report, report_csv
from console.stats.visits import (
    APPOINTMENTS,
    DEFAULT_GROUPS,
    DUTY_PEDIATRICIAN,
    DUTY_THERAPIST,
    Entry,
    Exit,
    QueueVisit,
    VisitBuilder,
    queue_group,
    visits_from_events,
)

__all__ = [
    "APPOINTMENTS",
    "CSV_COLUMNS",
    "DEFAULT_GROUPS",
    "DUTY_PEDIATRICIAN",
    "DUTY_THERAPIST",
    "Entry",
    "Exit",
    "LiveStats",
    "QueueFigures",
    "QueueVisit",
    "StatsConfig",
    "VisitBuilder",
    "WallboardRow",
    "day_bounds",
    "local_midnight",
    "queue_figures",
    "queue_group",
    "report",
    "report_csv",
    "visits_from_events",
    "waiting_since",
    "wallboard",
]
