"""Server-rendered SVG charts (reports/charts/) and their template.

Every SVG is parsed as XML: a chart that is not well formed breaks the
page it sits in and the PDF made from it.
"""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from reports.charts import Chart, Series, format_value, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart, **kwargs) -> ET.Element:
    return ET.fromstring(str(chart.svg(**kwargs)))


def find(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    return [
        element
        for element in root.iter(f"{SVG}{tag}")
        if cls is None or element.get("class") == cls
    ]


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(element.itertext()) for element in find(root, "text", cls)]


def bars(root: ET.Element) -> list[ET.Element]:
    return find(root, "rect", "bar")


def areas(kind="bar", **kwargs) -> Chart:
    defaults = {
        "title": "Requests by area",
        "categories": ["North", "South", "East", "West"],
        "series": [Series("2025", [12, 40, 3, 7]), Series("2026", [15, None, "*", 9])],
        "unit": "requests",
        "kind": kind,
    }
    return Chart(**{**defaults, **kwargs})


EXAMPLES = {
    "bar": areas(),
    "bar, one series": areas(series=[Series("2025", [12, 40, 3, 7])]),
    "hbar": areas("hbar"),
    "line": areas("line"),
    "percentages": areas(unit="%", y_max=100, series=[Series("Rate", [45.5, 60.25, None, 72])]),
    "no categories": Chart("Nothing", [], []),
    "all missing": areas(series=[Series("2025", [None] * 4)]),
    "all suppressed": areas(series=[Series("2025", ["*"] * 4)]),
    "six series": areas(series=[Series(f"S{i}", [i, i + 1, i + 2, i + 3]) for i in range(6)]),
}


