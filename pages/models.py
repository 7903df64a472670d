import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver

from pages.choices import (
    DEFAULT_SHOE_LIMIT_KM,
    MAX_DISTANCE_KM,
    MAX_DURATION_MIN,
    MAX_SHOE_KM,
    Surface,
    Unit,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """Email login is case-insensitive, as sign-up is. An exact match wins if two
        addresses differ only in case (from before addresses were stored lower-case)."""
        matches = list(self.filter(email__iexact=username)[:2])
        if len(matches) == 1:
            return matches[0]
        return self.get(email=username)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.KM)
    # Bumped by every change to what the runner's pages show (entries, shoes, unit), so a
    # rendered page can be kept under it (pages/page_cache.py). Only ever incremented in
    # the database, never written back from an instance that may be out of date.
    data_stamp = models.PositiveBigIntegerField(default=0, editable=False)
    # The pair a new day's run starts on; without one, the pair of the last run that had one.
    default_shoe = models.ForeignKey(
        "Shoe", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Imported runs go on the default pair, so shoe mileage stays true without typing.
    imports_on_default_shoe = models.BooleanField(
        "Put imported runs on my default pair", default=True
    )
    # No reminders on any device before this day (the runner is away): pages/reminders.py.
    reminders_paused_until = models.DateField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "data_stamp"
            ]
        super().save(*args, **kwargs)
        if {"unit", "default_shoe", "imports_on_default_shoe"} & set(
            kwargs.get("update_fields") or ()
        ):
            mark_changed(self.pk)


def mark_changed(user_id: int) -> None:
    """Something this runner's pages show has changed."""
    User.objects.filter(pk=user_id).update(data_stamp=models.F("data_stamp") + 1)


class Shoe(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="shoes")
    name = models.CharField(max_length=80)
    start_km = models.FloatField("starting distance", default=0)
    limit_km = models.FloatField("replacement limit", default=DEFAULT_SHOE_LIMIT_KM)
    retired = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    # The distance of the runs logged in this pair, counted again after each write to the
    # diary (recount_shoes), so a page reads one number instead of summing years of runs.
    logged_km = models.FloatField(default=0, editable=False)

    class Meta:
        ordering = ["retired", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_km__gte=0, start_km__lte=MAX_SHOE_KM),
                name="shoe_start_km_in_range",
            ),
            models.CheckConstraint(
                condition=Q(limit_km__gt=0, limit_km__lte=MAX_SHOE_KM),
                name="shoe_limit_km_in_range",
            ),
        ]

    def __str__(self):
        return self.name


class Entry(models.Model):
    """One day of the diary. Every field but the bookkeeping (owner, day, ids, version,
    timestamps) is content: what the runner writes (CONTENT_FIELDS, below the class). The
    form, the versioned save, JSON in and out, the CSV, the log page and the phone's
    outbox all follow that list, so a new field is added here, with a migration, and
    nowhere else."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    uuid = models.UUIDField(default=uuid.uuid4)
    version = models.PositiveIntegerField(default=1)
    # Null only on a day made by an import, until the runner rates it: an import never
    # invents a pain score, and an unrated day never counts for the pain rules.
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    ran = models.BooleanField(default=False)
    distance_km = models.FloatField(null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(null=True, blank=True)
    surface = models.CharField(max_length=10, choices=Surface.choices, blank=True)
    shoe = models.ForeignKey(
        Shoe, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    run_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    warmup = models.BooleanField(default=False)
    cooldown = models.BooleanField(default=False)
    symptoms = models.JSONField(default=list, blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        # recount_shoes sums a pair's entries: this index holds both columns, so the sum
        # never reads the table.
        indexes = [models.Index(fields=["shoe", "distance_km"], name="entry_shoe_distance")]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="one_entry_per_user_per_day"),
            models.UniqueConstraint(fields=["user", "uuid"], name="entry_uuid_unique_per_user"),
            models.CheckConstraint(condition=Q(pain__lte=10), name="entry_pain_0_to_10"),
            models.CheckConstraint(
                condition=Q(run_pain__isnull=True) | Q(run_pain__lte=10),
                name="entry_run_pain_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(distance_km__isnull=True)
                | Q(distance_km__gt=0, distance_km__lte=MAX_DISTANCE_KM),
                name="entry_distance_in_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True)
                | Q(duration_min__gte=1, duration_min__lte=MAX_DURATION_MIN),
                name="entry_duration_in_range",
            ),
            models.CheckConstraint(
                condition=Q(ran=True) | Q(distance_km__isnull=True, run_pain__isnull=True),
                name="entry_run_fields_only_when_ran",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.date}: pain {self.pain}"

    @property
    def needs_pain(self) -> bool:
        return self.pain is None

    @property
    def alternative_minutes(self) -> dict[str, int]:
        return {item["kind"]: item["minutes"] for item in self.alternatives}


_BOOKKEEPING = {"id", "user", "date", "uuid", "version", "created", "updated"}
Entry.CONTENT_FIELDS = tuple(
    field.name for field in Entry._meta.concrete_fields if field.name not in _BOOKKEEPING
)


def recount_shoes(user_id: int) -> None:
    """Each of the runner's pairs' logged_km: the sum of its entries' distances, summed
    anew (never added to), so a count is right after any write, whatever came before."""
    shoes = Shoe.objects.filter(user_id=user_id)
    logged = (
        Entry.objects.filter(shoe=OuterRef("pk"))
        .values("shoe")
        .annotate(km=Sum("distance_km"))
        .values("km")
    )
    with transaction.atomic():
        # Two devices saving at once: the second waits here for the first to commit, and
        # its sum, a statement later, counts the first one's run too. A runner with no
        # pair has nothing to count.
        if not shoes.select_for_update().order_by("pk").values_list("pk", flat=True):
            return
        shoes.update(logged_km=Coalesce(Subquery(logged), Value(0.0)))


@receiver(post_save, sender=Entry)
@receiver(post_save, sender=Shoe)
def _recount_shoes(sender, instance, **kwargs):
    """An entry's run may have moved to another pair, or changed length, or gone; a pair
    saved from a form read earlier writes back the distance it read. (Entries are deleted
    only with their account, and its shoes go too. Writes that skip save(), such as
    bulk_create, call recount_shoes themselves.)"""
    recount_shoes(instance.user_id)


@receiver(post_save, sender=Entry)
@receiver(post_save, sender=Shoe)
def _diary_changed(sender, instance, **kwargs):
    """Saving one entry or shoe. (No delete signal: it would make deleting an account
    load and signal every entry. Writes that skip save(), such as bulk_create, call
    mark_changed themselves.)"""
    mark_changed(instance.user_id)


class UserSession(AbstractBaseSession):
    """A database session that knows its user, so deleting an account deletes every one
    of its sessions with it (see pages/sessions.py)."""

    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from pages.sessions import SessionStore

        return SessionStore


class Attempt(models.Model):
    """One throttled action (a sign-up mail, a failed login, ...) by one key. The key is a
    hash, so addresses and emails are not kept here in the clear (pages/throttle.py)."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self):
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"


