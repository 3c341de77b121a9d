"""The summary store: counts the reports read instead of the casework
(docs/reports.md, "The summary store"; decision 0010).

Every row counts records of requests one local authority's health body
received on one day (``local_authority``, ``received_on``: the *bucket*),
by the dimensions a report groups or filters by. A bucket's live rows
(``kept`` False) are always recomputable from the casework of the requests
in it (:func:`ehc.summary.refresh_summary`); the kept rows (``kept`` True)
are what erased children's records counted, moved there at erasure and
never recomputed, so past reports still add up. No row names a child, a
request or holds free text: only areas, days, services, codes and counts.

The month tables (:class:`MonthRow`) add the day rows of one area up by
the calendar month of a figure's date, live and kept together (requests by
each of their breakdowns apart: :class:`RequestMonth`); the same
writer recomputes them from the day rows whenever the day rows they add up
change, and reports for England, a list of authorities or a commissioning
body whose links begin and end with whole months read them for whole
months.
"""

from __future__ import annotations

from django.db import models

from ehc.models.choices import LateReason, PrimaryNeed, Process, Rating


class Verdict(models.TextChoices):
    """A contribution's timeliness as it stands: returned on or before its
    own due date, returned after it, or not returned (late once its due
    date has passed: reports judge that against their own day)."""

    ON_TIME = "on_time", "Returned on time"
    LATE = "late", "Returned late"
    OUT = "out", "Not returned"


def _counted_by(model: str, **options) -> models.ForeignKey:
    """A dimension naming a row of ``model`` (a service, a provider): never
    deleted while counted (PROTECT), no reverse accessor, no index of its
    own (the tables are read by area and day or month)."""
    return models.ForeignKey(
        model, on_delete=models.PROTECT, related_name="+", db_index=False, **options
    )


class SummaryRow(models.Model):
    """The bucket and the kept flag every summary table shares."""

    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The day health received the request: the bucket's day, and the day
    # that attributes the row to a commissioning body (its dated links).
    received_on = models.DateField()
    kept = models.BooleanField(default=False, help_text="Counts of erased children's records.")
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.count} on {self.received_on} in area {self.local_authority_id}"


class RequestBreakdowns(models.Model):
    """What a request is counted by: its process and the child's breakdowns
    on the day health received it (age in whole years, national curriculum
    year group) or as recorded now (need, looked after, home educated,
    youth justice, continuing care)."""

    process = models.CharField(max_length=20, choices=Process.choices)
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices)
    age = models.SmallIntegerField()
    year_group = models.SmallIntegerField()
    looked_after = models.BooleanField()
    electively_home_educated = models.BooleanField()
    known_to_youth_justice = models.BooleanField()
    continuing_care = models.BooleanField()

    class Meta:
        abstract = True


class RequestCount(SummaryRow, RequestBreakdowns):
    """Requests received, by process and the child's breakdowns on the day
    health received the request (age in whole years, national curriculum
    year group) or as recorded now (need, looked after, home educated,
    youth justice, continuing care)."""

    class Meta:
        indexes = [models.Index(fields=["local_authority", "received_on"], name="sum_request_day")]


class ContributionCount(SummaryRow):
    """Contributions by due day, service, process and timeliness."""

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")
    process = models.CharField(max_length=20, choices=Process.choices)
    due_on = models.DateField()
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    # A reg 8(2) exception recorded; left out, unreturned, when the LA
    # withdrew the request; linked to a review meeting.
    excepted = models.BooleanField()
    withdrawn = models.BooleanField()
    review_recorded = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "received_on"], name="sum_contribution_day"),
            models.Index(fields=["local_authority", "due_on"], name="sum_contribution_due"),
            # A report's "not yet judged" rows across every area (England):
            # due on or after a period's report day, not back on time.
            models.Index(
                fields=["due_on"],
                condition=~models.Q(verdict="on_time") & models.Q(withdrawn=False),
                name="sum_contribution_unjudged",
            ),
        ]


class ReturnCount(SummaryRow):
    """Contributions returned, by return day and days from the service's
    clock start to the return (a histogram: medians need distributions)."""

    service = _counted_by("commissioning.Service")
    returned_on = models.DateField()
    days = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "received_on"], name="sum_return_day"),
            models.Index(fields=["local_authority", "returned_on"], name="sum_return_returned"),
        ]


