"""Server-rendered SVG charts, shared by report pages and their PDFs.

A ``Chart`` is plain data (a title, category names and one or more
``Series``) and renders itself as an inline SVG string. The same markup goes
into a web page and into a WeasyPrint PDF, so the SVG uses only what both
understand: no JavaScript, no CSS from outside, no web fonts, no URLs
(pattern fills refer to ids inside the same SVG). ``table_head()`` and
``table_rows()`` give the same figures as a table, which the template
``reports/includes/chart.html`` puts under the chart for anyone who cannot
read the picture.

Values are counts or rates and are assumed not to be negative (a negative
value draws a bar of no length, though its label shows the real figure).
A value may be missing:

* ``None`` means there is no figure: nothing is drawn and the table shows
  an en dash;
* a string (normally ``"*"``) means the figure exists but is suppressed
  (small numbers): no bar is drawn, but the string is written at the
  baseline so a reader sees that something is hidden there.

Every piece of text comes from data (service names are typed in by users)
and is escaped before it goes into the SVG.

Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT_FAMILY = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#0b0c0c"  # GOV.UK text colour
GRID_COLOUR = "#b1b4b6"  # GOV.UK mid grey: gridlines only, never text
SECONDARY_TEXT = "#505a5f"  # GOV.UK secondary text (7:1 on white)

# GOV.UK palette. Orange is below 3:1 against white on its own, so every bar
# and marker also gets a dark outline, and series differ by fill pattern
# (bars) or marker shape and dash (lines) as well as by colour.
COLOURS = ("#1d70b8", "#003078", "#f47738", "#4c2c92", "#00703c")
PATTERNS = ("solid", "diagonal", "dots", "grid", "horizontal")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = (None, "8 4", "2 3", "10 3 2 3", "4 4")

KINDS = {
    "bar": "Bar chart",
    "hbar": "Horizontal bar chart",
    "line": "Line chart",
}

NO_DATA_TEXT = "No data for this period"
BAR_LABEL_LIMIT = 28  # characters of a category name under a vertical bar

LABEL_SIZE = 14  # category names and the legend
SMALL_SIZE = 12  # axis ticks and value labels
CHAR_WIDTH = 0.58  # rough width of an Arial character, in ems, to lay out text


@dataclass
class Series:
    """One set of figures, one per category of the chart it belongs to."""

    name: str
    values: list[float | int | str | None]


@dataclass
class Chart:
    """A chart of one or more series over the same categories.

    ``kind`` is ``"bar"`` (vertical grouped bars), ``"hbar"`` (horizontal
    bars, for long category names) or ``"line"`` (a trend, one point per
    category). ``y_max`` fixes the top of the value axis when the data may
    not reach it, such as 100 for percentages; a larger figure still fits.
    ``unit`` is shown after each figure when it is ``"%"``; any other unit
    (``"requests"``) labels the value axis instead.
    """

    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    kind: str = "bar"
    y_max: float | None = None
    description: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}; use one of {', '.join(KINDS)}.")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"Series {series.name!r} has {len(series.values)} values "
                    f"for {len(self.categories)} categories."
                )

    # -- the table -----------------------------------------------------------

    def table_head(self) -> list[str]:
        return ["Category", *(str(series.name) for series in self.series)]

    def table_rows(self) -> list[list[str]]:
        return [
            [str(category), *(format_value(s.values[i], self.unit) for s in self.series)]
            for i, category in enumerate(self.categories)
        ]

    # -- the picture ---------------------------------------------------------

    @property
    def has_data(self) -> bool:
        """True when there is at least one figure, shown or suppressed."""
        return any(
            _number(value) is not None or _is_suppressed(value)
            for series in self.series
            for value in series.values
        )

    def element_id(self, width: int = 640, height: int | None = None) -> str:
        """An id for the SVG, stable for the same content and size.

        A slug of the title makes it readable; a short hash of everything
        drawn keeps two different charts on one page apart even when they
        share a title.
        """
        slug = re.sub(r"[^a-z0-9]+", "-", str(self.title).lower()).strip("-")[:40].strip("-")
        content = repr(
            (
                self.title,
                list(self.categories),
                [(s.name, list(s.values)) for s in self.series],
                self.unit,
                self.kind,
                self.y_max,
                self.description,
                width,
                height,
            )
        )
        digest = hashlib.sha1(content.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        return f"chart-{slug or 'untitled'}-{digest}"

    def summary(self) -> str:
        """The text of ``<desc>``: the given description, or one built from the data."""
        if self.description:
            return self.description
        if not self.has_data:
            return f"{NO_DATA_TEXT}."
        count = len(self.categories)
        text = f"{KINDS[self.kind]} of {count} {'category' if count == 1 else 'categories'}"
        names = [str(s.name) for s in self.series]
        if len(names) == 1:
            text += f", showing {names[0]}"
        else:
            text += f", comparing {', '.join(names[:-1])} and {names[-1]}"
        if self.unit == "%":
            text += " as percentages"
        elif self.unit:
            text += f" in {self.unit}"
        if any(_is_suppressed(v) for s in self.series for v in s.values):
            text += ". Figures marked * are suppressed"
        return text + "."

    def svg(self, width: int = 640, height: int | None = None) -> SafeString:
        """The chart as an accessible inline SVG.

        ``height`` defaults to what the chart needs; a horizontal bar chart
        grows by one row per category.
        """
        width = int(width)
        ident = self.element_id(width, height)
        if not self.has_data:
            body, height = _no_data_body(width, height)
        else:
            layout = _Layout(self, width, height, ident)
            body, height = layout.render()
        head = _open(
            "svg",
            xmlns="http://www.w3.org/2000/svg",
            class_="app-chart__svg",
            role="img",
            aria_labelledby=f"{ident}-title {ident}-desc",
            viewBox=f"0 0 {_n(width)} {_n(height)}",
            width=width,
            height=height,
            font_family=FONT_FAMILY,
            font_size=LABEL_SIZE,
        )
        parts = [
            head,
            _el("title", str(self.title), id=f"{ident}-title"),
            _el("desc", self.summary(), id=f"{ident}-desc"),
            body,
            "</svg>",
        ]
        return mark_safe("".join(parts))


# -- helpers anyone may use ---------------------------------------------------


def nice_ticks(max_value: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Gridline values from 0 to at least ``max_value``, on a round step.

    Steps are 1, 2 or 5 times a power of ten, or 25, 250 and so on, giving
    between ``count - 1`` and ``count + 1`` ticks (4 to 6 by default), with
    the top tick as close above the maximum as possible: 7 gives 0, 2, 4, 6,
    8 and 100 gives 0, 25, 50, 75, 100. With ``integer`` the step is a whole
    number (a count of requests never needs a 0.5 gridline). A maximum of
    zero or less, or not a number, gives 0 to ``count - 1``.
    """
    count = max(int(count), 3)
    target = count - 1
    low, high = max(target - 1, 1), target + 1
    top = float(max_value) if max_value is not None else 0.0
    if not math.isfinite(top) or top <= 0:
        return [float(i) for i in range(count)]
    exponent = math.floor(math.log10(top / target))
    candidates = []
    for power in (exponent - 1, exponent, exponent + 1):
        for multiple in (1, 2, 2.5, 5):
            step = round(multiple * 10.0**power, 12)
            if multiple == 2.5 and step < 25:
                continue  # 25, 250… read well; 2.5 and 0.25 gridlines do not
            if integer and (step < 1 or not step.is_integer()):
                continue
            intervals = math.ceil(top / step - 1e-9)
            if low <= intervals <= high:
                waste = round(intervals * step - top, 9)
                candidates.append(
                    (waste, abs(intervals - target), multiple == 2.5, step, intervals)
                )
    if candidates:
        *_, step, intervals = min(candidates)
    else:  # only when integer and the maximum is tiny, such as 1 or 2
        step, intervals = 1.0, max(low, math.ceil(top))
    return [round(i * step, 10) for i in range(intervals + 1)]


