"""The digest's picture: eight-week trends per department above the rater × rated matrix.

Built with the object-oriented API (`Figure` + `FigureCanvasAgg`), never pyplot: rendering runs
in a worker thread while the event loop keeps answering Slack, and pyplot's global figure
registry is not thread-safe. Each call owns its figure, so no backend has to be selected.
"""

import asyncio
import io
import math

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.digest.model import DepartmentWeek, WeekDigest

MAX_TRENDS = 8  # more lines than this on a phone screen is noise
MAX_ANNOTATED = 12  # write the average into each cell up to a 12 × 12 matrix
DPI = 110
SIZE = (9.0, 12.0)  # inches: two stacked panels, readable when scaled to a phone's width
LABEL_CHARS = 18
NO_MATRIX = "No pair of departments reached the privacy threshold this week."
NO_TRENDS = "No department reached the privacy threshold in these weeks."
ALT_TEXT_LIMIT = 1000  # Slack refuses a longer alt_txt (alt_txt_too_large)


def render_chart(digest: WeekDigest) -> bytes:
    """Render the digest as one PNG: trends on top, the department matrix below.

    Trend lines are capped at `MAX_TRENDS` departments: those with the most weekly values
    (internal plus external averages that met the threshold), ties broken by name. The panel's
    title says so whenever departments were left out, e.g. "8 of 50 departments shown".
    Identical digests give identical bytes (no timestamp or version in the PNG metadata).
    """
    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    trend_ax, matrix_ax = fig.subplots(2, 1, height_ratios=(1.0, 1.35))
    _draw_trends(trend_ax, digest)
    _draw_matrix(matrix_ax, digest)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


async def render_chart_async(digest: WeekDigest) -> bytes:
    """`render_chart` off the event loop: a large matrix takes long enough to delay an ack."""
    return await asyncio.to_thread(render_chart, digest)


