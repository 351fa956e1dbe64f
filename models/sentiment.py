"""Sentiment models learned from the company's own scored texts, one per language."""

from tortoise import fields
from tortoise.models import Model


class LearnedModel(Model):
    """What the last training of a language found, and the model when it is used.

    `model` is a character n-gram classifier's weights (bot/sentiment/ngram.py): hashed, and
    only for n-grams that several texts share, so it holds no text and nothing one text alone
    taught it. It is null when the model did not earn its place (`reason` says why)."""

    id = fields.IntField(primary_key=True)
    language = fields.CharField(max_length=8, unique=True)  # ISO 639-1
    texts = fields.IntField(default=0)  # scored texts it was trained on
    accuracy = fields.FloatField(null=True)  # cross-validated, abstentions counted wrong
    builtin = fields.FloatField(null=True)  # the shipped analyzer on the same texts
    model = fields.BinaryField(null=True)
    reason = fields.CharField(max_length=200, null=True)  # why it is not used
    trained_at = fields.DatetimeField(null=True)  # null until its first training ends
    claimed_until = fields.DatetimeField(null=True)  # an instance is training it until then

    class Meta:
        table = "learned_model"

    @property
    def in_use(self) -> bool:
        return self.model is not None
