"""`quality-bot import-reviews`: files of reviews as sources export them, into a real database."""

import csv
import json
import zlib
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.cli.main import main
from bot.config import VARIABLES, QualityConfig
from bot.people.membership import sync_departments
from bot.reviews import importer
from bot.reviews.importer import BATCH, FIELDS, ImportFileError, ImportSummary, import_reviews
from bot.runtime import db
from bot.sentiment import SentimentPool
from bot.slack_standin import SlackStandIn
from models.review import DeletedReview, Review
from tests.conftest import QUALITY_YML, make_settings
from tests.database import database_url

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T = TypeVar("T")

PRAISE = [
    "arrived a day early and was packed with care",
    "was sorted out in ten minutes, quick and helpful",
    "the staff were friendly and explained everything",
    "great value, I will order again",
]
COMPLAINTS = [
    "came a week late and nobody answered my emails",
    "arrived broken and the refund still has not been paid",
    "the hotline kept me waiting for an hour, awful",
    "was rude and unhelpful when I asked for an invoice",
]
PLAIN = ["was delivered on Tuesday", "is the blue one from the catalogue", "took two days"]
SUBJECTS = ["The parcel", "My order", "The courier", "Your support team", "The new laptop"]
SUBJECTS += ["The VPN client", "The invoice", "Checkout", "The replacement part"]
OTHER_LANGUAGES = [
    "Die Lieferung kam zu spät und der Kundendienst war unfreundlich.",
    "Le colis est arrivé en retard et personne ne répond.",
    "El pedido llegó a tiempo, muy buen servicio.",
]
SOURCES = ["trustpilot", "google", "app_store"]


def pick(options: Sequence[T], i: int, field: str) -> T:
    # Well spread and the same on every run, with no generator to seed.
    return options[zlib.crc32(f"{field}:{i}".encode()) % len(options)]


def chance(i: int, field: str, share: float) -> bool:
    return zlib.crc32(f"{field}?{i}".encode()) % 1000 < share * 1000


def review(i: int, seed: int = 0) -> dict[str, Any]:
    """One review as a source exports it: varied texts, some fields left out."""
    n = i + seed * 100_003
    kind = zlib.crc32(f"kind:{n}".encode()) % 100
    if kind < 5:
        text = pick(OTHER_LANGUAGES, n, "lang")
    elif kind < 7:
        text = pick(["👍", "10/10 🎉", ":("], n, "emoji")
    else:
        verdict = pick([PRAISE, COMPLAINTS, PLAIN], n, "verdict")
        text = f"{pick(SUBJECTS, n, 'subject')} {pick(verdict, n, 'says')}. Order {n * 37 % 99991}."
    row: dict[str, Any] = {"id": f"r-{i:05d}", "source": SOURCES[i % 3], "text": text}
    if chance(n, "rating", 0.8):
        row["rating"] = pick([1, 2, 3, 4, 5, 4.5], n, "rating")
    if chance(n, "title", 0.3):
        row["title"] = pick(["Late again", "Great service", "Meh", "Thank you!"], n, "title")
    if chance(n, "author", 0.5):
        row["author"] = pick(["Jane D.", "Max M.", "Łukasz", "Anonymous"], n, "author")
    if chance(n, "department", 0.2):
        row["department"] = pick(["it", "finance"], n, "department")
    if chance(n, "created_at", 0.9):
        day, hour = 2 + n % 21, n % 24
        row["created_at"] = f"2026-11-{day:02d}T{hour:02d}:15:00Z"
    if chance(n, "url", 0.3):
        row["url"] = f"https://reviews.example.com/{row['source']}/{i}"
    return row


def reviews(count: int, seed: int = 0) -> list[dict[str, Any]]:
    return [review(i, seed) for i in range(count)]


def write_jsonl(path: Path, rows: list[dict[str, Any]], bad: dict[int, str] | None = None) -> Path:
    """`bad` replaces the given lines (1-based) with text as it stands."""
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    for number, text in (bad or {}).items():
        lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
async def quality(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[QualityConfig]:
    # What the command does before it imports: the schema, then quality.yml's departments.
    settings = make_settings(tmp_path, slack)
    await db.migrate(settings.database_url)
    await db.open_database(settings.database_url)
    await sync_departments(settings.quality_file)
    yield settings.quality_file
    await db.close_database()


@pytest.fixture
def pool() -> Iterator[SentimentPool]:
    scoring = SentimentPool(workers=0)
    yield scoring
    scoring.close()


async def run(path: Path, quality: QualityConfig, pool: SentimentPool, **kw: Any) -> ImportSummary:
    return await import_reviews(path, pool=pool, quality=quality, now=NOW, **kw)


def counts(summary: ImportSummary) -> tuple[int, int, int, int, int]:
    s = summary
    return s.rows, s.created, s.updated, s.duplicate, s.rejected


def rejects(summary: ImportSummary) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in summary.first_rejected]


