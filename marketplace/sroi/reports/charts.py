"""Charts drawn on the server as accessible SVG: a title and a description the screen reader
reads (role="img", aria-labelledby), text in the page's font, no script. The figures also stand
in a table beside each chart, so the chart never carries information alone."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
VALUE_WIDTH = 130
LABEL_LINE = 18  # each label on its own line above its bar, at full width: never cut short
BAR = 16
ROW = LABEL_LINE + BAR + 10
LABEL_CHARS = 90  # about what fits in the width at the chart's font; longer ones wrap


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # only for drawing: the exact figure is `shown`
    shown: str


def _lines(text: str) -> list[str]:
    """The label in lines that fit the width, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> Markup:
    """Horizontal bars, largest scale first; an empty chart says so in its description."""
    labels = [_lines(bar.label) for bar in bars]
    height = sum((len(lines) - 1) * LABEL_LINE + ROW for lines in labels) + 8 if bars else ROW
    largest = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - VALUE_WIDTH
    name = escape(chart_id)
    parts = [
        f'<svg class="chart" id="{name}" role="img" aria-labelledby="{name}-t {name}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{name}-t">{escape(title)}</title>',
        f'<desc id="{name}-d">{escape(description)}</desc>',
    ]
    y = 4
    for bar, lines in zip(bars, labels, strict=True):
        text = "".join(
            f'<tspan x="0" dy="{0 if number == 0 else LABEL_LINE}">{escape(line)}</tspan>'
            for number, line in enumerate(lines)
        )
        y_bar = y + len(lines) * LABEL_LINE
        length = max(int(room * max(bar.value, 0) / largest), 1 if bar.value > 0 else 0)
        parts.append(
            f'<g><text x="0" y="{y + LABEL_LINE - 5}" class="chart-label">{text}</text>'
            f'<rect x="0" y="{y_bar}" width="{length}" height="{BAR}" class="chart-bar"></rect>'
            f'<text x="{length + 6}" y="{y_bar + BAR - 3}" class="chart-value">'
            f"{escape(bar.shown)}</text></g>"
        )
        y = y_bar + BAR + 10
    parts.append("</svg>")
    return Markup("".join(parts))