def format_value(value, unit: str = "") -> str:
    """A figure as people read it: ``1,234``, ``12.5``, ``40.0%``.

    Whole numbers get thousands separators; other numbers one decimal
    place. ``None`` (and NaN) is an en dash; a string, a suppressed figure,
    is shown as it is (``"*"``). Only ``"%"`` is written after the number.
    """
    if isinstance(value, str):
        return value.strip() or "*"
    number = _number(value)
    if number is None:
        return "–"
    if isinstance(value, numbers.Integral):
        text = f"{int(value):,}"
    else:
        # Half up, as people round (2.25 is 2.3), not half to even on binary floats.
        exact = value if isinstance(value, Decimal) else Decimal(repr(number))
        try:
            text = f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"
        except InvalidOperation:  # more digits than Decimal's default precision
            text = f"{number:,.1f}"
    return f"{text}%" if unit == "%" else text


# -- internals ----------------------------------------------------------------


def _number(value) -> float | None:
    """The value as a float, or None when it draws nothing."""
    if value is None or isinstance(value, (str, bool)):
        return None
    if isinstance(value, numbers.Number):
        try:
            result = float(value)
        except (TypeError, ValueError):
            return None
        return result if math.isfinite(result) else None
    return None


def _is_suppressed(value) -> bool:
    return isinstance(value, str)