class ProviderAskCount(SummaryRow):
    """Requests asking each provider (a request asking two of its services
    counts once), by the day health received the request."""

    provider = _counted_by("commissioning.Provider")

    class Meta:
        indexes = [models.Index(fields=["local_authority", "received_on"], name="sum_ask_day")]


class QualityReviewCount(SummaryRow):
    """Quality reviews of advice, by review day, the advice's service and
    the rating (docs/reports.md, "Quality of advice")."""

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")
    reviewed_on = models.DateField()
    rating = models.CharField(max_length=5, choices=Rating.choices)

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "received_on"], name="sum_quality_day"),
            models.Index(fields=["local_authority", "reviewed_on"], name="sum_quality_reviewed"),
        ]


class ProvisionGapCount(SummaryRow):
    """Rows of provision the advice says are not available locally, by the
    day the advice was written and its service (the annual report's service
    gaps)."""

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")
    written_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "received_on"], name="sum_gap_day"),
            models.Index(fields=["local_authority", "written_on"], name="sum_gap_written"),
        ]


class LateCount(SummaryRow):
    """Contributions that can be overdue on some day: not returned (unless
    left outstanding when the LA withdrew the request) or returned after
    their due date. Overdue on a day is then a comparison of that day with
    the row's dates: due before it, not returned by it, the request not
    closed by it (docs/reports.md, "Overdue")."""

    service = _counted_by("commissioning.Service")
    due_on = models.DateField()
    returned_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)  # the request's
    excepted = models.BooleanField()  # a reg 8(2) exception recorded
    late_reason = models.CharField(max_length=24, choices=LateReason.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "received_on"], name="sum_late_day"),
            models.Index(fields=["local_authority", "returned_on"], name="sum_late_returned"),
        ]


class MonthRow(models.Model):
    """A month roll-up row: what the day rows of one area count, live and
    kept together, for one calendar month of a figure's date (``month``:
    the month's first day), by the dimensions the reports read. Written only
    by :mod:`ehc.summary` from the day rows, under the area's lock; a
    report whose scope a month of receipt can attribute (England, a list of
    authorities, a body with whole-month links) reads it for the whole
    months inside its periods (docs/reports.md, "The summary store").

    ``RECEIPT`` names the field that holds the month health received the
    counted requests: ``month`` itself for a table by month of receipt,
    ``received_month`` for one by another date (due, returned, reviewed,
    written). A commissioning body's dated links attribute a request by its
    day of receipt, so a body whose links begin and end with whole months
    reads month rows by that field too (``reports.summary_store``)."""

    RECEIPT = "month"

    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField(help_text="The first day of the month of the figure's date.")
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.count} in {self.month:%B %Y} in area {self.local_authority_id}"


class ByReceiptMonthRow(MonthRow):
    """A month row by a date other than receipt, kept apart by the month of
    receipt as well (``received_month``): a due month's contributions were
    asked under whichever link held when their requests were received."""

    RECEIPT = "received_month"

    received_month = models.DateField(
        help_text="The first day of the month health received the counted requests."
    )

    class Meta:
        abstract = True


class RequestMonth(MonthRow):
    """:class:`RequestCount` by the month health received the requests, one
    breakdown at a time: ``breakdown`` names it ("process", "need", "age"
    or "group") and ``key`` its value (a process or SEN2 need code, an age
    in whole years, a group of ``ehc.groups``). A month of an area holds
    each request once per breakdown (and once per group it is in), never
    the product of its breakdowns: the reports read them apart, and the
    product is nearly one row per request (docs/reports.md, "The summary
    store")."""

    breakdown = models.CharField(max_length=8)
    key = models.CharField(max_length=24)

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "month"], name="sum_request_month"),
            # England's requests by area: each request is in one process
            # row, so those rows' counts by area and month are the totals
            # (reports.summary_store.requests), read from this index alone
            # rather than every breakdown's rows of the months read.
            models.Index(
                fields=["month", "local_authority", "count"],
                condition=models.Q(breakdown="process"),
                name="sum_request_month_process",
            ),
        ]


