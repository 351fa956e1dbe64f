"""Tortoise models, one module per aggregate, and their migrations.

May use: tortoise only: no service and no handler (import-linter checks it).
"""

from models.config import MODEL_MODULES, tortoise_config

# For tortoise's own CLI (`tortoise makemigrations`), named in pyproject's [tool.tortoise].
# An in-memory URL: generating migrations never needs a real database.
TORTOISE_ORM = tortoise_config("sqlite://:memory:")

__all__ = ["MODEL_MODULES", "TORTOISE_ORM", "tortoise_config"]
