"""Chart geometry: scales, ticks, text measures and where things go.

Pure arithmetic on numbers and strings, no SVG and no Django: the value
axis's round ticks, how a figure is written, how wide text is (estimated
from Arial's average character width, in px at a font size in px), how
category names fit under their bars, and the plot area of a column or
horizontal bar chart. reports/charts/svg.py draws what this lays out.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BAR_LABEL_LIMIT = 28  # characters of a category name under a vertical bar

LABEL_SIZE = 14  # category names and the legend
SMALL_SIZE = 12  # axis ticks and value labels
CHAR_WIDTH = 0.58  # rough width of an Arial character, in ems, to lay out text

PAD = 8
LEGEND_ROW = 22
VALUE_ROOM = 18  # above the tallest bar, for its label


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
    number = as_number(value)
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


def as_number(value) -> float | None:
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


def is_suppressed(value) -> bool:
    return isinstance(value, str)


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def truncate(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def wrap(text: str, max_chars: int) -> tuple[list[str], bool]:
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


def tick_label(value: float, unit: str) -> str:
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else text


# -- layout ---------------------------------------------------------------------


@dataclass(frozen=True)
class ValueAxis:
    """The value axis: round ticks from 0, the top one, their labels, and
    the caption naming a unit other than "%" ("" for none)."""

    ticks: list[float]
    top: float
    labels: list[str]
    caption: str


def value_axis(values: list, y_max: float | None, unit: str) -> ValueAxis:
    """Ticks covering every figure in ``values`` and ``y_max``; whole-number
    steps when every figure (and ``y_max``) is a whole number."""
    numbers_only = [n for n in map(as_number, values) if n is not None]
    top_input = max([*numbers_only, float(y_max or 0)], default=0.0)
    integer = all(isinstance(v, numbers.Integral) for v in values if as_number(v) is not None) and (
        y_max is None or float(y_max).is_integer()
    )
    ticks = nice_ticks(top_input, integer=integer)
    return ValueAxis(
        ticks=ticks,
        top=ticks[-1],
        labels=[tick_label(t, unit) for t in ticks],
        caption=unit if unit and unit != "%" else "",
    )


def category_labels(categories: list[str], band: float) -> tuple[str, list[list[str]]]:
    """How category names fit under their band (px wide): "flat", "wrap"
    (at most three lines, no word broken) or "rotate", with their lines."""
    room = max(band - 6, 10)
    max_chars = max(int(room / (LABEL_SIZE * CHAR_WIDTH)), 1)
    labels = [truncate(c, BAR_LABEL_LIMIT) for c in categories]
    if all(text_width(label, LABEL_SIZE) <= room for label in labels):
        return "flat", [[label] for label in labels]
    wrapped = [wrap(label, max_chars) for label in labels]
    if all(not broken and len(lines) <= 3 for lines, broken in wrapped):
        return "wrap", [lines for lines, _ in wrapped]
    return "rotate", [[label] for label in labels]


@dataclass(frozen=True)
class ColumnLayout:
    """Where a vertical bar or line chart goes, in px: the plot's left and
    right edges, top and baseline, each category's band and bar widths,
    how category names and value labels are set, and the total height."""

    plot_left: float
    plot_right: float
    plot_top: float
    plot_h: float
    baseline: float
    band: float
    group_w: float
    bar_w: float
    mode: str
    label_lines: list[list[str]]
    show_values: bool
    turn_values: bool
    height: int

    def x_of(self, category: int, series: int, line_chart: bool) -> float:
        """The centre of a bar (or a line's point) of one series in one category."""
        if line_chart:
            return self.plot_left + self.band * (category + 0.5)
        return (
            self.plot_left
            + self.band * category
            + (self.band - self.group_w) / 2
            + self.bar_w * series
            + self.bar_w / 2
        )

    def y_for(self, number: float, top: float) -> float:
        """The height on the plot of ``number`` on an axis running to ``top``."""
        return self.baseline - max(number, 0) / top * self.plot_h


def column_layout(
    *,
    categories: list[str],
    series_values: list[list],
    value_texts: list[list[str]],
    line_chart: bool,
    width: int,
    requested_height: int | None,
    axis: ValueAxis,
    legend_h: float,
) -> ColumnLayout:
    """Lay out a vertical bar or line chart ``width`` px wide: category
    names flat if they fit, else wrapped, else slanted at 45 degrees (moving
    the plot right until the first names no longer run off the left); value
    labels above each bar, turned upright when bars are narrower than them.
    The plot is 240 px high unless ``requested_height`` says otherwise."""
    n_cats, n_series = len(categories), max(len(series_values), 1)
    caption_h = 18 if axis.caption else 0
    tick_w = max(text_width(t, SMALL_SIZE) for t in axis.labels)
    plot_left = PAD + tick_w + 8
    plot_right = width - 12

    band = (plot_right - plot_left) / n_cats
    mode, label_lines = category_labels(categories, band)
    if mode == "rotate":
        slant = math.cos(math.radians(45))
        for i, lines in enumerate(label_lines):
            reach = (text_width(lines[0], LABEL_SIZE) + LABEL_SIZE) * slant + 4
            share = (i + 0.5) / n_cats
            needed = (reach - plot_right * share) / (1 - share)
            plot_left = max(plot_left, needed)
        plot_left = min(plot_left, plot_right / 2)
        band = (plot_right - plot_left) / n_cats
        longest = max(text_width(lines[0], LABEL_SIZE) for lines in label_lines)
        label_h = longest * slant + LABEL_SIZE + 6
    else:
        label_h = max(len(lines) for lines in label_lines) * (LABEL_SIZE + 3) + 8

    group_w = band * (0.5 if line_chart else 0.8)
    bar_w = group_w / n_series

    show_values = not line_chart or len(series_values) == 1
    turn_values = False
    value_room = 0.0
    if show_values:
        widest = max(
            (
                text_width(t, SMALL_SIZE)
                for values, texts in zip(series_values, value_texts, strict=True)
                for v, t in zip(values, texts, strict=True)
                if as_number(v) is not None
            ),
            default=0,
        )
        turn_values = not line_chart and widest > bar_w + 2
        value_room = widest + 8 if turn_values else VALUE_ROOM
        if line_chart:
            value_room += 6

    plot_top = PAD + legend_h + caption_h + value_room + 4
    bottom = label_h + PAD
    if requested_height:
        height = int(requested_height)
        plot_h = max(height - plot_top - bottom, 60)
        height = max(height, int(math.ceil(plot_top + plot_h + bottom)))
    else:
        plot_h = 240
        height = int(math.ceil(plot_top + plot_h + bottom))
    return ColumnLayout(
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_h=plot_h,
        baseline=plot_top + plot_h,
        band=band,
        group_w=group_w,
        bar_w=bar_w,
        mode=mode,
        label_lines=label_lines,
        show_values=show_values,
        turn_values=turn_values,
        height=height,
    )


@dataclass(frozen=True)
class BarLayout:
    """Where a horizontal bar chart goes, in px: names on the left (wrapped
    lines), the plot's edges, each category's row height, the bar height,
    the baseline under the last row and the total height."""

    label_lines: list[list[str]]
    plot_left: float
    plot_right: float
    plot_top: float
    rows: list[float]
    bar_h: float
    baseline_y: float
    height: int

    def x_for(self, number: float, top: float) -> float:
        """How far along the plot ``number`` reaches on an axis running to ``top``."""
        return self.plot_left + max(number, 0) / top * (self.plot_right - self.plot_left)


def bar_layout(
    *,
    categories: list[str],
    n_series: int,
    value_texts: list[list[str]],
    width: int,
    requested_height: int | None,
    has_caption: bool,
    legend_h: float,
) -> BarLayout:
    """Lay out a horizontal bar chart ``width`` px wide: names in full on
    the left, wrapped to at most 40% of the width; one row per category,
    tall enough for its bars (18 px each) and its name's lines; rows scaled
    to fit ``requested_height`` when given."""
    n_cats, n_series = len(categories), max(n_series, 1)
    line_h = LABEL_SIZE + 3
    label_room = min(max(text_width(str(c), LABEL_SIZE) for c in categories), width * 0.4)
    max_chars = max(int(label_room / (LABEL_SIZE * CHAR_WIDTH)), 1)
    label_lines = [wrap(" ".join(str(c).split()), max_chars)[0] for c in categories]
    widest_value = max(
        (text_width(t, SMALL_SIZE) for texts in value_texts for t in texts), default=0
    )
    plot_left = PAD + label_room + 10
    plot_right = max(width - max(widest_value + 10, 24), plot_left + 40)

    bar_h = 18
    rows = [max(n_series * bar_h + 12, len(lines) * line_h + 10) for lines in label_lines]
    plot_top = PAD + legend_h + 4
    bottom = SMALL_SIZE + 10 + (SMALL_SIZE + 8 if has_caption else 0) + PAD
    natural = plot_top + sum(rows) + bottom
    if requested_height:
        height = int(requested_height)
        scale = max(height - plot_top - bottom, 20 * n_cats) / sum(rows)
        rows = [row * scale for row in rows]
        bar_h *= min(scale, 1)
        height = max(height, int(math.ceil(plot_top + sum(rows) + bottom)))
    else:
        height = int(math.ceil(natural))
    return BarLayout(
        label_lines=label_lines,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        rows=rows,
        bar_h=bar_h,
        baseline_y=plot_top + sum(rows),
        height=height,
    )