class Timeliness(models.Model):
    """What a due month counts contributions by (timeliness). England's
    rows keep the first three and fold the others into counts
    (:class:`ContributionDueEngland`)."""

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")
    process = models.CharField(max_length=20, choices=Process.choices)
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    excepted = models.BooleanField()
    withdrawn = models.BooleanField()
    review_recorded = models.BooleanField()

    class Meta:
        abstract = True


class Reviewed(models.Model):
    """What a review month counts quality reviews by."""

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")
    rating = models.CharField(max_length=5, choices=Rating.choices)

    class Meta:
        abstract = True


class ContributionDueMonth(ByReceiptMonthRow, Timeliness):
    """:class:`ContributionCount` by the month the contributions are due
    (timeliness)."""

    class Meta:
        indexes = [models.Index(fields=["local_authority", "month"], name="sum_due_month")]


class ContributionAskedMonth(MonthRow):
    """:class:`ContributionCount` by the month health received the requests
    and the service asked (services asked)."""

    service = _counted_by("commissioning.Service")

    class Meta:
        indexes = [models.Index(fields=["local_authority", "month"], name="sum_asked_month")]


class ReturnMonth(ByReceiptMonthRow):
    """:class:`ReturnCount` by the month of return: the days-to-return
    histogram."""

    days = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["local_authority", "month"], name="sum_return_month")]


class ProviderAskMonth(MonthRow):
    """:class:`ProviderAskCount` by the month health received the requests."""

    provider = _counted_by("commissioning.Provider")

    class Meta:
        indexes = [models.Index(fields=["local_authority", "month"], name="sum_ask_month")]


class QualityReviewMonth(ByReceiptMonthRow, Reviewed):
    """:class:`QualityReviewCount` by the month of the review."""

    class Meta:
        indexes = [models.Index(fields=["local_authority", "month"], name="sum_quality_month")]


class ProvisionGapMonth(ByReceiptMonthRow):
    """:class:`ProvisionGapCount` by the month the advice was written."""

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")

    class Meta:
        indexes = [models.Index(fields=["local_authority", "month"], name="sum_gap_month")]


class EnglandRow(models.Model):
    """England's month counts of one month table (``SOURCE``), without the
    area and the month of receipt: what a report for England reads for whole
    months instead of every area's month rows (docs/reports.md, "England's
    month rows").

    Rows are *changes*: each time the writer (:mod:`ehc.summary`) recounts
    an area's month rows it appends, per key, the new count less the old
    (negative when counts went down), so writers in different areas never
    wait on one row; a key's figure is the sum of its rows.
    :func:`ehc.summary.compact_england` (nightly)
    folds each key's rows into one and drops those that sum to nothing.
    """

    SOURCE = ""

    month = models.DateField(help_text="The first day of the month of the figure's date.")
    count = models.IntegerField(help_text="A change to the key's count; the rows sum to it.")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.count:+} in {self.month:%B %Y} in England"


class RequestEngland(EnglandRow):
    """:class:`RequestMonth` for England: requests by month of receipt and
    each breakdown apart (the totals by area stay on the area rows)."""

    SOURCE = "RequestMonth"

    breakdown = models.CharField(max_length=8)
    key = models.CharField(max_length=24)

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_request_month")]


def _england_count(help_text: str) -> models.IntegerField:
    """One of England's counts in a table with several (timeliness,
    quality reviews): a change, may be negative."""
    return models.IntegerField(help_text=help_text)


class ContributionDueEngland(EnglandRow):
    """:class:`ContributionDueMonth` for England (timeliness), its verdicts
    and flags folded into the counts the timeliness figures read: one row
    per month, service, provider and process instead of one per
    combination of verdict and flags, each count the month rows' count of
    those meeting a condition (``ehc.summary.TIMELINESS_COUNTS``). Only
    reg 8 advice keeps its service and provider (``ehc.summary.
    ENGLAND_KEPT``): the other processes' rows leave them empty, one row
    per month and process."""

    SOURCE = "ContributionDueMonth"

    count = None
    service = _counted_by("commissioning.Service", null=True, help_text="Reg 8 advice only.")
    provider = _counted_by("commissioning.Provider", null=True, help_text="Reg 8 advice only.")
    process = models.CharField(max_length=20, choices=Process.choices)
    withdrawn = _england_count("Left out, unreturned, when the LA withdrew the request.")
    counted = _england_count("Not withdrawn: judged once due (the timeliness figures).")
    on_time = _england_count("Not withdrawn, returned on time.")
    excepted = _england_count("Not withdrawn, a reg 8(2) exception recorded.")
    excepted_on_time = _england_count("Not withdrawn, an exception recorded, returned on time.")
    unrecorded = _england_count("Not withdrawn, not linked to a review meeting.")

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_due_month")]

    def __str__(self) -> str:
        return f"{self.counted:+} due in {self.month:%B %Y} in England"


