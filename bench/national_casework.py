"""Synthetic casework at national scale, written as PostgreSQL COPY text.

Used by ``bench/national_data.py`` (which builds the database and loads
these files). No Django model is instantiated: each row is a line of
tab-separated COPY text, so a million requests take minutes, not hours.

The proportions follow ``portal/demo/casework.py`` (seed_demo) over a
longer history:

- six financial years up to today, a few more requests each year;
- requests per local authority skewed beyond child population, so the
  largest authority has about 13 times the requests of the median one;
- about 0.6 children per request (a child's later requests come at least
  200 days after the earlier one, and before their 25th birthday);
- 2 to 6 services asked per request (4 on average); about 70% of
  contributions returned on time, some late with a reason, a few late under
  a reg 8(2) exception, the rest outstanding;
- about 4% of requests withdrawn (what was outstanding is marked
  ``withdrawn``); most older requests closed (outstanding work marked
  ``closed``), a few left awaiting as overdue stragglers;
- advice for each contribution that gave it, with 1 to 3 provision rows, and
  a quality review of half of them;
- review records for annual and phase transfer review requests, and a few
  section 23 notices, mediation and tribunal cases and personal health
  budgets.

Every row satisfies the tables' check, unique and foreign key constraints
(the loader recreates the last two after loading, which proves it).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from national_columns import COLUMNS, TABLES  # noqa: F401  (used by the loader and tests)

from ehc.quality import CRITERIA_NAMES, rating_for
from portal.demo import casework_content as content

NULL = "\\N"
YEARS_OF_HISTORY = 6
AGE_LIMIT_DAYS = 9130  # just under 25 years
SECOND_REQUEST_AFTER = 200  # days between a child's requests, at least
# Probability that a request is about a child already known (tuned so that
# there are about 0.6 children per request once ineligible picks fall back
# to a new child).
REUSE_CHILD = 0.65


def _text(value: str) -> str:
    """A string as COPY text (backslash, tab and line breaks escaped)."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _bag(pairs) -> list:
    """A list to draw weighted choices from with one ``rng.choice``."""
    return [value for value, weight in pairs for _ in range(weight)]


AGES = _bag(content.AGE_WEIGHTS)
NEEDS = _bag([(str(need), weight) for need, weight in content.NEED_WEIGHTS])
PROCESSES = _bag([(str(process), weight) for process, weight in content.PROCESS_WEIGHTS])
REVIEW_PROCESSES = {"annual_review", "phase_transfer"}
OUTCOMES = _bag([("advice_given", 78), ("no_health_needs", 10), ("not_known", 9), ("declined", 3)])
FIRST = [_text(n) for n in content.FIRST_NAMES]
LAST = [_text(n) for n in content.LAST_NAMES]
LATE_REASONS = list(content.LATE_NOTES)
LATE_NOTES = {str(k): _text(v) for k, v in content.LATE_NOTES.items()}
EXCEPTIONS = [str(k) for k in content.EXCEPTION_EVIDENCE]
EVIDENCE = {str(k): _text(v) for k, v in content.EXCEPTION_EVIDENCE.items()}
DECLINED = [_text(t) for t in content.DECLINED]
ADVICE_NEEDS = [_text(t) for t in content.NEEDS]
ADVICE_OUTCOMES = [_text(t) for t in content.OUTCOMES]
VIEWS = [_text(t) for t in content.VIEWS]
ISSUES = [_text(t) for t in content.ISSUES]
VOLUNTARY = [_text(t) for t in content.VOLUNTARY]
BUDGET_OUTCOMES = ["under_consideration", "agreed", "declined_by_family", "not_agreed"]
REVIEW_NOTE = "Please quantify the provision and separate needs from outcomes."


def nhs_numbers(start: int, stop: int):
    """Valid NHS numbers in the 999 range kept for test data, each once:
    the 6 digits after 999 walk a fixed permutation of 0..999,999 from
    position ``start`` to ``stop``; bodies whose modulus-11 check digit
    would be 10 are skipped (about 1 in 11). Past the range, ``""``."""
    for position in range(start, stop):
        body = f"999{(position * 7_919 + 12_345) % 1_000_000:06d}"
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            yield body + str(check)
    while True:
        yield ""


