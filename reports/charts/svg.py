"""Drawing charts as SVG: markup, colours, fill patterns, point markers,
and the elements of a column, line or horizontal bar chart placed where
reports/charts/geometry.py lays them out.

The SVG uses only what a browser and WeasyPrint both understand: no
JavaScript, no outside CSS, no web fonts, no URLs (pattern fills refer to
ids inside the same SVG). Every piece of text is escaped.
"""

from __future__ import annotations

from django.utils.html import escape

from reports.charts.geometry import (
    LABEL_SIZE,
    LEGEND_ROW,
    PAD,
    SMALL_SIZE,
    as_number,
    bar_layout,
    column_layout,
    format_value,
    is_suppressed,
    text_width,
    value_axis,
)

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

    PAD = PAD
    LEGEND_ROW = LEGEND_ROW

    def __init__(self, chart, width: int, height: int | None, ident: str):
        self.chart = chart
        self.width = width
        self.requested_height = height
        self.ident = ident
        self.fills = [_pattern(ident, i) for i in range(len(chart.series))]
        axis = value_axis([v for s in chart.series for v in s.values], chart.y_max, chart.unit)
        self.ticks = axis.ticks
        self.top = axis.top
        self.tick_labels = axis.labels
        self.axis_caption = axis.caption
        self.axis = axis

    # -- shared pieces -------------------------------------------------------

    def legend(self, y: float) -> tuple[str, float]:
        """The legend rows starting at ``y``; returns markup and height used."""
        if len(self.chart.series) < 2:
            return "", 0
        parts = [_open("g", class_="legend")]
        x, row = self.PAD, 0
        for index, series in enumerate(self.chart.series):
            name = str(series.name)
            item_width = 30 + text_width(name, LABEL_SIZE) + 20
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

    def render_columns(self) -> tuple[str, int]:
        chart = self.chart
        line_chart = chart.kind == "line"
        legend_markup, legend_h = self.legend(self.PAD)
        value_texts = [[format_value(v, chart.unit) for v in s.values] for s in chart.series]
        box = column_layout(
            categories=chart.categories,
            series_values=[s.values for s in chart.series],
            value_texts=value_texts,
            line_chart=line_chart,
            width=self.width,
            requested_height=self.requested_height,
            axis=self.axis,
            legend_h=legend_h,
        )
        plot_left, plot_right, baseline = box.plot_left, box.plot_right, box.baseline
        band, mode, label_lines = box.band, box.mode, box.label_lines
        show_values, turn_values, height = box.show_values, box.turn_values, box.height

        def y_for(number: float) -> float:
            return box.y_for(number, self.top)

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
                number = as_number(value)
                x = box.x_of(i, index, line_chart)
                if number is None:
                    runs.append([])
                    if is_suppressed(value):
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
                            x=x - box.bar_w / 2 + 1,
                            y=y,
                            width=max(box.bar_w - 2, 1),
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
        chart = self.chart
        n_series = max(len(chart.series), 1)
        line_h = LABEL_SIZE + 3
        legend_markup, legend_h = self.legend(self.PAD)
        value_texts = [[format_value(v, chart.unit) for v in s.values] for s in chart.series]
        box = bar_layout(
            categories=chart.categories,
            n_series=len(chart.series),
            value_texts=value_texts,
            width=self.width,
            requested_height=self.requested_height,
            has_caption=bool(self.axis_caption),
            legend_h=legend_h,
        )
        label_lines, rows, bar_h = box.label_lines, box.rows, box.bar_h
        plot_left, plot_right, plot_top = box.plot_left, box.plot_right, box.plot_top
        baseline_y, height = box.baseline_y, box.height

        def x_for(number: float) -> float:
            return box.x_for(number, self.top)

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
                number = as_number(value)
                y = group_top + index * bar_h
                text_y = y + bar_h / 2 + SMALL_SIZE * 0.35
                out = series_parts[index]
                if number is None:
                    if is_suppressed(value):
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
