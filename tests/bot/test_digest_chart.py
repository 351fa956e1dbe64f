"""The digest chart: one decodable, reproducible PNG for any digest, empty to 50 departments."""

import io
from datetime import date

import matplotlib.image
import numpy as np
import numpy.typing as npt
import pytest

from bot.digest.chart import (
    MAX_TRENDS,
    render_chart,
    render_chart_async,
    shorten,
    trend_departments,
)
from bot.digest.model import (
    DepartmentWeek,
    External,
    Internal,
    MatrixCell,
    TrendPoint,
    WeekDigest,
)

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEKS = tuple(f"2025-W{n:02d}" for n in range(11, 19))


def department(
    slug: str, name: str, internal: list[float | None], external: list[float | None]
) -> DepartmentWeek:
    return DepartmentWeek(
        slug=slug,
        name=name,
        internal=Internal(
            responses=None, average=None, previous_average=None, sentiment=None, suppressed=True
        ),
        external=External(
            reviews=None,
            average_rating=None,
            previous_average_rating=None,
            sentiment=None,
            suppressed=True,
        ),
        trend=tuple(TrendPoint(w, i, e) for w, i, e in zip(WEEKS, internal, external, strict=True)),
    )


def digest(
    departments: tuple[DepartmentWeek, ...], matrix: tuple[MatrixCell, ...] = ()
) -> WeekDigest:
    return WeekDigest(
        week=WEEKS[-1],
        start=date(2025, 4, 28),
        end=date(2025, 5, 4),
        timezone="Europe/Berlin",
        min_group_size=5,
        departments=departments,
        matrix=matrix,
        weeks=WEEKS,
    )


def small() -> WeekDigest:
    it = department("it", "IT", [4.1, 4.0, None, 3.8, 3.9, 4.2, 4.3, 4.0], [None] * 8)
    hr = department(
        "hr",
        "Human Resources and People Operations",
        [3.0, 3.2, 3.1, None, None, 2.9, 3.3, 3.5],
        [3.9, 4.1, None, 4.0, 4.2, 4.4, 4.0, 3.8],
    )
    matrix = (
        MatrixCell("it", "hr", 7, 3.4),
        MatrixCell("hr", "it", 9, 4.6),
        MatrixCell("hr", "hr", 6, 1.2),
    )
    return digest((it, hr), matrix)


def large(n: int = 50) -> WeekDigest:
    rng = np.random.default_rng(7)
    departments = []
    for k in range(n):
        # Department k has data in the last k % 9 weeks, so the busiest are easy to name.
        present = k % 9
        values: list[float | None] = [
            None if w < 8 - present else round(float(rng.uniform(1, 5)), 2) for w in range(8)
        ]
        departments.append(department(f"d{k:02d}", f"Department number {k:02d}", values, values))
    matrix = tuple(
        MatrixCell(f"d{r:02d}", f"d{c:02d}", 5, round(float(rng.uniform(1, 5)), 2))
        for r in range(n)
        for c in range(n)
        if (r * 7 + c * 3) % 5  # leave some pairs below the threshold
    )
    return digest(tuple(departments), matrix)


def decode(png: bytes) -> npt.NDArray[np.float32]:
    assert png.startswith(PNG_SIGNATURE)
    image: npt.NDArray[np.float32] = matplotlib.image.imread(io.BytesIO(png), format="png")
    return image


def test_small_digest_is_a_decodable_png() -> None:
    image = decode(render_chart(small()))
    height, width = image.shape[:2]
    assert height > width > 500  # two stacked panels, portrait for a phone


def test_identical_input_gives_identical_bytes_and_different_input_does_not() -> None:
    first = render_chart(small())
    assert render_chart(small()) == first
    changed = small()
    changed = digest(changed.departments, (*changed.matrix[:2], MatrixCell("hr", "hr", 6, 4.9)))
    assert render_chart(changed) != first


def test_png_carries_no_software_or_timestamp_metadata() -> None:
    png = render_chart(small())
    assert b"matplotlib" not in png.lower()
    assert b"tIME" not in png


def test_fifty_departments_and_a_fifty_by_fifty_matrix_render() -> None:
    big = large()
    image = decode(render_chart(big))
    assert image.shape[0] > 0 and image.shape[1] > 0
    assert len(big.matrix) > 1500


def test_only_the_departments_with_most_data_are_drawn() -> None:
    shown = trend_departments(large())
    assert len(shown) == MAX_TRENDS
    # Eight weeks of data (k % 9 == 8) for d08, d17, d26, d35, d44; seven weeks for d07, d16, d25…
    assert [d.slug for d in shown] == ["d07", "d08", "d16", "d17", "d25", "d26", "d35", "d44"]


def test_departments_without_any_data_are_not_drawn() -> None:
    silent = department("ops", "Operations", [None] * 8, [None] * 8)
    assert trend_departments(digest((silent,))) == ()


def test_empty_matrix_and_all_none_trends_render() -> None:
    silent = tuple(department(f"s{k}", f"Silent {k}", [None] * 8, [None] * 8) for k in range(3))
    empty = render_chart(digest(silent))
    decode(empty)
    assert empty != render_chart(small())
    assert decode(render_chart(digest(()))).shape[0] > 0


def test_a_gap_is_not_drawn_as_a_point() -> None:
    gap = department("it", "IT", [3.0] * 3 + [None] + [3.0] * 4, [None] * 8)
    full = department("it", "IT", [3.0] * 8, [None] * 8)
    assert render_chart(digest((gap,))) != render_chart(digest((full,)))


def test_long_names_are_shortened_without_merging_them() -> None:
    assert shorten("IT") == "IT"
    north, south = shorten("Customer Service North"), shorten("Customer Service South")
    assert len(north) <= 18 and "…" in north
    assert north != south


async def test_async_variant_gives_the_same_png() -> None:
    assert await render_chart_async(small()) == render_chart(small())