def _n(value: float) -> str:
    """A coordinate, to one decimal place without trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attrs: dict) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _n(value)
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


def _open(tag: str, **attrs) -> str:
    return f"<{tag}{_attrs(attrs)}>"


def _el(tag: str, text: str | None = None, **attrs) -> str:
    if text is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{escape(text)}</{tag}>"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _truncate(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _wrap(text: str, max_chars: int) -> tuple[list[str], bool]:
    """Greedy word wrap; also says whether a word had to be broken."""
    max_chars = max(max_chars, 1)
    lines: list[str] = []
    broken = False
    line = ""
    for word in str(text).split():
        while len(word) > max_chars:
            broken = True
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:max_chars])
            word = word[max_chars:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= max_chars:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines, broken


def _tick_label(value: float, unit: str) -> str:
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else text


def _no_data_body(width: int, height: int | None) -> tuple[str, int]:
    height = int(height or 80)
    body = _el(
        "text",
        NO_DATA_TEXT,
        class_="empty",
        x=width / 2,
        y=height / 2 + LABEL_SIZE * 0.35,
        text_anchor="middle",
        fill=TEXT_COLOUR,
    )
    return body, height


def _pattern(ident: str, index: int) -> tuple[str, str]:
    """(fill for series ``index``, its <pattern> definition or "")."""
    colour = COLOURS[index % len(COLOURS)]
    # Past five series the colours repeat, so shift the pattern along too.
    kind = PATTERNS[(index + index // len(COLOURS)) % len(PATTERNS)]
    if kind == "solid":
        return colour, ""
    pattern_id = f"{ident}-fill-{index}"
    white = {"stroke": "#ffffff", "stroke_width": 1.5}
    if kind == "diagonal":
        marks = _el("path", d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6", **white)
    elif kind == "dots":
        marks = _el("circle", cx=4, cy=4, r=1.6, fill="#ffffff")
    elif kind == "grid":
        marks = _el("path", d="M0,4 H8 M4,0 V8", **white)
    else:
        marks = _el("path", d="M0,2 H8 M0,6 H8", **white)
    definition = (
        _open(
            "pattern",
            id=pattern_id,
            patternUnits="userSpaceOnUse",
            width=8,
            height=8,
        )
        + _el("rect", width=8, height=8, fill=colour)
        + marks
        + "</pattern>"
    )
    return f"url(#{pattern_id})", definition


def _marker(index: int, x: float, y: float, colour: str, size: float = 5, **attrs) -> str:
    """A point marker whose shape, not only its colour, names the series."""
    shape = MARKERS[(index + index // len(COLOURS)) % len(MARKERS)]
    style = {"fill": colour, "stroke": TEXT_COLOUR, "stroke_width": 1, **attrs}
    if shape == "circle":
        return _el("circle", cx=x, cy=y, r=size, **style)
    if shape == "square":
        s = size * 0.9
        return _el("rect", x=x - s, y=y - s, width=2 * s, height=2 * s, **style)
    if shape == "triangle":
        s = size * 1.2
        d = f"M{_n(x)},{_n(y - s)} L{_n(x + s)},{_n(y + s * 0.8)} L{_n(x - s)},{_n(y + s * 0.8)} Z"
        return _el("path", d=d, **style)
    if shape == "diamond":
        s = size * 1.25
        d = f"M{_n(x)},{_n(y - s)} L{_n(x + s)},{_n(y)} L{_n(x)},{_n(y + s)} L{_n(x - s)},{_n(y)} Z"
        return _el("path", d=d, **style)
    s, t = size * 1.2, size * 0.45
    d = (
        f"M{_n(x - t)},{_n(y - s)} H{_n(x + t)} V{_n(y - t)} H{_n(x + s)} V{_n(y + t)} "
        f"H{_n(x + t)} V{_n(y + s)} H{_n(x - t)} V{_n(y + t)} H{_n(x - s)} V{_n(y - t)} "
        f"H{_n(x - t)} Z"
    )
    return _el("path", d=d, **style)


class _Layout:
    """Works out positions for one chart and writes its SVG body."""

    PAD = 8
    LEGEND_ROW = 22
    VALUE_ROOM = 18  # above the tallest bar, for its label

    def __init__(self, chart: Chart, width: int, height: int | None, ident: str):
        self.chart = chart
        self.width = width
        self.requested_height = height
        self.ident = ident
        self.fills = [_pattern(ident, i) for i in range(len(chart.series))]
        values = [v for s in chart.series for v in s.values]
        numbers_only = [n for n in map(_number, values) if n is not None]
        top_input = max([*numbers_only, float(chart.y_max or 0)], default=0.0)
        integer = all(
            isinstance(v, numbers.Integral) for v in values if _number(v) is not None
        ) and (chart.y_max is None or float(chart.y_max).is_integer())
        self.ticks = nice_ticks(top_input, integer=integer)
        self.top = self.ticks[-1]
        self.tick_labels = [_tick_label(t, chart.unit) for t in self.ticks]
        self.axis_caption = chart.unit if chart.unit and chart.unit != "%" else ""

    # -- shared pieces -------------------------------------------------------

    def legend(self, y: float) -> tuple[str, float]:
        """The legend rows starting at ``y``; returns markup and height used."""
        if len(self.chart.series) < 2:
            return "", 0
        parts = [_open("g", class_="legend")]
        x, row = self.PAD, 0
        for index, series in enumerate(self.chart.series):
            name = str(series.name)
            item_width = 30 + _text_width(name, LABEL_SIZE) + 20
            if x > self.PAD and x + item_width > self.width - self.PAD:
                x, row = self.PAD, row + 1
            top = y + row * self.LEGEND_ROW
            centre = top + 8
            if self.chart.kind == "line":
                colour = COLOURS[index % len(COLOURS)]
                parts.append(
                    _el(
                        "line",
                        x1=x,
                        y1=centre,
                        x2=x + 24,
                        y2=centre,
                        stroke=colour,
                        stroke_width=3,
                        stroke_dasharray=self._dash(index),
                    )
                )
                parts.append(_marker(index, x + 12, centre, colour, size=4.5))
            else:
                parts.append(
                    _el(
                        "rect",
                        x=x + 5,
                        y=top + 1,
                        width=14,
                        height=14,
                        fill=self.fills[index][0],
                        stroke=TEXT_COLOUR,
                        stroke_width=1,
                    )
                )
            parts.append(
                _el("text", name, x=x + 30, y=centre + LABEL_SIZE * 0.35, fill=TEXT_COLOUR)
            )
            x += item_width
        parts.append("</g>")
        return "".join(parts), (row + 1) * self.LEGEND_ROW + 4

    def defs(self) -> str:
        definitions = "".join(definition for _, definition in self.fills)
        return f"<defs>{definitions}</defs>" if definitions else ""

    @staticmethod
    def _dash(index: int) -> str | None:
        return DASHES[(index + index // len(COLOURS)) % len(DASHES)]

    def render(self) -> tuple[str, int]:
        if self.chart.kind == "hbar":
            return self.render_hbar()
        return self.render_columns()

    # -- vertical bars and lines ---------------------------------------------

    def _category_labels(self, band: float) -> tuple[str, list[list[str]]]:
        """How category names fit under their band: "flat", "wrap" or "rotate"."""
        room = max(band - 6, 10)
        max_chars = max(int(room / (LABEL_SIZE * CHAR_WIDTH)), 1)
        labels = [_truncate(c, BAR_LABEL_LIMIT) for c in self.chart.categories]
        if all(_text_width(label, LABEL_SIZE) <= room for label in labels):
            return "flat", [[label] for label in labels]
        wrapped = [_wrap(label, max_chars) for label in labels]
        if all(not broken and len(lines) <= 3 for lines, broken in wrapped):
            return "wrap", [lines for lines, _ in wrapped]
        return "rotate", [[label] for label in labels]

    def render_columns(self) -> tuple[str, int]:
        chart, width = self.chart, self.width
        n_cats, n_series = len(chart.categories), max(len(chart.series), 1)
        line_chart = chart.kind == "line"

        legend_markup, legend_h = self.legend(self.PAD)
        caption_h = 18 if self.axis_caption else 0
        tick_w = max(_text_width(t, SMALL_SIZE) for t in self.tick_labels)
        plot_left = self.PAD + tick_w + 8
        plot_right = width - 12

        # Category labels: flat if they fit, else wrapped, else slanted.
        band = (plot_right - plot_left) / n_cats
        mode, label_lines = self._category_labels(band)
        if mode == "rotate":
            slant = math.cos(math.radians(45))
            # Move the plot right until the first labels no longer run off the left.
            for i, lines in enumerate(label_lines):
                reach = (_text_width(lines[0], LABEL_SIZE) + LABEL_SIZE) * slant + 4
                share = (i + 0.5) / n_cats
                needed = (reach - plot_right * share) / (1 - share)
                plot_left = max(plot_left, needed)
            plot_left = min(plot_left, plot_right / 2)
            band = (plot_right - plot_left) / n_cats
            longest = max(_text_width(lines[0], LABEL_SIZE) for lines in label_lines)
            label_h = longest * slant + LABEL_SIZE + 6
        else:
            label_h = max(len(lines) for lines in label_lines) * (LABEL_SIZE + 3) + 8

        group_w = band * (0.5 if line_chart else 0.8)
        bar_w = group_w / n_series

        # Value labels: above each bar, turned upright when bars are narrow.
        value_texts = [[format_value(v, chart.unit) for v in s.values] for s in chart.series]
        show_values = not line_chart or len(chart.series) == 1
        turn_values = False
        value_room = 0.0
        if show_values:
            widest = max(
                (
                    _text_width(t, SMALL_SIZE)
                    for s, texts in zip(chart.series, value_texts, strict=True)
                    for v, t in zip(s.values, texts, strict=True)
                    if _number(v) is not None
                ),
                default=0,
            )
            turn_values = not line_chart and widest > bar_w + 2
            value_room = widest + 8 if turn_values else self.VALUE_ROOM
            if line_chart:
                value_room += 6

        plot_top = self.PAD + legend_h + caption_h + value_room + 4
        bottom = label_h + self.PAD
        if self.requested_height:
            height = int(self.requested_height)
            plot_h = max(height - plot_top - bottom, 60)
            height = max(height, int(math.ceil(plot_top + plot_h + bottom)))
        else:
            plot_h = 240
            height = int(math.ceil(plot_top + plot_h + bottom))
        baseline = plot_top + plot_h

        def y_for(number: float) -> float:
            return baseline - max(number, 0) / self.top * plot_h

        parts = [self.defs(), legend_markup]
        if self.axis_caption:
            parts.append(
                _el(
                    "text",
                    self.axis_caption,
                    class_="axis-caption",
                    x=self.PAD,
                    y=self.PAD + legend_h + SMALL_SIZE,
                    font_size=SMALL_SIZE,
                    fill=SECONDARY_TEXT,
                )
            )

        # Gridlines and the value axis.
        parts.append(_open("g", class_="axis"))
        for tick, label in zip(self.ticks, self.tick_labels, strict=True):
            y = y_for(tick)
            if tick:
                parts.append(
                    _el("line", x1=plot_left, y1=y, x2=plot_right, y2=y, stroke=GRID_COLOUR)
                )
            parts.append(
                _el(
                    "text",
                    label,
                    class_="tick",
                    x=plot_left - 6,
                    y=y + SMALL_SIZE * 0.35,
                    text_anchor="end",
                    font_size=SMALL_SIZE,
                    fill=TEXT_COLOUR,
                )
            )
        parts.append("</g>")

        # The data.
        for index, series in enumerate(chart.series):
            fill = self.fills[index][0]
            colour = COLOURS[index % len(COLOURS)]
            parts.append(_open("g", class_="series"))
            runs: list[list[tuple[float, float]]] = [[]]
            points = []
            for i, value in enumerate(series.values):
                label = value_texts[index][i]
                number = _number(value)
                if line_chart:
                    x = plot_left + band * (i + 0.5)
                else:
                    x = plot_left + band * i + (band - group_w) / 2 + bar_w * index + bar_w / 2
                if number is None:
                    runs.append([])
                    if _is_suppressed(value):
                        parts.append(self._suppressed(x, baseline - 5, "middle", label))
                    continue
                y = y_for(number)
                tooltip = f"{chart.categories[i]}, {series.name}: {label}"
                if line_chart:
                    runs[-1].append((x, y))
                    points.append(
                        _open("g", class_="point")
                        + f"<title>{escape(tooltip)}</title>"
                        + _marker(index, x, y, colour)
                        + "</g>"
                    )
                else:
                    parts.append(
                        _open(
                            "rect",
                            class_="bar",
                            x=x - bar_w / 2 + 1,
                            y=y,
                            width=max(bar_w - 2, 1),
                            height=baseline - y,
                            fill=fill,
                            stroke=TEXT_COLOUR,
                            stroke_width=1,
                        )
                        + f"<title>{escape(tooltip)}</title></rect>"
                    )
                if show_values:
                    gap = 11 if line_chart else 4
                    if turn_values:
                        parts.append(
                            _el(
                                "text",
                                label,
                                class_="value",
                                x=x + SMALL_SIZE * 0.35,
                                y=y - gap,
                                transform=f"rotate(-90 {_n(x + SMALL_SIZE * 0.35)} {_n(y - gap)})",
                                font_size=SMALL_SIZE,
                                fill=TEXT_COLOUR,
                            )
                        )
                    else:
                        parts.append(
                            _el(
                                "text",
                                label,
                                class_="value",
                                x=x,
                                y=y - gap,
                                text_anchor="middle",
                                font_size=SMALL_SIZE,
                                fill=TEXT_COLOUR,
                            )
                        )
            for run in runs:
                if len(run) > 1:
                    parts.append(
                        _el(
                            "polyline",
                            class_="line",
                            points=" ".join(f"{_n(x)},{_n(y)}" for x, y in run),
                            fill="none",
                            stroke=colour,
                            stroke_width=3,
                            stroke_dasharray=self._dash(index),
                            stroke_linejoin="round",
                        )
                    )
            parts.extend(points)  # markers over the lines
            parts.append("</g>")

        # The category axis, drawn last so it sits over the bars' outlines.
        parts.append(
            _el(
                "line",
                x1=plot_left,
                y1=baseline,
                x2=plot_right,
                y2=baseline,
                stroke=TEXT_COLOUR,
                stroke_width=1,
            )
        )
        parts.append(_open("g", class_="categories"))
        for i, lines in enumerate(label_lines):
            x = plot_left + band * (i + 0.5)
            y = baseline + LABEL_SIZE + 6
            if mode == "rotate":
                parts.append(
                    _el(
                        "text",
                        lines[0],
                        class_="category",
                        x=x,
                        y=y,
                        text_anchor="end",
                        transform=f"rotate(-45 {_n(x)} {_n(y)})",
                        fill=TEXT_COLOUR,
                    )
                )
            else:
                parts.append(self._lines(lines, x, y, "middle"))
        parts.append("</g>")
        return "".join(parts), height

    # -- horizontal bars -----------------------------------------------------

    def render_hbar(self) -> tuple[str, int]:
        chart, width = self.chart, self.width
        n_cats, n_series = len(chart.categories), max(len(chart.series), 1)
        line_h = LABEL_SIZE + 3

        legend_markup, legend_h = self.legend(self.PAD)
        # Names go in full on the left, wrapped so they take at most 40% of the width.
        label_room = min(
            max(_text_width(str(c), LABEL_SIZE) for c in chart.categories),
            width * 0.4,
        )
        max_chars = max(int(label_room / (LABEL_SIZE * CHAR_WIDTH)), 1)
        label_lines = [_wrap(" ".join(str(c).split()), max_chars)[0] for c in chart.categories]

        value_texts = [[format_value(v, chart.unit) for v in s.values] for s in chart.series]
        widest_value = max(
            (_text_width(t, SMALL_SIZE) for texts in value_texts for t in texts), default=0
        )
        plot_left = self.PAD + label_room + 10
        plot_right = max(width - max(widest_value + 10, 24), plot_left + 40)

        bar_h = 18
        rows = [max(n_series * bar_h + 12, len(lines) * line_h + 10) for lines in label_lines]
        plot_top = self.PAD + legend_h + 4
        bottom = SMALL_SIZE + 10 + (SMALL_SIZE + 8 if self.axis_caption else 0) + self.PAD
        natural = plot_top + sum(rows) + bottom
        if self.requested_height:
            height = int(self.requested_height)
            scale = max(height - plot_top - bottom, 20 * n_cats) / sum(rows)
            rows = [row * scale for row in rows]
            bar_h *= min(scale, 1)
            height = max(height, int(math.ceil(plot_top + sum(rows) + bottom)))
        else:
            height = int(math.ceil(natural))
        baseline_y = plot_top + sum(rows)
        plot_w = plot_right - plot_left

        def x_for(number: float) -> float:
            return plot_left + max(number, 0) / self.top * plot_w

        parts = [self.defs(), legend_markup, _open("g", class_="axis")]
        for tick, label in zip(self.ticks, self.tick_labels, strict=True):
            x = x_for(tick)
            if tick:
                parts.append(
                    _el("line", x1=x, y1=plot_top, x2=x, y2=baseline_y, stroke=GRID_COLOUR)
                )
            parts.append(
                _el(
                    "text",
                    label,
                    class_="tick",
                    x=x,
                    y=baseline_y + SMALL_SIZE + 6,
                    text_anchor="middle",
                    font_size=SMALL_SIZE,
                    fill=TEXT_COLOUR,
                )
            )
        if self.axis_caption:
            parts.append(
                _el(
                    "text",
                    self.axis_caption,
                    class_="axis-caption",
                    x=plot_right,
                    y=baseline_y + 2 * SMALL_SIZE + 14,
                    text_anchor="end",
                    font_size=SMALL_SIZE,
                    fill=SECONDARY_TEXT,
                )
            )
        parts.append("</g>")

        row_top = plot_top
        category_parts = [_open("g", class_="categories")]
        series_parts: list[list[str]] = [[] for _ in chart.series]
        for i, lines in enumerate(label_lines):
            row = rows[i]
            centre = row_top + row / 2
            first_line = centre - (len(lines) - 1) * line_h / 2 + LABEL_SIZE * 0.35
            category_parts.append(self._lines(lines, plot_left - 10, first_line, "end"))
            group_top = centre - n_series * bar_h / 2
            for index, series in enumerate(chart.series):
                value = series.values[i]
                number = _number(value)
                y = group_top + index * bar_h
                text_y = y + bar_h / 2 + SMALL_SIZE * 0.35
                out = series_parts[index]
                if number is None:
                    if _is_suppressed(value):
                        out.append(
                            self._suppressed(
                                plot_left + 4, text_y + 1, "start", value_texts[index][i]
                            )
                        )
                    continue
                label = value_texts[index][i]
                end = x_for(number)
                tooltip = f"{chart.categories[i]}, {series.name}: {label}"
                out.append(
                    _open(
                        "rect",
                        class_="bar",
                        x=plot_left,
                        y=y + 1,
                        width=end - plot_left,
                        height=max(bar_h - 2, 1),
                        fill=self.fills[index][0],
                        stroke=TEXT_COLOUR,
                        stroke_width=1,
                    )
                    + f"<title>{escape(tooltip)}</title></rect>"
                )
                out.append(
                    _el(
                        "text",
                        label,
                        class_="value",
                        x=end + 4,
                        y=text_y,
                        font_size=SMALL_SIZE,
                        fill=TEXT_COLOUR,
                    )
                )
            row_top += row
        category_parts.append("</g>")

        for out in series_parts:
            parts.append(_open("g", class_="series") + "".join(out) + "</g>")
        parts.extend(category_parts)
        parts.append(
            _el(
                "line",
                x1=plot_left,
                y1=plot_top,
                x2=plot_left,
                y2=baseline_y,
                stroke=TEXT_COLOUR,
                stroke_width=1,
            )
        )
        return "".join(parts), height

    # -- small pieces --------------------------------------------------------

    @staticmethod
    def _suppressed(x: float, y: float, anchor: str, text: str = "*") -> str:
        return _el(
            "text",
            text,
            class_="suppressed",
            x=x,
            y=y,
            text_anchor=anchor,
            font_size=LABEL_SIZE,
            font_weight="bold",
            fill=TEXT_COLOUR,
        )

    @staticmethod
    def _lines(lines: list[str], x: float, y: float, anchor: str) -> str:
        """A category name over one or more lines."""
        if len(lines) == 1:
            return _el(
                "text", lines[0], class_="category", x=x, y=y, text_anchor=anchor, fill=TEXT_COLOUR
            )
        spans = "".join(
            _el("tspan", line, x=x, dy=0 if i == 0 else LABEL_SIZE + 3)
            for i, line in enumerate(lines)
        )
        head = _open("text", class_="category", x=x, y=y, text_anchor=anchor, fill=TEXT_COLOUR)
        return head + spans + "</text>"
