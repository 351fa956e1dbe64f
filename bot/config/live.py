"""The configuration in effect, which may change while the app runs."""

from bot.config.quality_models import QualityConfig


class LiveQuality:
    """quality.yml with its names resolved through Slack, and the departments admins manage in
    Slack (bot/people/directory.py keeps it current). Replaced whole: a reader that takes
    `current` once works on one consistent configuration."""

    def __init__(self, quality: QualityConfig) -> None:
        self._current = quality

    @property
    def current(self) -> QualityConfig:
        return self._current

    def replace(self, quality: QualityConfig) -> None:
        self._current = quality


# What a service takes: the live configuration of a running app, or a fixed one (a one-shot
# command, a test).
QualitySource = QualityConfig | LiveQuality


def current(source: QualitySource) -> QualityConfig:
    return source.current if isinstance(source, LiveQuality) else source