class ContributionAskedEngland(EnglandRow):
    """:class:`ContributionAskedMonth` for England (services asked)."""

    SOURCE = "ContributionAskedMonth"

    service = _counted_by("commissioning.Service")

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_asked_month")]


class ProviderAskEngland(EnglandRow):
    """:class:`ProviderAskMonth` for England (requests asking each provider)."""

    SOURCE = "ProviderAskMonth"

    provider = _counted_by("commissioning.Provider")

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_ask_month")]


class ReturnEngland(EnglandRow):
    """:class:`ReturnMonth` for England (days to return)."""

    SOURCE = "ReturnMonth"

    days = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_return_month")]


class QualityReviewEngland(EnglandRow):
    """:class:`QualityReviewMonth` for England, its ratings folded into a
    count each (``ehc.summary.QUALITY_COUNTS``): one row per month, service
    and provider instead of one per rating."""

    SOURCE = "QualityReviewMonth"

    count = None
    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")
    green = _england_count("Reviews rated green.")
    amber = _england_count("Reviews rated amber.")
    red = _england_count("Reviews rated red.")

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_quality_month")]

    def __str__(self) -> str:
        return f"{self.green + self.amber + self.red:+} reviewed in {self.month:%B %Y} in England"


class ProvisionGapEngland(EnglandRow):
    """:class:`ProvisionGapMonth` for England."""

    SOURCE = "ProvisionGapMonth"

    service = _counted_by("commissioning.Service")
    provider = _counted_by("commissioning.Provider")

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_gap_month")]


class OverdueEngland(EnglandRow):
    """Contributions overdue on a month's last day in all of England (a
    position, as :class:`LateCount` allows it to be worked out for any day:
    due before that day, not returned by it, the request not closed by it),
    by service, exception, late reason and how long overdue (``band``, a
    key of ``ehc.clock.OVERDUE_AGES``), for the month ends before today: a
    report for England whose periods end on month ends (every financial
    year and quarter) reads these instead of aggregating every late row out
    on its days (docs/reports.md, "England's month rows").

    Rows are changes, as the others' (:class:`EnglandRow`): whenever the
    writer recounts buckets it appends, per key, how their late rows'
    month ends changed. A month end is read only once
    :class:`OverdueEnglandFilled` says it was filled whole
    (``ehc.summary.fill_overdue``, nightly after a month ends)."""

    SOURCE = "LateCount"

    month = models.DateField(help_text="The first day of the month whose last day it counts.")
    service = _counted_by("commissioning.Service")
    excepted = models.BooleanField()  # a reg 8(2) exception recorded
    late_reason = models.CharField(max_length=24, choices=LateReason.choices, blank=True)
    band = models.CharField(max_length=4)

    class Meta:
        indexes = [models.Index(fields=["month"], name="england_overdue_month")]


class OverdueEnglandFilled(models.Model):
    """A month whose last day's :class:`OverdueEngland` rows were written
    whole from :class:`LateCount` (and kept up to date by the writer since):
    only those months are read from them."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    filled_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Overdue on the last day of {self.month:%B %Y} in England, filled"


# The day tables (by bucket), then the month tables (by area and month).
SUMMARY_MODELS = (
    RequestCount,
    ContributionCount,
    ReturnCount,
    ProviderAskCount,
    QualityReviewCount,
    ProvisionGapCount,
    LateCount,
)
MONTH_MODELS = (
    RequestMonth,
    ContributionDueMonth,
    ContributionAskedMonth,
    ReturnMonth,
    ProviderAskMonth,
    QualityReviewMonth,
    ProvisionGapMonth,
)
# England's month rows, each of one month table above.
ENGLAND_MODELS = (
    RequestEngland,
    ContributionDueEngland,
    ContributionAskedEngland,
    ProviderAskEngland,
    ReturnEngland,
    QualityReviewEngland,
    ProvisionGapEngland,
)
