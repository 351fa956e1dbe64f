"""What every handler may use, built once per application by the app factory."""

from dataclasses import dataclass, field

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.actions.announce import AnnouncementDelivery
from bot.actions.reminders import ActionReminders
from bot.clock import Clock, utc_now
from bot.config import LiveQuality, Settings
from bot.digest.aggregates import Aggregates
from bot.digest.post import DigestPoster
from bot.digest.schedule import DigestScheduler
from bot.learning import SentimentLearning
from bot.people.directory import Directory
from bot.people.home import Home
from bot.privacy.erased_messages import MessageDeletion
from bot.reviews.alerts import AlertDelivery
from bot.reviews.sources.polling import ReviewPolling
from bot.reviews.sources.stores import open_store
from bot.reviews.writer import ReviewWriter
from bot.runtime.metrics import Metrics
from bot.runtime.tasks import BackgroundTasks
from bot.sentiment import SentimentPool
from bot.slack.client import RateLimitGate
from bot.surveys.delivery import PollDelivery
from bot.surveys.release import AnswerRelease
from bot.surveys.thanks import ThanksDelivery


@dataclass
class Services:
    settings: Settings
    client: AsyncWebClient
    gate: RateLimitGate = field(default_factory=RateLimitGate)
    metrics: Metrics = field(default_factory=Metrics)
    tasks: BackgroundTasks = field(default_factory=BackgroundTasks)
    sentiment: SentimentPool = field(default_factory=SentimentPool)
    clock: Clock = utc_now
    # Digests and reports in a worker process of their own (bot/digest/aggregates.py); False: in
    # this one (tests, one-shot commands).
    reads_in_worker: bool = False
    bot_name: str | None = None  # as people @mention it, once Slack said it (auth.test)
    # The configuration in effect (`quality.current`), kept current by `directory`.
    quality: LiveQuality = field(init=False)
    directory: Directory = field(init=False)
    aggregates: Aggregates = field(init=False)
    polls: PollDelivery = field(init=False)
    thanks: ThanksDelivery = field(init=False)
    action_reminders: ActionReminders = field(init=False)
    announcements: AnnouncementDelivery = field(init=False)
    release: AnswerRelease = field(init=False)
    alerts: AlertDelivery = field(init=False)
    deletions: MessageDeletion = field(init=False)
    reviews: ReviewWriter = field(init=False)
    learning: SentimentLearning = field(init=False)
    review_polling: ReviewPolling = field(init=False)
    home: Home = field(init=False)
    digest: DigestPoster = field(init=False)
    digest_schedule: DigestScheduler = field(init=False)

    def __post_init__(self) -> None:
        quality = self.quality = LiveQuality(self.settings.quality_file)
        self.directory = Directory(
            quality_file=self.settings.quality_file,
            live=quality,
            client=self.client,
            clock=self.clock,
        )
        self.aggregates = Aggregates(
            quality, self.settings.database_url if self.reads_in_worker else None
        )
        self.polls = PollDelivery(
            client=self.client, quality=quality, clock=self.clock, gate=self.gate
        )
        self.thanks = ThanksDelivery(
            client=self.client, quality=quality, clock=self.clock, gate=self.gate
        )
        self.action_reminders = ActionReminders(
            client=self.client, quality=quality, clock=self.clock, gate=self.gate
        )
        self.announcements = AnnouncementDelivery(
            client=self.client, quality=quality, clock=self.clock, gate=self.gate
        )
        self.release = AnswerRelease(quality=quality, clock=self.clock, sentiment=self.sentiment)
        self.home = Home(
            client=self.client,
            quality=quality,
            clock=self.clock,
            aggregates=self.aggregates,
            bot_name=lambda: self.bot_name or "quality-bot",
        )
        self.alerts = AlertDelivery(
            client=self.client, quality=quality, clock=self.clock, gate=self.gate
        )
        self.deletions = MessageDeletion(
            client=self.client, quality=quality, clock=self.clock, gate=self.gate
        )
        self.learning = SentimentLearning(sentiment=self.sentiment, clock=self.clock)
        self.reviews = ReviewWriter(quality=quality, alerts=self.alerts, deletions=self.deletions)
        self.review_polling = ReviewPolling(
            quality=quality,
            secrets=self.settings.source_secrets,
            writer=self.reviews,
            sentiment=self.sentiment,
            clock=self.clock,
            open_api=open_store,
        )
        self.digest = DigestPoster(
            client=self.client,
            quality=quality,
            clock=self.clock,
            release=self.release,
            aggregates=self.aggregates,
        )
        self.digest_schedule = DigestScheduler(
            client=self.client,
            quality=quality,
            clock=self.clock,
            gate=self.gate,
            poster=self.digest,
        )


SERVICES = web.AppKey("services", Services)
