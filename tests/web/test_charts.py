"""The Stats page's SVG charts: well-formed, accessible, escaped, and one bar per figure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from followup.domain.stats import FunnelStep, Rate, Week
from followup.web.charts import funnel_chart, rate_chart, weekly_chart

SVG = "{http://www.w3.org/2000/svg}"
RATES = (Rate("referral", 14, 13, 0), Rate("job-board", 8, 2, 1), Rate(None, 3, 0, 3))
FUNNEL = (FunnelStep("applied", 10, None), FunnelStep("interview", 4, 0.4), FunnelStep("offer", 1, 0.25))
WEEKS = tuple(Week(date(2026, 11, 2) + timedelta(weeks=n), n, 2 * n, 1, n % 2) for n in range(4))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}rect") if "bar" in e.get("class", "").split()]


def assert_accessible_and_csp_safe(root: ET.Element) -> None:
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None  # sized by its container, through the viewBox
    assert root.get("height") is None
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert (title.text or "").strip()
    assert (desc.text or "").strip()
    ids = {e.get("id") for e in root.iter()}
    assert set((root.get("aria-labelledby") or "").split()) <= ids
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)


def test_rate_chart_has_one_bar_per_rate_as_long_as_the_rate() -> None:
    root = parse(rate_chart(RATES, title="Response rate by source"))
    assert_accessible_and_csp_safe(root)
    assert root.get("class") == "chart chart-rates"
    found = bars(root)
    assert len(found) == 3
    widths = [float(b.get("width", "")) for b in found]
    assert widths == [213.6, 65.7, 0]  # 230 * 13/14, 230 * 2/7 (the waiting one is left out), none
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["referral", "93% · 13/14"]
    assert "no source" in texts
    assert "— · 0/0" in texts  # no data: no division by zero
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "job board: 29% (2 of 7 answered)" in (desc.text or "")


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & co'
    svg = rate_chart(RATES[:1], title=f"Rates {evil}", names=[evil], ident='x" onload="alert(1)')
    assert "<script" not in svg
    root = parse(svg)
    assert_accessible_and_csp_safe(root)
    assert evil in [t.text for t in root.iter(f"{SVG}text")]
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == f"Rates {evil}"
    assert root.get("onload") is None
    assert root.get("aria-labelledby") == "x-onload-alert-1-title x-onload-alert-1-desc"


def test_funnel_chart_has_a_bar_per_step_against_the_first() -> None:
    root = parse(funnel_chart(FUNNEL))
    assert_accessible_and_csp_safe(root)
    widths = [float(b.get("width", "")) for b in bars(root)]
    assert widths == [230, 92, 23]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "4 · 40% of applied" in texts
    assert "1 · 25% of interview" in texts


def test_weekly_chart_has_a_column_per_series_and_week() -> None:
    root = parse(weekly_chart(WEEKS))
    assert_accessible_and_csp_safe(root)
    columns = bars(root)
    assert len(columns) == 4 * len(WEEKS)
    tallest = max(columns, key=lambda b: float(b.get("height", "")))
    assert "series-inbound" in (tallest.get("class") or "")  # 6 inbound in the last week
    assert float(tallest.get("height", "")) == 120
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels[-4:] == ["W45", "W46", "W47", "W48"]
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "2026-W48: 3 outbound, 6 inbound, 1 applications, 1 interviews" in (desc.text or "")


def test_charts_without_data_still_render() -> None:
    for svg in (rate_chart([], title="Rates"), funnel_chart([]), weekly_chart([])):
        root = parse(svg)
        assert_accessible_and_csp_safe(root)
        assert "No data yet" in svg
    quiet = parse(weekly_chart([Week(date(2026, 11, 23), 0, 0, 0, 0)]))
    assert all(float(b.get("height", "")) == 0 for b in bars(quiet))
    zero = parse(funnel_chart([FunnelStep("applied", 0, None), FunnelStep("interview", 0, None)]))
    assert [float(b.get("width", "")) for b in bars(zero)] == [0, 0]