def describe_chart(digest: WeekDigest) -> str:
    """The chart in words, for screen readers (Slack's `alt_txt`): what each panel shows and
    its figures for the week, the same ones the picture draws. As many departments and pairs
    as fit Slack's limit are named; the rest are counted."""
    start, end = digest.start, digest.end
    dates = f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    head = f"Chart of service quality, week {digest.week} ({dates})."
    shown = trend_departments(digest)
    trend_intro = (
        "Top: eight-week trend of average ratings from 1 to 5 per department, colleagues'"
        " as solid lines, customers' as dashed lines"
    )
    if shown and len(shown) < len(digest.departments):
        trend_intro += f" ({len(shown)} of {len(digest.departments)} departments shown)"
    trend = [_this_week(digest.week, d) for d in shown] or [NO_TRENDS.rstrip(".")]
    names = {d.slug: d.name for d in digest.departments}
    matrix_intro = "Bottom: colleagues' ratings by rater department"
    matrix = [
        f"{names.get(c.rater, c.rater)} rating {names.get(c.rated, c.rated)} {c.average:.1f}"
        for c in digest.matrix
    ] or [NO_MATRIX.rstrip(".")]
    room = ALT_TEXT_LIMIT - len(head) - 2  # the spaces between the three parts
    wanted = len(_listing(matrix_intro, matrix, room))
    top = _listing(trend_intro, trend, room - min(wanted, room // 2))
    bottom = _listing(matrix_intro, matrix, room - len(top))
    return f"{head} {top} {bottom}"[:ALT_TEXT_LIMIT]


def _this_week(week: str, department: DepartmentWeek) -> str:
    point = next((p for p in department.trend if p.week == week), None)

    def value(v: float | None) -> str:
        return "no figure" if v is None else f"{v:.1f}"

    colleagues = value(point.internal if point else None)
    customers = value(point.external if point else None)
    return f"{department.name} this week: colleagues {colleagues}, customers {customers}"


def _listing(intro: str, items: list[str], budget: int) -> str:
    """`intro: a; b; c.` within `budget` characters, the items that do not fit counted."""
    listed: list[str] = []
    used = len(intro) + len(": .")
    for n, item in enumerate(items):
        rest = len(items) - n - 1
        more = len(f"; and {rest} more") if rest else 0
        if used + len(item) + (2 if listed else 0) + more > budget:
            break
        used += len(item) + (2 if listed else 0)
        listed.append(item)
    rest = len(items) - len(listed)
    if not rest:
        words = "; ".join(listed)
    else:
        words = "; ".join([*listed, f"and {rest} more"]) if listed else f"{rest}, too many to name"
    text = f"{intro}: {words}."
    return text if len(text) <= budget else intro[: max(budget, 0)]


def shorten(name: str, limit: int = LABEL_CHARS) -> str:
    """Cut a long name in the middle: "Customer Service North" and "… South" stay apart."""
    if len(name) <= limit:
        return name
    head = (limit - 1) * 2 // 3
    return name[:head].rstrip() + "…" + name[len(name) - (limit - 1 - head) :].lstrip()


def trend_departments(digest: WeekDigest) -> tuple[DepartmentWeek, ...]:
    """The departments drawn in the trend panel, in the digest's own order."""
    counts = {d.slug: _points(d) for d in digest.departments}
    ranked = sorted(
        (d for d in digest.departments if counts[d.slug]),
        key=lambda d: (-counts[d.slug], d.name, d.slug),
    )
    chosen = {d.slug for d in ranked[:MAX_TRENDS]}
    return tuple(d for d in digest.departments if d.slug in chosen)


def _points(department: DepartmentWeek) -> int:
    return sum((p.internal is not None) + (p.external is not None) for p in department.trend)


def _weeks(digest: WeekDigest) -> tuple[str, ...]:
    if digest.weeks:
        return digest.weeks
    seen = dict.fromkeys(p.week for d in digest.departments for p in d.trend)
    return tuple(sorted(seen))


def _nan(value: float | None) -> float:
    # NaN breaks the line: a suppressed week is a gap, never an interpolated point.
    return math.nan if value is None else value


def _draw_trends(ax: Axes, digest: WeekDigest) -> None:
    weeks = _weeks(digest)
    position = {w: i for i, w in enumerate(weeks)}
    shown = trend_departments(digest)
    start, end = digest.start, digest.end
    title = f"Week {digest.week} ({start.day} {start:%b} – {end.day} {end:%b %Y}): eight-week trend"
    if shown and len(shown) < len(digest.departments):
        title += (
            f"\n{len(shown)} of {len(digest.departments)} departments shown:"
            " those with most weeks of data"
        )
    ax.set_title(title, fontsize=11)
    ax.set_ylim(0.8, 5.2)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_ylabel("average (1–5)")
    ax.set_xlim(-0.3, max(len(weeks) - 1, 0) + 0.3)
    ax.set_xticks(range(len(weeks)), list(weeks), fontsize=8)
    ax.grid(True, alpha=0.3)
    if not shown:
        ax.text(0.5, 0.5, NO_TRENDS, transform=ax.transAxes, ha="center", va="center")
        return
    palette = matplotlib.colormaps["tab10"]
    x = np.arange(len(weeks))
    handles: list[Line2D] = []
    for i, dept in enumerate(shown):
        internal = np.full(len(weeks), np.nan)
        external = np.full(len(weeks), np.nan)
        for p in dept.trend:
            if p.week in position:
                internal[position[p.week]] = _nan(p.internal)
                external[position[p.week]] = _nan(p.external)
        colour = palette(i % palette.N)
        ax.plot(x, internal, color=colour, linestyle="-", marker="o", markersize=4)
        ax.plot(x, external, color=colour, linestyle="--", marker="s", markersize=3)
        handles.append(Line2D([], [], color=colour, linewidth=3, label=shorten(dept.name)))
    handles.append(Line2D([], [], color="0.3", linestyle="-", marker="o", label="colleagues"))
    handles.append(Line2D([], [], color="0.3", linestyle="--", marker="s", label="customers"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncols=4,
        fontsize=8,
        frameon=False,
    )


def _draw_matrix(ax: Axes, digest: WeekDigest) -> None:
    ax.set_title("Colleagues' ratings: rater department (rows) × rated department", fontsize=11)
    if not digest.matrix:
        ax.set_axis_off()
        ax.text(0.5, 0.5, NO_MATRIX, transform=ax.transAxes, ha="center", va="center")
        return
    order = {d.slug: i for i, d in enumerate(digest.departments)}
    names = {d.slug: d.name for d in digest.departments}

    def ordered(slugs: set[str]) -> list[str]:
        return sorted(slugs, key=lambda s: (order.get(s, len(order)), s))

    raters = ordered({c.rater for c in digest.matrix})
    rated = ordered({c.rated for c in digest.matrix})
    row = {s: i for i, s in enumerate(raters)}
    col = {s: i for i, s in enumerate(rated)}
    grid = np.full((len(raters), len(rated)), np.nan)
    for cell in digest.matrix:
        grid[row[cell.rater], col[cell.rated]] = cell.average
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="0.88")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=1, vmax=5, aspect="auto")
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    fig.colorbar(image, ax=ax, label="average (1–5)", shrink=0.8)
    size = max(len(raters), len(rated))
    fontsize = 8 if size <= 20 else 6 if size <= 35 else 5
    ax.set_xticks(range(len(rated)), [shorten(names.get(s, s)) for s in rated], fontsize=fontsize)
    ax.set_yticks(range(len(raters)), [shorten(names.get(s, s)) for s in raters], fontsize=fontsize)
    ax.tick_params(axis="x", labelrotation=60)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    ax.set_xlabel("rated department")
    ax.set_ylabel("rater department")
    if len(raters) <= MAX_ANNOTATED and len(rated) <= MAX_ANNOTATED:
        for cell in digest.matrix:
            dark = cell.average < 1.8 or cell.average > 4.2
            ax.text(
                col[cell.rated],
                row[cell.rater],
                f"{cell.average:.1f}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
