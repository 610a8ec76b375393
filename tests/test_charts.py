"""config.charts: the geometry of the PDFs' SVG charts. Bars and points sit where their values
say on a scale that starts at 0 and reaches past the largest value; a missing value draws
nothing and breaks the line; every label is the caller's own text."""

from config import charts


def test_the_scale_rounds_up_to_a_readable_top():
    assert [charts.nice_ceiling(v) for v in (0, 0.5, 1, 1.2, 3, 16.85, 20.55, 101)] == [
        1, 1, 1, 2, 5, 20, 25, 200]


def test_bars_are_as_long_as_their_values_and_a_missing_one_draws_nothing():
    chart = charts.bar_chart(
        [("Haverstock", 20.55, "20.55%"), ("Highgate", None, "–"), ("Kentish Town", 10.0, "10%")],
        target=5.0, target_text="5.00%", title="t", desc="d", caption="c")
    plot = charts.WIDTH - charts.LABEL_WIDTH - 70
    widths = [b["width"] for b in chart.bars]
    assert widths == [round(plot * 20.55 / 25, 1), 0, round(plot * 10 / 25, 1)]
    assert [b["text"] for b in chart.bars] == ["20.55%", "–", "10%"]
    assert chart.target["x1"] == round(charts.LABEL_WIDTH + plot * 5 / 25, 1)
    assert [t["text"] for t in chart.ticks] == ["0%", "6.25%", "12.5%", "18.75%", "25%"]


def test_an_empty_bar_chart_still_has_a_scale():
    chart = charts.bar_chart([], title="t", desc="d", caption="c")
    assert chart.bars == [] and chart.height > 0 and chart.ticks[-1]["text"] == "1%"


def test_a_missing_month_breaks_the_line():
    chart = charts.line_chart(
        [("2026-01", 10.0, "10%"), ("2026-02", 20.0, "20%"), ("2026-03", None, "–"),
         ("2026-04", 5.0, "5%"), ("2026-05", 15.0, "15%")],
        target=5.0, target_text="5%", title="t", desc="d", caption="c")
    assert len(chart.lines) == 2
    assert [p["text"] for p in chart.points] == ["10%", "20%", "5%", "15%"]
    ys = {p["text"]: p["y"] for p in chart.points}
    assert ys["20%"] < ys["10%"] < ys["5%"]  # higher rates higher up the page
    assert chart.target["y1"] == ys["5%"]