class ShareLink(models.Model):
    """A read-only link to one report, for a physiotherapist. Only the token's SHA-256 is
    kept (pages/sharing.py); the runner sees the link once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    first = models.DateField()
    last = models.DateField()
    notes = models.JSONField(default=list, blank=True)  # the days whose notes are shown
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)
    opens = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} {self.first}–{self.last}"


class Activity(models.Model):
    """A run or another activity read from a watch file (pages/activity_files.py), on the
    day it belongs to. `key` is the activity's identity (its sport and start), so the same
    file, or the same run in another export, is never added twice. A run on a day where
    the runner typed a run waits for them to choose (TO_CHOOSE)."""

    class Status(models.TextChoices):
        ADDED = "added", "Added"
        TO_CHOOSE = "to_choose", "Waiting for the runner to choose"
        DECLINED = "declined", "Not kept"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activities")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=12)  # "run" or an alternative's code
    started_at = models.DateTimeField()
    distance_km = models.FloatField(null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(null=True, blank=True)
    surface = models.CharField(max_length=10, choices=Surface.choices, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)  # perceived, 1–10
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ADDED)
    source = models.CharField(max_length=200, blank=True)  # the file it came from
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="activity_key_unique_per_user"),
        ]

    def __str__(self):
        return f"{self.user} {self.kind} at {self.started_at:%Y-%m-%d %H:%M}"


class ImportJob(models.Model):
    """One upload being read, a few files per request, so a bulk export of a thousand
    activities never holds a request past its timeout (pages/imports.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_jobs")
    name = models.CharField(max_length=200)  # the uploaded file's name
    path = models.CharField(max_length=500)  # where the upload waits, under IMPORT_DIR
    time_zone = models.CharField(max_length=64)  # the runner's, when they uploaded
    total = models.PositiveIntegerField(default=0)  # activity files in the upload
    done = models.PositiveIntegerField(default=0)
    added = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    # Taken by the request reading the next files, so two tabs never read the same ones.
    busy_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} {self.name} {self.done}/{self.total}"


# Endpoint URLs run to about 500 characters (Windows' are the longest); the unique index
# keeps well inside PostgreSQL's limit for an index entry.
MAX_ENDPOINT_LENGTH = 2048


class PushSubscription(models.Model):
    """One browser's Web Push subscription (a phone, a laptop), with the time and zone of
    its daily reminder. The endpoint and keys are the browser's; pages/push.py checks them
    and sends."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.CharField(max_length=MAX_ENDPOINT_LENGTH, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    remind_at = models.TimeField()  # the runner's local time, in time_zone
    time_zone = models.CharField(max_length=64)  # an IANA name, as the browser reports it
    # The local day of the last reminder: claimed by one conditional UPDATE before sending,
    # so two overlapping runs of send_reminders never both send.
    last_sent_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self):
        return f"{self.user} at {self.remind_at:%H:%M} {self.time_zone}"
