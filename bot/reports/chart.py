"""One bar-chart definition, drawn by matplotlib as inline SVG (HTML report) or PNG (``/stats``).

matplotlib (its Agg renderer for PNG) is imported inside the drawing functions (or by
:func:`warm`, in a thread at start), so that the running bot pays its memory only once a chart
is drawn. Text uses matplotlib's bundled DejaVu Sans (no font is downloaded), long labels are
wrapped rather than cut, and the output carries no date, so it is the same for the same data.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from bot.reports.phrases import number, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

COLOR = "#2f6f9f"
INK = "#222222"
GREY = "#6e6e6e"
WARNING = "#b3261e"
WRAP = 32
"""Characters per line of a bar's label; longer labels go on more lines."""
AXIS_LABELS = 8
"""About how many labels under a column chart (one every few columns)."""
WIDTH = 8.9
"""Width of a chart in inches: 640 px in the HTML report."""
LINE = 0.19
"""Height in inches of one line of label."""
PAD = 0.15
"""Inches between a plot and its labels."""
RIGHT = 0.1
"""Inches right of a plot (the bars leave room for their values)."""
TITLE = 0.4
"""Inches above each plot of a figure of several, for its title."""
TICKS = 0.35
"""Inches under a column chart, for its labels."""
BAR_GAP = 0.1
"""Inches above and under a bar chart."""
HEADING = 0.55
"""Inches for a figure's heading; :data:`NOTE` under it, for its warning."""
NOTE = 0.35
MARGIN = 0.08
"""Inches of margin at the top and bottom of a figure."""
PNG_COMPRESSION = 1
"""zlib's level for the PNG: on a ``/stats`` picture of a year, 20 ms of CPU less than the
default 6 (of about 330 for the whole picture), for a tenth more bytes."""
STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "text.parse_math": False,
    "text.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.edgecolor": GREY,
    "xtick.color": GREY,
    "ytick.color": INK,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "svg.fonttype": "none",
}
_SVG_NOISE = re.compile(r'\s+(?:xmlns(?::xlink)?="[^"]*"|id="[a-z0-9_.]+_\d+")')
"""Namespace declarations (not needed inside HTML) and matplotlib's numbered group ids
(``figure_1``…), which would repeat from one chart to the next in a page."""


@dataclass(frozen=True)
class Chart:
    """Labelled counts: horizontal bars, or (``columns``) vertical bars in order, e.g. weeks."""

    key: str
    """A slug naming the chart; its bars' SVG ids start with it."""
    title: str
    rows: Sequence[tuple[str, int]]
    columns: bool = False
    share_of: int | None = None
    """When given, each bar also shows its value as a share of this total."""
    lang: str = "fr"

    def value_text(self, value: int) -> str:
        """A bar's number as written beside it."""
        shown = number(value, self.lang)
        if self.share_of:
            shown += f" ({percent(value / self.share_of, self.lang)})"
        return shown

    def height(self) -> float:
        """Inches this chart needs: a fixed plot for columns, else one pitch per bar."""
        if self.columns:
            return 2.6
        lines = max((len(_wrapped(label).splitlines()) for label, _ in self.rows), default=1)
        return 0.35 + len(self.rows) * max(lines * LINE, 0.3)


def _wrapped(label: str) -> str:
    return "\n".join(textwrap.wrap(label, WRAP, break_on_hyphens=False)) or label


def _rectangles(axes: Axes, chart: Chart, thickness: float) -> BarContainer:
    """One bar per row (vertical for columns), each with an SVG id from the chart's key and
    unclipped, since the limits leave room. Added as plain artists, the data limits set once
    from all of them: ``Axes.bar`` updates them bar by bar, a third of a chart's drawing."""
    from matplotlib.container import BarContainer
    from matplotlib.patches import Rectangle

    values = [value for _, value in chart.rows]
    half, bars = thickness / 2, list[Rectangle]()
    for index, value in enumerate(values):
        along, across = (index - half, 0.0), (0.0, index - half)
        bar = Rectangle(
            along if chart.columns else across,
            thickness if chart.columns else value,
            value if chart.columns else thickness,
            facecolor=COLOR,
            gid=f"{chart.key}-bar-{index}",
            clip_on=False,
        )
        axes.add_artist(bar)
        bars.append(bar)
    ends = [(len(values) - 1 + half, max(values, default=0)), (-half, 0.0)]
    axes.update_datalim(ends if chart.columns else [(y, x) for x, y in ends])
    axes.autoscale_view()
    if chart.columns:
        return BarContainer(bars, datavalues=values, orientation="vertical")
    return BarContainer(bars, datavalues=values, orientation="horizontal")