ROWS = 3_000  # six batches; how fast many more go is for `make bench` (bench/imports.py)
BAD_LINES = {
    101: '{"id": "bad-1", "source": "google", "rating": "five", "text": "Fine"}',
    702: '{"source": "google", "text": "Who am I?"}',
    1303: '{"id": "bad-3", "source": "google", "rating": 2, "author": "Silent Bob"}',
    1904: '{"id": "bad-4", "source": "google", "department": "marketing", "text": "Hm"}',
    2505: '{"id": "bad-5", "source": "google", "text": "cut off',
    2906: '{"id": "bad-6", "source": "google", "text": "Ok", "created_at": "next tuesday"}',
}
BAD_REASONS = [
    (101, "rating: input should be a valid number, unable to parse string as a number"),
    (702, "id: field required"),
    (1303, "text or title is required"),
    (1904, "department: unknown department 'marketing'"),
    (2505, "not valid JSON: Unterminated string starting at: column 45"),
    (2906, "created_at: input should be a valid datetime or date, invalid character in year"),
]


async def test_thousands_of_rows_import_once_and_bad_rows_are_named_by_line(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    path = write_jsonl(tmp_path / "reviews.jsonl", reviews(ROWS), BAD_LINES)
    good = ROWS - len(BAD_LINES)

    progress: list[tuple[int, int]] = []
    # How fast is for `make bench` (bench/imports.py) to measure, not for a test to assert.
    first = await run(path, quality, pool, on_progress=lambda s: progress.append(counts(s)[:2]))

    assert counts(first) == (ROWS, good, 0, 0, 6)
    assert rejects(first) == BAD_REASONS
    assert [r.id for r in first.first_rejected] == ["bad-1", None, "bad-3", "bad-4", None, "bad-6"]
    assert await Review.all().count() == good
    assert first.bytes_done == path.stat().st_size
    # Progress after every batch, not only at the end.
    assert len(progress) >= ROWS // BATCH and progress == sorted(progress)

    newest = await Review.all().order_by("-id").first()
    again = await run(path, quality, pool)
    assert counts(again) == (ROWS, 0, 0, good, 6)
    assert rejects(again) == BAD_REASONS
    assert await Review.all().count() == good
    assert await Review.all().order_by("-id").first() == newest  # nothing new was written


async def test_an_edited_review_is_updated_and_rescored(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    rows = reviews(40)
    rows[7] = {"id": "tp-edit", "source": "trustpilot", "rating": 5, "text": "Lovely, thank you!"}
    path = write_jsonl(tmp_path / "reviews.jsonl", rows)
    assert counts(await run(path, quality, pool)) == (40, 40, 0, 0, 0)
    before = await Review.get(source="trustpilot", external_id="tp-edit")
    assert before.sentiment_label == "positive"

    rows[7] = {**rows[7], "rating": 1, "text": "Edited: awful, rude and late."}
    write_jsonl(path, rows)
    assert counts(await run(path, quality, pool)) == (40, 0, 1, 39, 0)

    after = await Review.get(source="trustpilot", external_id="tp-edit")
    assert (after.id, after.rating, after.text) == (before.id, 1, "Edited: awful, rude and late.")
    assert after.sentiment_label == "negative"
    assert await Review.all().count() == 40


async def test_a_review_its_source_deleted_is_not_imported_again(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    await DeletedReview.create(source="trustpilot", external_id="tp-gone", deleted_at=NOW)
    rows = [*reviews(3), {"id": "tp-gone", "source": "trustpilot", "text": "Deleted since."}]
    summary = await run(write_jsonl(tmp_path / "reviews.jsonl", rows), quality, pool)
    assert (summary.created, summary.deleted) == (3, 1)
    assert not await Review.exists(source="trustpilot", external_id="tp-gone")


@pytest.mark.parametrize("batch_size", [500, 2], ids=["same batch", "across batches"])
async def test_a_review_listed_twice_ends_as_its_later_row_says(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool, batch_size: int
) -> None:
    early = {"id": "g-1", "source": "google", "rating": 5, "text": "Great service"}
    later = {**early, "rating": 2, "text": "Edited: the refund never came"}
    filler = [{"id": f"g-{i}", "source": "google", "text": "Ok"} for i in range(2, 5)]
    path = write_jsonl(tmp_path / "twice.jsonl", [early, *filler, later])

    assert counts(await run(path, quality, pool, batch_size=batch_size)) == (5, 4, 1, 0, 0)
    stored = await Review.get(source="google", external_id="g-1")
    assert (stored.rating, stored.text) == (2, "Edited: the refund never came")

    # Again: the earlier row is stored, then the later one, so the review still ends as the
    # later row says — never as whichever row happened to be read last from the database.
    again = await run(path, quality, pool, batch_size=batch_size)
    assert (again.duplicate, again.rejected) == (3, 0)
    stored = await Review.get(source="google", external_id="g-1")
    assert (stored.rating, stored.text) == (2, "Edited: the refund never came")
    assert await Review.all().count() == 4


async def test_routing_and_sentiment_land_in_the_stored_rows(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    named = "The invoice was wrong twice and nobody helped. Awful."
    keyword = "My new laptop was set up quickly, great and friendly help"
    rows: list[dict[str, Any]] = [
        {"id": "a", "source": "shop", "department": "finance", "rating": 1, "text": named},
        {
            "id": "b",
            "source": "shop",
            "rating": 5,
            "title": "Thank you",
            "text": keyword,
            "created_at": "2026-11-20T23:30:00-05:00",
        },
        {"id": "c", "source": "shop", "text": "Die Lieferung kam pünktlich an."},
        {"id": "d", "source": "shop", "title": "Delivered on Tuesday", "language": "en"},
    ]
    path = write_jsonl(tmp_path / "routed.jsonl", rows)
    assert counts(await run(path, quality, pool)) == (4, 4, 0, 0, 0)

    stored = {r.external_id: r for r in await Review.all().prefetch_related("department")}
    routes = {
        k: (r.department.slug if r.department else None, r.routed_by) for k, r in stored.items()
    }
    assert routes == {
        "a": ("finance", "field"),
        "b": ("it", "keyword"),
        "c": (None, "fallback"),
        "d": (None, "fallback"),
    }
    labels = [stored[k].sentiment_label for k in "abcd"]
    assert labels == ["negative", "positive", "unsupported_language", "no_signal"]
    assert stored["a"].sentiment_polarity is not None and stored["a"].sentiment_polarity < 0
    assert stored["c"].language == "de"
    assert stored["a"].alert == "pending"  # negative, and its department is known
    # created_at decides the week, in quality.yml's time zone (Europe/Berlin).
    assert stored["b"].created_at == datetime(2026, 11, 21, 4, 30, tzinfo=UTC)
    assert stored["b"].week == "2026-W47"
    assert stored["d"].created_at == NOW  # none given: when received


async def test_csv_cells_are_read_as_the_webhook_reads_json(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        "\ufeffID,Source,Rating,Title,Text,Author,Department,Language,Created_at,URL,Stars\r\n"
        'c1,shop,"4,5",,"Two lines:\r\nquick and helpful",,finance,,,,5\r\n'
        "c2,shop,five,,Okay I guess,,,,,,\r\n"
        ",shop,3,,No id here,,,,,,\r\n"
        "c4,shop,2,,  ,,,,,,\r\n"
        "c5,shop,1,,Awful,,nowhere,,,,\r\n"
        "c6,shop,3,,Fine,,,,yesterday,,\r\n"
        "c7,shop,3,,too,few\r\n"
        "\r\n"
        "c8,shop,,Just a title,,,,,2026-11-20,https://shop.example/c8,\r\n"
        ",,,,,,,,,,\r\n".encode()
    )
    summary = await run(path, quality, pool)

    assert counts(summary) == (8, 2, 0, 0, 6)
    assert rejects(summary) == [
        (4, "rating: 'five' is not a number"),  # c1 took lines 2 and 3
        (5, "id: field required"),
        (6, "text or title is required"),
        (7, "department: unknown department 'nowhere'"),
        (8, "created_at: input should be a valid datetime or date, input is too short"),
        (9, "has 6 fields where the header has 11"),
    ]
    assert summary.ignored_columns == ["stars"]
    c1 = await Review.get(external_id="c1").prefetch_related("department")
    assert (c1.rating, c1.title, c1.author, c1.department.slug if c1.department else None) == (
        4.5,
        None,  # an empty cell is an absent field, not an empty title
        None,
        "finance",
    )
    assert c1.text == "Two lines:\r\nquick and helpful"
    c8 = await Review.get(external_id="c8")
    assert [c8.title, c8.text, c8.url] == ["Just a title", None, "https://shop.example/c8"]


async def test_csv_and_jsonl_of_the_same_reviews_store_the_same_rows(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    rows = reviews(300, seed=11)
    as_json = await run(write_jsonl(tmp_path / "a.jsonl", rows), quality, pool)
    as_csv = await run(write_csv(tmp_path / "a.csv", rows), quality, pool)
    assert counts(as_json) == (300, 300, 0, 0, 0)
    # The same reviews through the other format: equal content, so nothing changes.
    assert counts(as_csv) == (300, 0, 0, 300, 0)


async def test_unreadable_lines_are_rejected_rows_not_the_end_of_the_import(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_LINE", 400)
    ok = '{"id": "%s", "source": "shop", "text": "Fine"}\n'
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        (ok % "u1").encode()
        + '{"id": "u2", "source": "shop", "text": "Caf\u00e9"}\n'.encode("latin-1")
        + b'{"id": "u3", "source": "shop", "text": "'
        + b"x" * 1000
        + b'"}\n'
        + b"[1, 2, 3]\n"
        + b"\n"
        + (ok % "u6").encode()
    )
    summary = await run(path, quality, pool)
    assert counts(summary) == (5, 2, 0, 0, 3)
    assert rejects(summary) == [
        (2, "not UTF-8 text (byte 0xe9); save it as UTF-8"),
        (3, "line longer than 400 bytes"),
        (4, "not a JSON object"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "No such file or directory"),
        ("reviews.xlsx", "id,source,text\n", "is neither .csv nor .jsonl"),
        ("empty.csv", "", "is empty: expected a header line naming the columns"),
        ("headless.csv", "r1,shop,Great\n", "line 1: the header has no id, source or text column"),
        ("twice.csv", "id,source,text,Text\n", "line 1: column 'text' appears twice"),
    ],
)
async def test_a_file_that_cannot_be_read_imports_nothing(
    tmp_path: Path,
    quality: QualityConfig,
    pool: SentimentPool,
    name: str,
    content: str | None,
    reason: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(ImportFileError, match=reason):
        await run(path, quality, pool)
    assert await Review.all().count() == 0


@pytest.fixture
def command_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory and environment an operator runs the command in."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url(tmp_path, "cli"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    return tmp_path


def test_the_command_prints_the_summary_and_lists_rejected_rows(
    command_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.cli.reviews.SHOWN", 4)
    write_jsonl(command_env / "reviews.jsonl", reviews(200), {101: BAD_LINES[101]})

    assert main(["import-reviews", "reviews.jsonl", "--workers", "0"]) == 0

    out, err = capsys.readouterr()
    assert err == ""  # no progress bar: stderr is not a terminal
    lines = out.splitlines()
    assert lines[0].startswith("reviews.jsonl: 200 rows in ")
    assert lines[1:5] == [
        "  created          199",
        "  updated            0",
        "  duplicate          0",
        "  rejected           1",
    ]
    assert lines[5:] == [
        "Rejected rows:",
        "  line 101 (bad-1): rating: input should be a valid number, unable to parse string"
        " as a number",
    ]


def test_the_command_writes_every_rejected_row_and_a_json_summary(
    command_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.cli.reviews.SHOWN", 2)
    bad = {n: json.dumps({"id": f"x{n}", "source": "shop"}) for n in (3, 5, 8, 13)}
    write_jsonl(command_env / "reviews.jsonl", reviews(20), bad)

    assert main(["import-reviews", "reviews.jsonl", "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert "  line 3 (x3): text or title is required\n" in out
    assert out.endswith("  …and 2 more; --rejects FILE writes them all to a CSV file.\n")

    args = ["import-reviews", "reviews.jsonl", "--workers", "0", "--json", "--rejects", "bad.csv"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert {k: summary[k] for k in ("rows", "created", "updated", "duplicate", "rejected")} == {
        "rows": 20,
        "created": 0,
        "updated": 0,
        "duplicate": 16,
        "rejected": 4,
    }
    assert summary["rejects"][0] == {"line": 3, "reason": "text or title is required", "id": "x3"}
    with (command_env / "bad.csv").open(newline="") as written:
        assert list(csv.reader(written)) == [
            ["line", "id", "reason"],
            *[[str(n), f"x{n}", "text or title is required"] for n in (3, 5, 8, 13)],
        ]


def test_the_command_fails_only_when_the_file_cannot_be_read(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-reviews", "nowhere.csv", "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert err == "quality-bot: nowhere.csv: No such file or directory\n"


async def test_a_nul_character_is_a_rejected_row_on_either_database(
    tmp_path: Path, quality: QualityConfig, pool: SentimentPool
) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_text(
        '{"id": "n1", "source": "shop", "text": "Fine"}\n'
        '{"id": "n2", "source": "shop", "text": "Bad\\u0000byte"}\n'
    )
    summary = await run(path, quality, pool)
    assert counts(summary)[1] == 1  # n1 stored
    [(line, reason)] = rejects(summary)
    assert line == 2 and "text" in reason and "NUL" in reason
