"""The few places quality-bot leans on a library's internals, each behind one adapter. When an
upgrade moves one of them, a test here fails first and names the adapter to fix, instead of the
app failing somewhere in production.

- tortoise-orm: its insert cache, `Tortoise.init(_enable_global_fallback=…)` and `connections`
  → bot/runtime/db.py (the rest of the app asks db.py for the connection);
- tortoise-orm: the SQLite client's transaction classes, for BEGIN IMMEDIATE → models/sqlite.py;
- tortoise-orm: the pooled transaction context's steps, to give back a connection whose BEGIN
  failed → models/postgres.py;
- python-dotenv: `parse_stream` and `parse_variables`, to interpolate against our environment
  rather than os.environ → bot/config/settings.py;
- slack-bolt: `request.payload_utils`, what bolt reads of every body → handlers/bodies.py;
- vaderSentiment: its lexicon, `SentiText`, `sentiment_valence`, `score_valence` and
  `BOOSTER_DICT` → bot/sentiment/english.py.
"""

import inspect
import io

import pytest

pytestmark = pytest.mark.same_on_either_database


def _fix(adapter: str) -> str:
    return f"the library changed: adapt {adapter}"


def test_tortoise_as_bot_runtime_db_uses_it() -> None:
    from tortoise import Tortoise, connections
    from tortoise.backends.base.executor import EXECUTOR_CACHE
    from tortoise.connection import ConnectionHandler

    assert isinstance(EXECUTOR_CACHE, dict) and hasattr(EXECUTOR_CACHE, "clear"), _fix(
        "bot/runtime/db.py"
    )
    assert "_enable_global_fallback" in inspect.signature(Tortoise.init).parameters, _fix(
        "bot/runtime/db.py"
    )
    # `connections` stands for the active context's handler; `get` is what db.py calls on it.
    assert connections is not None and callable(ConnectionHandler.get), _fix("bot/runtime/db.py")


def test_tortoises_sqlite_transactions_as_models_sqlite_extends_them() -> None:
    from tortoise.backends.sqlite.client import (
        SqliteClient,
        SqliteTransactionContext,
        SqliteTransactionWrapper,
    )

    from models.sqlite import ImmediateSqliteClient

    assert issubclass(ImmediateSqliteClient, SqliteClient)
    assert callable(SqliteClient._in_transaction), _fix("models/sqlite.py")
    context = inspect.signature(SqliteTransactionContext.__init__).parameters
    assert list(context) == ["self", "connection", "trxlock"], _fix("models/sqlite.py")
    # models/sqlite.py replaces `begin` whole: it must still be the one place that says BEGIN.
    begin = inspect.getsource(SqliteTransactionWrapper.begin)
    assert 'execute("BEGIN")' in begin and "commit()" in begin, _fix("models/sqlite.py")
    # models/sqlite.py repeats tortoise's `__aenter__` step for step (and gives the lock back).
    enter = inspect.getsource(SqliteTransactionContext.__aenter__)
    steps = ("_trxlock.acquire()", "ensure_connection()", "self.token", "connection.begin()")
    assert all(step in enter for step in steps), _fix("models/sqlite.py")
    assert len(enter.strip().splitlines()) == 6, _fix("models/sqlite.py")


def test_tortoises_pooled_transactions_as_models_postgres_repeats_them() -> None:
    from tortoise.backends.asyncpg.client import AsyncpgDBClient
    from tortoise.backends.base.client import TransactionContextPooled

    from models.postgres import ReleasingAsyncpgClient

    assert issubclass(ReleasingAsyncpgClient, AsyncpgDBClient)
    assert callable(AsyncpgDBClient._in_transaction), _fix("models/postgres.py")
    context = inspect.signature(TransactionContextPooled.__init__).parameters
    assert list(context) == ["self", "client", "pool_init_lock"], _fix("models/postgres.py")
    # models/postgres.py repeats tortoise's `__aenter__` with one step added: the same steps.
    enter = inspect.getsource(TransactionContextPooled.__aenter__)
    for step in ("ensure_connection()", "_pool.acquire()", "self.token", "begin()"):
        assert step in enter, _fix("models/postgres.py")


def test_dotenv_as_bot_config_settings_reads_it() -> None:
    from dotenv.parser import parse_stream
    from dotenv.variables import parse_variables

    bindings = list(parse_stream(io.StringIO("A=1\nnot a line\n")))
    assert [(b.key, b.error, b.original.line) for b in bindings] == [
        ("A", False, 1),
        (None, True, 2),
    ], _fix("bot/config/settings.py")
    atoms = parse_variables("${A}-${B:-b}")
    assert "".join(a.resolve({"A": "a"}) for a in atoms) == "a-b", _fix("bot/config/settings.py")


def test_bolts_payload_utils_as_handlers_bodies_reads_them() -> None:
    from slack_bolt.request import payload_utils

    action = {"action_id": "poll_score_4", "value": "p"}
    body = {"type": "block_actions", "actions": [action]}
    assert payload_utils.is_block_actions(body), _fix("handlers/bodies.py")
    assert payload_utils.to_action(body) == action, _fix("handlers/bodies.py")
    for name in ("to_command", "to_event", "to_message", "to_options", "to_shortcut", "to_step"):
        assert callable(getattr(payload_utils, name, None)), _fix("handlers/bodies.py")
    assert callable(payload_utils.to_view), _fix("handlers/bodies.py")


def test_vader_as_the_english_backend_drives_it() -> None:
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

    vader = SentimentIntensityAnalyzer()
    assert isinstance(vader.lexicon, dict) and vader.lexicon["good"] > 0
    assert "very" in BOOSTER_DICT, _fix("bot/sentiment/english.py")
    text = SentiText("very good service")
    words = text.words_and_emoticons
    valences: list[float] = []
    for i, word in enumerate(words):
        valences = vader.sentiment_valence(0.0, text, word, i, valences)
    assert len(valences) == len(words) == 3, _fix("bot/sentiment/english.py")
    assert vader.score_valence(valences, "very good service")["compound"] > 0.4