@dataclass
class Authority:
    """What the generator needs to know about one local authority."""

    id: int
    gss_code: str
    body_id: int
    requests: int
    services: list[tuple[int, str]]  # (service id, service type)
    providers: list[int]
    officers: list[int]  # designated clinical officers covering it


@dataclass
class Ids:
    """The next id of each table: each worker gets its own ranges."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


class Casework:
    """Writes the casework of some authorities to one file per table.

    ``write(table, line)`` receives each row as COPY text (without the line
    break); ``today`` is a date; ``dco_id`` records exceptions and reviews.
    """

    def __init__(
        self,
        *,
        today: datetime.date,
        seed: int,
        ids: Ids,
        nhs: range,
        dco_id: int,
        write: Callable[[str, str], None],
    ):
        self.rng = random.Random(seed)
        self.today = today.toordinal()
        fy = today.year if today.month >= 4 else today.year - 1
        self.start = datetime.date(fy - YEARS_OF_HISTORY + 1, 4, 1).toordinal()
        self.ids = ids
        self.nhs = nhs_numbers(nhs.start, nhs.stop)
        self.dco = str(dco_id)
        self.write = write
        self.days = {
            o: datetime.date.fromordinal(o).isoformat()
            for o in range(self.start - 30 * 366, self.today + 400)
        }
        self.counts = dict.fromkeys(TABLES, 0)
        self.by_status: dict[str, int] = {}

    # --- helpers ------------------------------------------------------------------

    def _day(self, ordinal: int | None) -> str:
        return NULL if ordinal is None else self.days[ordinal]

    def _stamp(self, ordinal: int) -> str:
        return f"{self.days[min(ordinal, self.today)]} 09:00:00+00"

    def _between(self, start: int, end: int) -> int:
        return start + self.rng.randint(0, end - start) if end > start else start

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def _row(self, table: str, values: list[str]) -> None:
        self.write(table, "\t".join(values))
        self.counts[table] += 1

    def _tracked(self, table: str, ordinal: int) -> tuple[int, list[str]]:
        pk = self.ids.take(table)
        stamp = self._stamp(ordinal)
        return pk, [str(pk), "1", stamp, stamp, NULL]

    # --- one authority ------------------------------------------------------------

    def authority(self, la: Authority) -> None:
        rng, span = self.rng, self.today - self.start
        # A few more requests each year: density rises towards today.
        received = sorted(self.start + int(span * rng.random() ** 0.8) for _ in range(la.requests))
        service_bag = [
            (sid, stype)
            for sid, stype in la.services
            for _ in range(content.SERVICE_WEIGHTS.get(stype, 1))
        ]
        known: list[list[int]] = []  # [child id, date of birth, last request received]
        for number, received_on in enumerate(received, start=1):
            child = None
            if known and rng.random() < REUSE_CHILD:
                candidate = rng.choice(known)
                if (
                    candidate[2] + SECOND_REQUEST_AFTER <= received_on
                    and received_on - candidate[1] < AGE_LIMIT_DAYS
                ):
                    child = candidate
            if child is None:
                child = self._child(la, received_on, len(known) + 1)
                known.append(child)
            child[2] = received_on
            self._request(la, child, received_on, number, service_bag)

    def _child(self, la: Authority, received_on: int, number: int) -> list[int]:
        rng = self.rng
        age = rng.choice(AGES)
        born = received_on - max(90, int(age * 365.25) + rng.randint(1, 364))
        born = max(born, received_on - AGE_LIMIT_DAYS + 1)
        pk, row = self._tracked("ehc_child", received_on)
        row += [
            str(la.id),
            next(self.nhs),
            f"NAT-{la.gss_code}-{number:06d}",
            rng.choice(FIRST),
            rng.choice(LAST),
            self.days[born],
            rng.choice(NEEDS),
            "t" if rng.random() < 0.08 else "f",
            "t" if age >= 5 and rng.random() < 0.04 else "f",
            "t" if age >= 10 and rng.random() < 0.03 else "f",
            NULL,
            NULL,
            NULL,
            # About 2% eligible for continuing care, from the id so the
            # random stream (and so the rest of the data) stays as it was.
            "t" if pk % 50 == 0 else "f",
        ]
        self._row("ehc_child", row)
        self._child_records(la, pk, born, received_on)
        return [pk, born, received_on]

    def _request(
        self, la: Authority, child: list[int], received_on: int, number: int, service_bag
    ) -> None:
        rng, today = self.rng, self.today
        process = rng.choice(PROCESSES)
        meeting_on = None
        if process in REVIEW_PROCESSES:
            meeting_on = received_on + rng.randint(28, 70)
            due_on = meeting_on - 14  # reg 20(4): 2 weeks before the meeting
        else:
            due_on = received_on + 42  # reg 8(1): 6 weeks
        request_id = self.ids.take("ehc_healthadvicerequest")
        owner = str(rng.choice(la.officers)) if la.officers and rng.random() < 0.9 else NULL
        wanted = min(rng.choice((2, 3, 4, 4, 5, 6)), len(la.services))
        picked: dict[int, str] = {}
        while len(picked) < wanted:
            sid, stype = rng.choice(service_bag)
            picked[sid] = stype
        contributions = [self._contribution(received_on, due_on) for _ in picked]
        returned = [c["returned_on"] for c in contributions if c["returned_on"] is not None]
        outstanding = len(returned) < len(contributions)
        age = today - received_on
        closed_on = None
        if rng.random() < 0.04:
            status = "withdrawn"
            closed_on = self._between(min(received_on + 3, today), min(due_on + 30, today))
            for c in contributions:
                if c["returned_on"] is not None and c["returned_on"] > closed_on:
                    self._unreturn(c)
                if c["returned_on"] is None:
                    c["left_outstanding"] = "withdrawn"
        elif outstanding and age > 365 and rng.random() < 0.9:
            # Old work nobody will return: the officer closed the request.
            status = "closed"
            after = max([due_on + 30, *(r + 14 for r in returned)])
            closed_on = self._between(min(after, today), min(after + 180, today))
            for c in contributions:
                if c["returned_on"] is None:
                    c["left_outstanding"] = "closed"
        elif outstanding:
            status = "awaiting"  # in time, or an overdue straggler
        elif age > 140 and rng.random() < (0.45 if age < 365 else 0.92):
            status = "closed"
            after = max(returned) + 14
            closed_on = self._between(min(after, today), min(after + 120, today))
        else:
            status = "returned"
        self.by_status[status] = self.by_status.get(status, 0) + 1
        review_id = NULL
        if meeting_on is not None:
            review_id = self._review(
                la.id,
                child[0],
                process,
                received_on,
                meeting_on,
                next(iter(picked)),
                None if outstanding or status == "withdrawn" else max(returned),
            )
        stamp = self._stamp(received_on)
        sent_on = received_on - rng.choice((0, 0, 1, 1, 2, 3, 5))
        self._row(
            "ehc_healthadvicerequest",
            [
                str(request_id),
                "1",
                stamp,
                stamp,
                NULL,
                str(child[0]),
                str(la.id),
                f"NAT-R{la.gss_code[-4:]}-{number:06d}",
                process,
                self.days[sent_on],
                self.days[received_on],
                self.days[due_on],
                review_id,
                owner,
                status,
                self._day(closed_on),
                "Withdrawn: the family moved out of the area." if status == "withdrawn" else "",
                self.days[due_on],  # working_due_on, urgency and has_lawful_exception:
                "0",  # placeholders until refresh_all stores the worklist's keys
                "f",
            ],
        )
        for c, (sid, stype) in zip(contributions, picked.items(), strict=True):
            self._write_contribution(request_id, la.id, sid, stype, c)

    def _contribution(self, received_on: int, due_on: int) -> dict:
        """A contribution's dates and outcome (written once the request's
        status is known, which may unreturn or mark it)."""
        rng, today = self.rng, self.today
        asked_on = min(received_on + rng.choice((0, 0, 0, 1, 2, 4)), today)
        c = {
            "asked_on": asked_on,
            "due_on": due_on,
            "return_by": None,
            "returned_on": None,
            "left_outstanding": "",
            "late_reason": "",
            "exception": "",
            "exception_on": None,
        }
        if due_on >= today and rng.random() < 0.3:
            c["return_by"] = max(due_on - 7, asked_on)
        roll = rng.random()
        if due_on >= today:
            elapsed = (today - received_on) / max(due_on - received_on, 1)
            if roll < 0.75 * elapsed:
                c["returned_on"] = min(self._between(asked_on + 7, today), today)
        elif roll < 0.72:
            c["returned_on"] = self._between(asked_on + 10, due_on)
        elif roll < 0.92:
            c["returned_on"] = min(due_on + rng.randint(1, 45), today)
            c["late_reason"] = str(rng.choice(LATE_REASONS))
        elif roll < 0.96:
            c["returned_on"] = min(due_on + rng.randint(7, 40), today)
            c["exception"] = exception = rng.choice(EXCEPTIONS)
            if exception != "exceptional_circumstances":
                c["exception_on"] = self._between(received_on + 7, due_on)
        # else: overdue, still outstanding.
        if c["returned_on"] is not None and c["returned_on"] < asked_on:
            c["returned_on"] = asked_on
        return c

    @staticmethod
    def _unreturn(c: dict) -> None:
        c["returned_on"] = c["exception_on"] = None
        c["late_reason"] = c["exception"] = ""

    def _write_contribution(
        self, request_id: int, la_id: int, sid: int, stype: str, c: dict
    ) -> None:
        rng = self.rng
        returned_on = c["returned_on"]
        outcome = declined = late_note = evidence = ""
        recorded_by = recorded_at = NULL
        if returned_on is not None:
            outcome = rng.choice(OUTCOMES)
            if outcome == "declined":
                declined = rng.choice(DECLINED)
        if c["late_reason"] and (c["late_reason"] == "other" or rng.random() < 0.6):
            late_note = LATE_NOTES[c["late_reason"]]
        if c["exception"]:
            evidence = EVIDENCE[c["exception"]]
            recorded_by, recorded_at = self.dco, self._stamp(returned_on)
        pk, row = self._tracked("ehc_contribution", c["asked_on"])
        working = c["return_by"] if c["return_by"] is not None else c["due_on"]
        row += [
            str(request_id),
            str(sid),
            self.days[c["asked_on"]],
            NULL,
            self.days[c["due_on"]],
            self._day(c["return_by"]),
            self.days[working],
            c["left_outstanding"],
            self._day(returned_on),
            outcome,
            declined,
            c["late_reason"],
            late_note,
            c["exception"],
            evidence,
            self._day(c["exception_on"]),
            recorded_by,
            recorded_at,
            str(la_id),  # the request's area, copied
        ]
        self._row("ehc_contribution", row)
        if outcome == "advice_given":
            self._advice(pk, stype, c["asked_on"], returned_on)

    def _advice(self, contribution_id: int, stype: str, asked_on: int, returned_on: int) -> None:
        rng = self.rng
        written_on = max(asked_on, returned_on - rng.choice((0, 0, 1, 2, 5)))
        pk, row = self._tracked("ehc_advice", written_on)
        row += [
            str(contribution_id),
            self.days[written_on],
            self._name(),
            _text(content.PROFESSIONS.get(stype, "Health professional")),
            rng.choice(ADVICE_NEEDS),
            rng.choice(ADVICE_OUTCOMES).format(y=rng.randint(1, 11)),
            rng.choice(VIEWS),
            "",
            "",
        ]
        self._row("ehc_advice", row)
        options = content.PROVISION.get(stype, []) + content.GENERAL_PROVISION
        for position, item in enumerate(rng.sample(options, rng.randint(1, 3))):
            description, delivered_by, frequency, duration, section = item
            self._row(
                "ehc_provisionitem",
                [
                    str(self.ids.take("ehc_provisionitem")),
                    str(pk),
                    str(position),
                    _text(description),
                    _text(delivered_by),
                    _text(frequency),
                    _text(duration),
                    section,
                    "t" if rng.random() >= 0.12 else "f",
                ],
            )
        if rng.random() < 0.5:
            chance = rng.choice((0.55, 0.75, 0.9, 0.95))
            met = [rng.random() < chance for _ in CRITERIA_NAMES]
            score = sum(met)
            reviewed_on = self._between(returned_on, min(returned_on + 30, self.today))
            _, row = self._tracked("ehc_qualityreview", reviewed_on)
            row += [str(pk), self.dco, self.days[reviewed_on]]
            row += ["t" if m else "f" for m in met]
            row += [str(score), rating_for(score), "" if score == len(met) else REVIEW_NOTE]
            self._row("ehc_qualityreview", row)

    def _review(
        self,
        la_id: int,
        child_id: int,
        process: str,
        received_on: int,
        meeting_on: int,
        service_id: int,
        advice_sent_on: int | None,
    ) -> str:
        rng, today = self.rng, self.today
        invited_on = min(max(received_on, meeting_on - rng.randint(14, 28)), today)
        pk, row = self._tracked("ehc_reviewinput", received_on)
        attended = NULL if meeting_on > today else ("t" if rng.random() < 0.7 else "f")
        # The LA's decision 5 to 27 days after the meeting, as in seed_demo;
        # about 3% left unrecorded (the digest chases those). From the id,
        # so the random stream (and the rest of the data) stays as it was.
        decided = meeting_on + 5 + pk % 23
        decision_on = NULL if decided > today or pk % 33 == 0 else self.days[decided]
        row += [
            str(la_id),  # the child's area, copied
            str(child_id),
            "t" if process == "phase_transfer" else "f",
            self.days[meeting_on],
            self._name(),
            self.days[invited_on],
            attended,
            self._day(advice_sent_on),
            str(service_id),
            decision_on,
        ]
        self._row("ehc_reviewinput", row)
        return str(pk)

    def _child_records(self, la: Authority, child_id: int, born: int, known_on: int) -> None:
        """A few children have a section 23 notice (under 5), a mediation or
        tribunal case or a personal health budget, dated after the request."""
        rng, today = self.rng, self.today
        if known_on - born < 5 * 365 and rng.random() < 0.03:
            told = self._between(max(born + 30, known_on - 200), known_on)
            by_trust = bool(la.providers) and rng.random() < 0.8
            pk, row = self._tracked("ehc_section23notice", told)
            row += [
                str(la.id),  # the child's area, copied
                str(child_id),
                str(rng.choice(la.providers)) if by_trust else NULL,
                NULL if by_trust else str(la.body_id),
                self._name(),
                rng.choice(("Health visitor", "Community paediatrician")),
                self.days[told],
                "t" if rng.random() < 0.85 else "f",
                self._day(min(told + rng.randint(0, 21), today) if rng.random() < 0.8 else None),
                rng.choice(VOLUNTARY),
            ]
            self._row("ehc_section23notice", row)
        if rng.random() < 0.012 and known_on + 60 < today:
            requested_on = self._between(known_on + 30, min(known_on + 365, today - 5))
            notified = min(requested_on + rng.choice((0, 1, 2, 3, 3, 4, 6)), today)
            arranged = min(notified + rng.randint(10, 40), today) if rng.random() < 0.6 else None
            _, row = self._tracked("ehc_mediationcase", requested_on)
            row += [
                str(la.id),  # the child's area, copied
                str(child_id),
                self.days[requested_on],
                self.days[notified],
                "t" if rng.random() < 0.3 else "f",
                self._day(arranged),
                rng.choice(ISSUES),
                rng.choice(("", "Agreed to add quantified SLT to section F.")),
            ]
            self._row("ehc_mediationcase", row)
        if rng.random() < 0.006 and known_on + 90 < today:
            registered_on = self._between(known_on + 60, min(known_on + 400, today - 30))
            decided = registered_on + rng.randint(90, 200)
            decision_on = decided if decided <= today else None
            received = (
                min(decision_on + rng.randint(3, 14), today)
                if decision_on and rng.random() < 0.7
                else None
            )
            response = received + rng.randint(10, 45) if received else None
            _, row = self._tracked("ehc_tribunalcase", registered_on)
            row += [
                str(la.id),  # the child's area, copied
                str(child_id),
                self.days[registered_on],
                self._day(decision_on),
                rng.choice(ISSUES),
                "The commissioning body should review access to occupational therapy."
                if received
                else "",
                self._day(received),
                self._day(response if response and response <= today else None),
            ]
            self._row("ehc_tribunalcase", row)
        if rng.random() < 0.012:
            considered_on = self._between(known_on, min(known_on + 365, today))
            _, row = self._tracked("ehc_personalhealthbudget", considered_on)
            row += [
                str(la.id),  # the child's area, copied
                str(child_id),
                self.days[considered_on],
                "t" if rng.random() < 0.2 else "f",
                rng.choice(BUDGET_OUTCOMES),
                "",
            ]
            self._row("ehc_personalhealthbudget", row)
