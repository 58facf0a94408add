"""Charts drawn on the server as accessible SVG: a title and a description the screen reader
reads (role="img", aria-labelledby), text in the page's font, no script. The figures also stand
in a table beside each chart, so the chart never carries information alone."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 120
ROW = 26
BAR = 16
LABEL_CHARS = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # only for drawing: the exact figure is `shown`
    shown: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> Markup:
    """Horizontal bars, largest scale first; an empty chart says so in its description."""
    height = max(len(bars), 1) * ROW + 8
    largest = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    name = escape(chart_id)
    parts = [
        f'<svg class="chart" id="{name}" role="img" aria-labelledby="{name}-t {name}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{name}-t">{escape(title)}</title>',
        f'<desc id="{name}-d">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW + 4
        length = max(int(room * max(bar.value, 0) / largest), 1 if bar.value > 0 else 0)
        parts.append(
            f'<g><text x="{LABEL_WIDTH - 8}" y="{y + BAR - 3}" text-anchor="end" class="chart-label">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR}" class="chart-bar"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + BAR - 3}" class="chart-value">'
            f"{escape(bar.shown)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
