"""The assist app's tables: the search index, the indexing job's marks and the
trained unit-routing model. Nothing here is a source of truth: every row can
be rebuilt from the other apps' tables (``search_rebuild``, ``assist_train``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    PROPOSAL = "proposal", pgettext_lazy("search kind", "Proposal")
    REPORT = "report", pgettext_lazy("search kind", "Public-opinion report")
    TOPIC = "topic", pgettext_lazy("search kind", "Consultation topic")
    CONSULTATION = "consultation", pgettext_lazy("search kind", "Consultation")
    MESSAGE = "message", pgettext_lazy("search kind", "Citizen's message")
    ACTIVITY = "activity", pgettext_lazy("search kind", "Activity")
    MEMBER = "member", pgettext_lazy("search kind", "Member")


class SearchEntry(models.Model):
    """检索条目: one searchable object of another app, its text cut into jieba
    tokens. Results are always re-scoped through the owning app's selectors,
    so this row grants nothing by itself."""

    committee = models.ForeignKey(
        "org.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(blank=True)  # the start of the text, for the highlighted excerpt
    tokens = models.TextField()  # space-separated jieba tokens; FTS5 / tsvector read this
    # Proposals and messages: the content words (no stop words) that similarity,
    # routing and message grouping compare.
    terms = models.TextField(blank=True)
    url = models.CharField(max_length=200)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]
        indexes = [models.Index(fields=["committee", "kind", "year"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class IndexMark(models.Model):
    """How far the indexing job got for one kind: the time it started (rows
    changed since then are read again) and the highest child-row id seen."""

    key = models.CharField(max_length=32, unique=True)
    since = models.DateTimeField(null=True)
    last_id = models.PositiveBigIntegerField(default=0)
    last_child_id = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.key


class RoutingModel(models.Model):
    """分办模型: per committee, token counts per lead unit learned from past
    assignments (JSON, never pickled), retrained by a job."""

    committee = models.OneToOneField(
        "org.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )
    trained_at = models.DateTimeField(auto_now=True)
    proposals = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"routing:{self.committee_id}"
