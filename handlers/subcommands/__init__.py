"""Every `/quality` subcommand but `help` (the dispatcher's own, in handlers/commands.py), one
module each.

Each module here defines `NAME` (the word typed after /quality), `ORDER` (its place in the
help) and `build(services) -> Subcommand`; `register` in handlers/commands.py finds them all.
"""

import importlib
import pkgutil
from types import ModuleType

from bot.services import Services
from handlers.invocation import Subcommand


def _modules() -> list[ModuleType]:
    found = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
    ]
    return sorted(found, key=lambda m: int(m.ORDER))


def build_all(services: Services) -> list[tuple[int, str, Subcommand]]:
    """(order, name, subcommand) of every module here."""
    return [(int(m.ORDER), str(m.NAME), m.build(services)) for m in _modules()]
