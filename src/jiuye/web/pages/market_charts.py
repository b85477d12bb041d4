"""Bar charts drawn on the server as SVG (no script, no CDN, no style attribute: the page's
Content-Security-Policy allows style sheets from this site only, and SVG geometry is attributes).
Each chart is a dict the template `market/_chart.html` draws; the numbers are also in a table
beside it (screen readers, printing)."""
from __future__ import annotations

LABEL_W, BAR_W, ROW_H, BAR_H, TOP = 170, 360, 34, 12, 30


def bars(title: str, rows: list[tuple[str, float, float]], series: tuple[str, str]) -> dict:
    """Grouped horizontal bars: one row per label, two bars (series[0], series[1]) per row."""
    top = max([max(a or 0, b or 0) for _l, a, b in rows] + [1])
    out = []
    for i, (label, a, b) in enumerate(rows):
        y = TOP + i * ROW_H
        out.append({"label": str(label)[:14], "y": y, "ty": y + BAR_H, "a": a or 0, "b": b or 0,
                    "wa": round(BAR_W * (a or 0) / top, 1), "wb": round(BAR_W * (b or 0) / top, 1),
                    "yb": y + BAR_H + 2, "tyb": y + 2 * BAR_H + 2})
    return {"title": title, "series": series, "rows": out, "width": LABEL_W + BAR_W + 70,
            "height": TOP + max(1, len(rows)) * ROW_H + 6, "x0": LABEL_W, "bar_h": BAR_H}