def _bars(axes: Axes, chart: Chart) -> None:
    labels = [_wrapped(label) for label, _ in chart.rows]
    values = [value for _, value in chart.rows]
    positions = range(len(values))
    bars = _rectangles(axes, chart, 0.7)
    axes.bar_label(bars, [chart.value_text(v) for v in values], padding=4)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    axes.set_xlim(0, (max(values, default=0) or 1) * 1.25)


def _columns(axes: Axes, chart: Chart) -> None:
    values = [value for _, value in chart.rows]
    _rectangles(axes, chart, 0.8)
    every = max(1, -(-len(values) // AXIS_LABELS))
    ticks = range(0, len(values), every)
    axes.set_xticks(ticks, [chart.rows[i][0] for i in ticks], fontsize=8)
    peak = max(values, default=0) or 1
    axes.set_yticks([0, peak], ["0", number(peak, chart.lang)], color=GREY)
    axes.set_ylim(0, peak * 1.05)


def _text_width(lines: Sequence[str], size: float) -> float:
    """Inches the widest of ``lines`` takes in the chart font at ``size`` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font, measure = FontProperties(family=STYLE["font.family"], size=size), TextToPath()
    widths = (measure.get_text_width_height_descent(line, font, ismath=False)[0] for line in lines)
    return max(widths, default=0.0) / 72


def _left(chart: Chart, size: float) -> float:
    """Inches left of a chart's plot: its widest label (bars) or peak value (columns)."""
    if chart.columns:
        peak = max((value for _, value in chart.rows), default=0) or 1
        return _text_width([number(peak, chart.lang)], size) + PAD
    lines = [line for label, _ in chart.rows for line in _wrapped(label).splitlines()]
    return _text_width(lines, size) + PAD


def _figure(charts: Sequence[Chart], heading: str, note: str | None) -> Figure:
    """The charts one above the other under ``heading``, with ``note`` in red when given.

    Each plot is placed from its labels' measured widths (a layout engine drawing the figure
    once more to find them cost two thirds of the drawing time)."""
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    size = float(rcParams["font.size"])
    titled = len(charts) > 1
    blocks = [c.height() + (TITLE if titled else 0) for c in charts]
    top, bottom = (HEADING if heading else 0), (NOTE if note else 0)
    tall = sum(blocks) + top + bottom + MARGIN * 2
    figure = Figure(figsize=(WIDTH, tall))
    if heading:
        figure.suptitle(
            textwrap.fill(heading, 70),
            x=0.01,
            y=1 - MARGIN / tall,
            ha="left",
            va="top",
            fontsize=14,
        )
    if note:
        figure.supxlabel(note, x=0.99, y=MARGIN / tall, ha="right", va="bottom", color=WARNING)
    left = max(_left(chart, size) for chart in charts)
    ceiling = tall - MARGIN - top
    for chart, block in zip(charts, blocks, strict=True):
        floor = ceiling - block
        low = floor + (TICKS if chart.columns else BAR_GAP)
        high = ceiling - (TITLE if titled else BAR_GAP)
        axes = figure.add_axes(
            (left / WIDTH, low / tall, 1 - (left + RIGHT) / WIDTH, (high - low) / tall)
        )
        (_columns if chart.columns else _bars)(axes, chart)
        if titled:
            axes.set_title(chart.title, loc="left", color=GREY, fontsize=11)
        ceiling = floor
    return figure


def svg(chart: Chart) -> str:
    """``chart`` as an ``<svg>`` element to put inside an HTML page (no link, no script)."""
    from matplotlib import rc_context

    out = io.StringIO()
    with rc_context({**STYLE, "svg.hashsalt": chart.key}):
        _figure([chart], "", None).savefig(
            out,
            format="svg",
            metadata=dict.fromkeys(("Date", "Creator", "Format", "Type")),
        )
    text = _SVG_NOISE.sub("", out.getvalue())
    start = text.index("<svg") + len("<svg")
    label = escape(chart.title)
    return f'<svg role="img" aria-label="{label}"{text[start:]}'.replace(
        ">", f"><title>{label}</title>", 1
    )


def png(charts: Sequence[Chart], heading: str, note: str | None = None) -> bytes:
    """``charts`` stacked under ``heading`` as a 1,000-pixel-wide PNG picture."""
    from matplotlib import rc_context

    out = io.BytesIO()
    with rc_context({**STYLE, "font.size": 12}):
        _figure(charts, heading, note).savefig(
            out,
            format="png",
            dpi=1000 / WIDTH,
            metadata={"Software": None},
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
    return out.getvalue()


def warm() -> None:
    """Import what drawing a PNG needs (about a second of CPU), so the first chart is quick."""
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401
