"""Base model and the append-only, hash-chained audit trail."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in. What she may do comes from her memberships (``actors.Membership``)."""

    preferred_language = models.CharField(max_length=10, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit records are append-only: they are never updated.")

    def delete(self):
        raise TypeError("Audit records are append-only: they are never deleted.")


class AuditRecord(models.Model):
    """One state change made through a service: who, for whom, what, on which object, when.

    ``hash`` is SHA-256 over the record's canonical form and the previous record's hash, so a row
    changed or removed behind the application's back breaks the chain (``compacts audit verify``).
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    organisation_id = models.PositiveBigIntegerField(null=True, blank=True)
    organisation_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit records are append-only: they are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit records are append-only: they are never deleted.")


class AuditHead(models.Model):
    """The chain's tip. Appends lock this single row, so concurrent writers take turns and the
    chain never forks; ``verify`` also checks it against the last record, so removing the newest
    records is detected too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")
        ]

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class DataVersion(models.Model):
    """A counter per topic of public data ("fund", "programmes", "iati", ...), raised after every
    committed change. Caches put the versions of the topics they depend on in their keys, so a
    change made in one process is seen at once by every other (docs/architecture.md, Caching)."""

    topic = models.CharField(max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.topic}@{self.version}"


class ScheduledJob(models.Model):
    """When a periodic job (``compacts.core.schedule``) last ran and when it is next due. One
    row per job, locked while the scheduler enqueues it, so two schedulers never both run it."""

    name = models.CharField(max_length=120, primary_key=True)
    next_due_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