@pytest.mark.parametrize("chart", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_every_chart_is_well_formed_accessible_svg(chart):
    root = parse(chart)

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("font-family") == "Arial, Helvetica, sans-serif"
    width, height = (float(n) for n in root.get("viewBox").split()[2:])
    assert (width, height) == (float(root.get("width")), float(root.get("height")))
    title_id, desc_id = root.get("aria-labelledby").split()
    (title,) = [e for e in root if e.get("id") == title_id]
    (desc,) = [e for e in root if e.get("id") == desc_id]
    assert title.tag == f"{SVG}title" and title.text == chart.title
    assert desc.tag == f"{SVG}desc" and desc.text
    # Nothing reaches outside the SVG: pattern fills point at its own ids.
    markup = str(chart.svg())
    assert "http" not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert set(re.findall(r"url\(#([^)]+)\)", markup)) <= ids


def test_two_charts_never_share_ids_but_one_chart_keeps_its_own():
    first = areas()
    second = areas(series=[Series("2025", [1, 2, 3, 4]), Series("2026", [4, 3, 2, 1])])

    def ids(chart):
        return {e.get("id") for e in parse(chart).iter() if e.get("id")}

    assert ids(first).isdisjoint(ids(second))
    assert ids(first) == ids(areas())  # stable, so pages and PDFs do not churn
    assert parse(first).find(f"{SVG}title").get("id").startswith("chart-requests-by-area-")


@pytest.mark.parametrize("kind", ["bar", "hbar"])
def test_one_bar_per_figure_and_none_for_missing_or_suppressed(kind):
    root = parse(areas(kind))

    assert len(bars(root)) == 6  # 8 values less one None and one "*"
    assert len(texts(root, "value")) == 6


@pytest.mark.parametrize("kind", ["bar", "hbar", "line"])
def test_a_suppressed_figure_shows_a_star_at_the_baseline(kind):
    chart = areas(kind, series=[Series("2025", [12, "*", None, 7])])
    root = parse(chart)

    (star,) = find(root, "text", "suppressed")
    assert star.text == "*"
    assert "*" not in texts(root, "value")
    if kind == "hbar":
        axis = [e for e in find(root, "line") if e.get("x1") == e.get("x2")][-1]
        assert float(star.get("x")) > float(axis.get("x1"))
    else:
        axis = [e for e in find(root, "line") if e.get("y1") == e.get("y2")][-1]
        assert 0 < float(axis.get("y1")) - float(star.get("y")) < 10
    drawn = bars(root) if kind != "line" else find(root, "g", "point")
    assert len(drawn) == 2


def test_user_text_is_escaped_everywhere():
    nasty = "A & B <x>"
    chart = Chart(
        title=nasty,
        categories=[nasty, "C"],
        series=[Series(nasty, [1, 2]), Series("Other", [2, 1])],
        description=nasty,
    )
    for kind in ("bar", "hbar", "line"):
        chart.kind = kind
        markup = str(chart.svg())
        root = ET.fromstring(markup)  # would raise if & or < slipped through

        assert "<x>" not in markup
        assert root.find(f"{SVG}title").text == nasty
        assert root.find(f"{SVG}desc").text == nasty
        assert nasty in texts(root, "category")
        assert nasty in ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def tick_values(root):
    return [float(t.replace(",", "").rstrip("%")) for t in texts(root, "tick")]


@pytest.mark.parametrize("values", [[7, 3], [12, 40], [0.3, 0.1], [999, 1001], [0, 0]])
@pytest.mark.parametrize("kind", ["bar", "hbar", "line"])
def test_value_axis_reaches_the_largest_figure_in_four_to_six_ticks(kind, values):
    chart = Chart("Counts", ["A", "B"], [Series("n", values)], kind=kind)
    ticks = tick_values(parse(chart))

    assert 4 <= len(ticks) <= 6
    assert ticks[0] == 0 and ticks == sorted(ticks)
    assert ticks[-1] >= max(values)


def test_percentages_run_to_y_max_and_carry_the_sign():
    chart = EXAMPLES["percentages"]
    root = parse(chart)

    assert texts(root, "tick") == ["0%", "25%", "50%", "75%", "100%"]
    assert texts(root, "value") == ["45.5%", "60.3%", "72%"]  # 72 is an int: no decimals
    bar = bars(root)[0]
    full = float(bar.get("height")) / 0.455
    top_line = min(float(e.get("y1")) for e in find(root, "line") if e.get("y1") == e.get("y2"))
    assert float(bar.get("y")) + float(bar.get("height")) - full == pytest.approx(
        top_line, abs=0.5
    )  # 45.5% of the way from the baseline to the 100% gridline


def test_a_figure_above_y_max_still_fits():
    chart = Chart("Over", ["A"], [Series("x", [130.0])], unit="%", y_max=100)

    assert tick_values(parse(chart))[-1] >= 130


def test_horizontal_bars_grow_with_the_number_of_categories():
    def height(n):
        chart = Chart("Many", [f"Service {i}" for i in range(n)], [Series("x", list(range(n)))])
        chart.kind = "hbar"
        return float(parse(chart).get("height"))

    assert height(3) < height(6) < height(12)
    assert height(12) - height(6) == pytest.approx(2 * (height(6) - height(3)), abs=2)


def test_long_names_are_cut_under_bars_but_whole_beside_horizontal_bars():
    name = "Occupational therapy for children and young people (north)"
    chart = Chart("Services", [name, "Physio"], [Series("x", [3, 4])])

    (cut, _) = texts(parse(chart), "category")
    assert cut.endswith("…") and len(cut) <= 28 and name.startswith(cut[:-1])
    chart.kind = "hbar"
    assert " ".join(e.text for e in find(parse(chart), "tspan")) == name


def test_a_line_chart_breaks_at_a_missing_figure():
    chart = Chart(
        "Trend",
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
        [Series("A", [3, 5, None, 6, 8, 2]), Series("B", [1, None, 3, None, 5, 6])],
        kind="line",
    )
    root = parse(chart)

    lines = find(root, "polyline", "line")
    # A: Jan-Feb and Apr-Jun; B: May-Jun (Jan and Mar stand alone as points).
    assert [len(line.get("points").split()) for line in lines] == [2, 3, 2]
    assert len(find(root, "g", "point")) == 9
    assert lines[0].get("stroke-dasharray") is None and lines[2].get("stroke-dasharray")


@pytest.mark.parametrize("chart", [EXAMPLES["no categories"], EXAMPLES["all missing"]])
def test_a_chart_without_figures_says_so(chart):
    root = parse(chart)

    assert texts(root, "empty") == ["No data for this period"]
    assert not bars(root) and not find(root, "text", "tick")


def test_all_suppressed_is_not_empty_the_stars_show():
    root = parse(EXAMPLES["all suppressed"])

    assert not find(root, "text", "empty")
    assert texts(root, "suppressed") == ["*"] * 4


def test_legend_and_patterns_only_when_series_need_telling_apart():
    single = parse(EXAMPLES["bar, one series"])
    assert not find(single, "g", "legend") and not find(single, "pattern")

    root = parse(EXAMPLES["six series"])
    (legend,) = find(root, "g", "legend")
    assert ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")] == [f"S{i}" for i in range(6)]
    fills = [b.get("fill") for b in bars(root)[::4]]  # first bar of each series
    assert len(set(fills)) == 6  # the sixth reuses a colour with another pattern
    assert fills[0] == "#1d70b8" and fills[1].startswith("url(#")


def test_an_explicit_height_is_kept():
    assert parse(areas(), width=480, height=300).get("viewBox") == "0 0 480 300"


def test_table_gives_the_same_figures_formatted():
    chart = Chart(
        "Mixed",
        ["A & B", "C"],
        [Series("Count", [1234567, None]), Series("Rate", [12.25, "*"])],
        unit="%",
    )

    assert chart.table_head() == ["Category", "Count", "Rate"]
    assert chart.table_rows() == [["A & B", "1,234,567%", "12.3%"], ["C", "–", "*"]]
    plain = areas()
    assert plain.table_rows()[1] == ["South", "40", "–"]
    assert plain.table_rows()[2] == ["East", "3", "*"]


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (1234, "", "1,234"),
        (0, "", "0"),
        (1234.56, "", "1,234.6"),
        (2.25, "", "2.3"),
        (40.0, "%", "40.0%"),
        (7, "requests", "7"),
        (None, "%", "–"),
        (float("nan"), "", "–"),
        ("*", "%", "*"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize(
    "top, ticks",
    [
        (7, [0, 2, 4, 6, 8]),
        (100, [0, 25, 50, 75, 100]),
        (95, [0, 25, 50, 75, 100]),
        (45, [0, 10, 20, 30, 40, 50]),
        (1234, [0, 250, 500, 750, 1000, 1250]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (0, [0, 1, 2, 3, 4]),
    ],
)
def test_nice_ticks(top, ticks):
    assert nice_ticks(top) == ticks


def test_nice_ticks_for_counts_are_whole_numbers():
    assert nice_ticks(2, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(2) == [0, 0.5, 1, 1.5, 2]


def test_mismatched_series_and_unknown_kinds_are_refused():
    with pytest.raises(ValueError, match="3 values for 2 categories"):
        Chart("Bad", ["A", "B"], [Series("x", [1, 2, 3])])
    with pytest.raises(ValueError, match="Unknown chart kind"):
        Chart("Bad", ["A"], [Series("x", [1])], kind="pie")


def test_template_shows_the_chart_and_its_table():
    chart = Chart(
        "Requests & outcomes",
        ["A & B <x>", "C"],
        [Series("Received", [1200, "*"]), Series("Late", [3, None])],
    )
    html = render_to_string("reports/includes/chart.html", {"chart": chart})

    assert html.count('<figure class="app-chart">') == 1
    assert html.count("<svg ") == 1 and 'role="img"' in html
    assert '<details class="govuk-details' in html
    assert "Show the data for this chart" in html
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        "Requests &amp; outcomes</caption>"
    ) in html
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html) == [
        "Category",
        "Received",
        "Late",
    ]
    assert re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>', html) == [
        "A &amp; B &lt;x&gt;",
        "C",
    ]
    assert re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', html
    ) == [
        "1,200",
        "3",
        "*",
        "–",
    ]
    assert "<x>" not in html


def test_template_without_figures():
    html = render_to_string(
        "reports/includes/chart.html", {"chart": Chart("Empty", [], []), "hide_caption": True}
    )

    assert "<figcaption" not in html
    assert html.count("No data for this period") == 3  # SVG text, its <desc>, the table


def test_weasyprint_draws_the_chart_as_text_in_the_pdf():
    from pypdf import PdfReader

    from core.pdf import html_to_pdf

    chart = areas(categories=["North", "South", "East & <West>", "Solent"])
    body = render_to_string("reports/includes/chart.html", {"chart": chart})
    pdf = html_to_pdf(f'<!doctype html><html lang="en"><body>{body}</body></html>')

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for word in ("North", "East & <West>", "Solent", "40", "requests"):
        assert word in text
