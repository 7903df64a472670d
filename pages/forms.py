import base64
import re
import zoneinfo
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q
from django.forms.models import fields_for_model
from django.urls import reverse
from django.utils import dateformat, timezone

from pages import mail, push, throttle
from pages.accounts import site_domain, site_url
from pages.choices import (
    FIRST_DAY,
    MAX_ALTERNATIVE_MIN,
    MAX_DISTANCE_KM,
    MAX_DURATION_MIN,
    MAX_NOTES_CHARS,
    MAX_SHOE_KM,
    SYMPTOM_GROUPS,
    Alternative,
    Surface,
    Unit,
)
from pages.diary import starting_shoe_id
from pages.models import MAX_ENDPOINT_LENGTH, Entry, Shoe
from pages.units import distance_in, from_km, parse_duration, to_km
from pages.vocab import symptoms_in

PAIN_CHOICES = [(n, str(n)) for n in range(11)]
SYMPTOM_CHOICES = [(group, items) for group, items in SYMPTOM_GROUPS]
ALTERNATIVE_FIELDS = {f"alt_{kind}": kind for kind in Alternative.values}
COPYABLE_SYMPTOMS = symptoms_in("see_soon")
RUN_FIELDS = ("distance_km", "duration_min", "surface", "shoe", "run_pain", "warmup", "cooldown")


def storable_text(value: str) -> None:
    """JSON can carry half a surrogate pair ("\\ud800"), which no database can store."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise forms.ValidationError("This text has a character we cannot store.") from None


def pain_field(*, required: bool, label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=lambda: PAIN_CHOICES,  # a callable is not deep-copied into every form
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Pick a number from 0 to 10.",
            "invalid_choice": "Pain is a whole number from 0 to 10.",
        },
    )


def minutes_field(kind: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        label=Alternative(kind).label,
        min_value=1,
        max_value=MAX_ALTERNATIVE_MIN,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "min"}),
    )


class DurationField(forms.IntegerField):
    """Minutes, typed as minutes ("45") or as hours and minutes ("1:05"). The API may send
    whole minutes; both paths read the same way."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Enter minutes (45) or hours and minutes (1:05).",
        "min_value": "A run takes at least 1 minute.",
        "max_value": "At most 24 hours (1440 minutes).",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        minutes = parse_duration(str(value))
        if minutes is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return minutes

    def widget_attrs(self, widget):
        # A text box, not type=number: a colon must be typeable. No min/max attributes.
        return {}


def shoe_label(shoe: Shoe) -> str:
    return f"{shoe.name} (retired)" if shoe.retired else shoe.name


class EntryForm(forms.Form):
    """The one validation path for a diary day: the HTML form and the JSON API both use it.

    Distances arrive in the user's unit and are cleaned to kilometres."""

    date = forms.DateField(error_messages={"invalid": "Enter a date as YYYY-MM-DD."})
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    base_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    pain = pain_field(required=True, label="Back pain today")
    ran = forms.BooleanField(required=False, label="I ran")
    distance_km = forms.FloatField(
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    duration_min = DurationField(
        required=False,
        label="Time (minutes or h:mm)",
        min_value=1,
        max_value=MAX_DURATION_MIN,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "45 or 1:05"}),
    )
    surface = forms.ChoiceField(
        required=False,
        choices=lambda: Surface.choices,
        widget=forms.RadioSelect,
        label="Surface",
    )
    shoe = forms.ModelChoiceField(
        required=False,
        queryset=Shoe.objects.none(),
        empty_label="No shoe / not saying",
        error_messages={"invalid_choice": "Choose one of your own shoes."},
    )
    run_pain = pain_field(required=False, label="Back pain during the run")
    warmup = forms.BooleanField(required=False, label="I warmed up")
    cooldown = forms.BooleanField(required=False, label="I cooled down")
    symptoms = forms.MultipleChoiceField(
        required=False,
        choices=lambda: SYMPTOM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "%(value)s is not a symptom we know."},
    )
    notes = forms.CharField(
        required=False,
        max_length=MAX_NOTES_CHARS,
        validators=[storable_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Declared once, not built in __init__: an import builds thousands of these forms.
    alt_swimming = minutes_field(Alternative.SWIMMING)
    alt_cycling = minutes_field(Alternative.CYCLING)
    alt_yoga = minutes_field(Alternative.YOGA)
    alt_walking = minutes_field(Alternative.WALKING)
    alt_elliptical = minutes_field(Alternative.ELLIPTICAL)
    alt_other = minutes_field(Alternative.OTHER)

    def __init__(
        self, *args, user, unit: str | None = None, days_by_id: dict | None = None, **kwargs
    ):
        """`days_by_id` maps the user's entry ids to their days when the caller holds them
        already: an import checks thousands of days against one query."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.unit = unit or user.unit
        self.days_by_id = days_by_id
        self.fields["distance_km"].label = f"Distance ({self.unit})"
        self._offer_shoes()

    def _offer_shoes(self) -> None:
        """The runner's active pairs, and the pair the day already has or was sent with,
        retired or not: a past day keeps the pair it was run in. A new day starts on the
        runner's usual pair."""
        shoe = self["shoe"]
        if not self.is_bound and self.initial.get("base_version") is None:
            self.initial.setdefault("shoe", None)
            self.initial["shoe"] = self.initial["shoe"] or starting_shoe_id(self.user)
        chosen = str(shoe.value())
        # Only plain ASCII digits that fit a database id: "¹" is a digit to str.isdigit().
        chosen = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) < 19 else None
        field = self.fields["shoe"]
        field.queryset = Shoe.objects.filter(user=self.user).filter(Q(retired=False) | Q(pk=chosen))
        field.label_from_instance = shoe_label

    def clean_distance_km(self):
        distance = self.cleaned_data["distance_km"]
        if distance is None:
            return None
        km = round(to_km(distance, self.unit), 3)  # the range is checked on what is stored
        if not 0 < km <= MAX_DISTANCE_KM:
            limit = round(from_km(MAX_DISTANCE_KM, self.unit))
            raise forms.ValidationError(
                f"Distance must be more than 0 and at most {limit} {self.unit}."
            )
        stored = self._stored_distance_km()
        if stored is not None and distance_in(stored, self.unit) == round(distance, 2):
            # Unchanged as the runner sees it: 4.97 mi is still the 8 km it was shown for.
            return stored
        return km

    def _stored_distance_km(self) -> float | None:
        """The day's distance as saved. An import (days_by_id) only ever adds new days."""
        day = self.cleaned_data.get("date")
        if self.days_by_id is not None or day is None:
            return None
        days = Entry.objects.filter(user=self.user, date=day)
        return days.values_list("distance_km", flat=True).first()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("That day hasn't happened yet.")
        if day < FIRST_DAY:
            first = dateformat.format(FIRST_DAY, "j F Y")
            raise forms.ValidationError(f"The diary starts on {first}.")
        return day

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("ran"):
            for name in RUN_FIELDS:
                cleaned[name] = False if name in ("warmup", "cooldown") else None
            cleaned["surface"] = ""
        cleaned["surface"] = cleaned.get("surface") or ""
        cleaned["alternatives"] = [
            {"kind": kind, "minutes": cleaned[name]}
            for name, kind in ALTERNATIVE_FIELDS.items()
            if cleaned.get(name)
        ]
        cleaned["symptoms"] = sorted(set(cleaned.get("symptoms") or []))
        entry_id, day = cleaned.get("uuid"), cleaned.get("date")
        if entry_id and day and self._uuid_used_on_another_day(entry_id, day):
            self.add_error("uuid", "This entry id already belongs to another day.")
        return cleaned

    def _uuid_used_on_another_day(self, entry_id, day) -> bool:
        if self.days_by_id is not None:
            return self.days_by_id.get(entry_id, day) != day
        return Entry.objects.filter(user=self.user, uuid=entry_id).exclude(date=day).exists()

    def added_fields(self) -> list:
        """Bound fields the model added (ADDED_FIELDS), for the log page to show."""
        return [self[name] for name in ADDED_FIELDS]

    @classmethod
    def copied_from(cls, yesterday, unit: str, *, with_run: bool) -> dict:
        """ "Same as yesterday": the pain and see-soon symptoms, never an emergency or urgent
        one (those are ticked afresh), and never the run unless asked: a copied run would
        add phantom distance to the load and the shoes (PRODUCT.md)."""
        data = {
            "pain": yesterday.pain,
            "symptoms": [code for code in yesterday.symptoms if code in COPYABLE_SYMPTOMS],
        }
        if with_run and yesterday.ran:
            data |= {
                name: value
                for name, value in cls.initial_from(yesterday, unit).items()
                if name in RUN_FIELDS and name != "run_pain"
            }
            data["ran"] = True
        return data

    @classmethod
    def initial_from(cls, entry, unit: str) -> dict:
        """The form's values for a saved day: its content fields, in the user's unit."""
        initial = {"date": entry.date, "uuid": entry.uuid}
        initial["base_version"] = entry.version if entry.pk else None
        for name in Entry.CONTENT_FIELDS:
            if name == "alternatives":
                for item in entry.alternatives:
                    initial[f"alt_{item['kind']}"] = item["minutes"]
            elif name == "distance_km":
                km = entry.distance_km
                initial[name] = None if km is None else distance_in(km, unit)
            elif name == "shoe":
                initial[name] = entry.shoe_id
            else:
                initial[name] = getattr(entry, name)
        return initial


# A content field the form above does not declare gets the model's own form field, so a
# new Entry field reaches the form, and through it the API, the log page and the phone's
# outbox, with no edit here.
ADDED_FIELDS = tuple(
    name
    for name in Entry.CONTENT_FIELDS
    if name not in EntryForm.base_fields and name != "alternatives"
)
EntryForm.base_fields = EntryForm.declared_fields | fields_for_model(Entry, fields=ADDED_FIELDS)


def field_kinds() -> str:
    """How the phone reads each content field from the form (static/js/offline-form.js):
    "name:kind" pairs, kind one of bool, list, number or text. Activities are the alt_*
    minute fields and are read by that prefix."""
    numbers = forms.IntegerField | forms.FloatField | forms.ModelChoiceField
    kinds = []
    for name in Entry.CONTENT_FIELDS:
        field = EntryForm.base_fields.get(name)
        if field is None:
            continue
        if isinstance(field, forms.BooleanField):
            kind = "bool"
        elif isinstance(field, forms.MultipleChoiceField):
            kind = "list"
        elif isinstance(field, numbers) or getattr(field, "coerce", None) in (int, float):
            kind = "number"
        else:
            kind = "text"
        kinds.append(f"{name}:{kind}")
    return " ".join(kinds)


class SignupForm(forms.Form):
    """Only an address: the password is chosen on the page the mailed link opens, so only
    whoever controls the mailbox ever sets it (pages/accounts.py)."""

    email = forms.EmailField(label="Email address", max_length=254)


class ChoosePasswordForm(SetPasswordForm):
    """The first password of a new account, on the page a sign-up link opens."""


class ResetPasswordForm(PasswordResetForm):
    """Django's reset form, with mail throttled per address and per client, links built
    from SITE_URL rather than the request's Host, and sending after the response."""

    def save(self, *, request, **kwargs):
        email = self.cleaned_data["email"]
        allowed = throttle.allow("reset_address", email) and throttle.allow(
            "reset_client", throttle.client_ip(request)
        )
        if not allowed:
            return
        domain, https = site_domain()
        super().save(request=request, **kwargs | {"domain_override": domain, "use_https": https})

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        link = reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        mail.show_link(f"Password reset link for {context['email']}", site_url(link))
        mail.later(
            super().send_mail, subject_template_name, email_template_name, context, *args, **kwargs
        )


def check_current_password(user, password: str) -> None:
    """Guessing the password of a signed-in session is throttled per account."""
    key = str(user.pk)
    if throttle.is_blocked("password_check", key):
        raise forms.ValidationError(
            "Too many wrong passwords. Wait 15 minutes and try again.", code="throttled"
        )
    if not user.check_password(password):
        throttle.record("password_check", key)
        raise forms.ValidationError("That password is not right.", code="password_incorrect")


class ChangePasswordForm(PasswordChangeForm):
    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        check_current_password(self.user, password)
        return password


class UnitForm(forms.Form):
    unit = forms.ChoiceField(
        choices=Unit.choices, widget=forms.RadioSelect, label="Show distances in"
    )


class DefaultShoeForm(forms.Form):
    default_shoe = forms.ModelChoiceField(
        label="A new run starts on",
        required=False,
        queryset=Shoe.objects.none(),
        empty_label="The pair I ran in last",
        error_messages={"invalid_choice": "Choose one of your pairs that is not retired."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_shoe"].queryset = Shoe.objects.filter(user=user, retired=False)
        if not self.is_bound:
            self.initial["default_shoe"] = user.default_shoe_id


class ShoeForm(forms.ModelForm):
    start_km = forms.FloatField(label="Distance already run", min_value=0, initial=0)
    limit_km = forms.FloatField(label="Replace at", min_value=1)

    class Meta:
        model = Shoe
        fields = ("name", "start_km", "limit_km", "retired")
        labels = {"name": "Name", "retired": "Retired"}

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["start_km"].label = f"Distance already run ({unit})"
        self.fields["limit_km"].label = f"Replace at ({unit})"
        self.fields["name"].validators.append(storable_text)
        shoe = self.instance
        self.initial["start_km"] = round(from_km(shoe.start_km, unit))
        self.initial["limit_km"] = round(from_km(shoe.limit_km, unit))

    def clean_start_km(self):
        return self._km_in_range("start_km")

    def clean_limit_km(self):
        return self._km_in_range("limit_km")

    def _km_in_range(self, name: str) -> float:
        """Checked after conversion: 1.5e308 miles is a finite number, but not in km."""
        km = to_km(self.cleaned_data[name], self.unit)
        if km > MAX_SHOE_KM:
            limit = round(from_km(MAX_SHOE_KM, self.unit))
            raise forms.ValidationError(f"At most {limit:,} {self.unit}.")
        return km


class DidInsteadForm(forms.Form):
    activity = forms.ChoiceField(choices=Alternative.choices)
    minutes = forms.IntegerField(min_value=1, max_value=MAX_ALTERNATIVE_MIN)


class ImportForm(forms.Form):
    file = forms.FileField(label="A backpain JSON export")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name, each checked as a FileField checks one (Django's
    documented way: the widget gives a list)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class RunFilesForm(forms.Form):
    """Watch files to import. No `accept` filter: iOS greys out .fit files otherwise, and
    a file is told by its content, not its name (pages/activity_files.py)."""

    file = MultipleFileField(
        label="Files from your watch or phone",
        help_text="FIT, GPX or TCX files, or a whole export as a ZIP (Strava, Garmin).",
        error_messages={"required": "Choose at least one file."},
    )
    on_default_shoe = forms.BooleanField(required=False)

    def clean_file(self):
        files = self.cleaned_data["file"]
        for upload in files:
            if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
                limit = settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
                raise forms.ValidationError(f"{upload.name} is larger than {limit} MB.")
        return files


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        check_current_password(self.user, password)
        return password


MAX_REPORT_DAYS = 5 * 366


class ReportPeriodForm(forms.Form):
    """The report's period, from ?from=YYYY-MM-DD&to=YYYY-MM-DD (both optional: the last
    12 weeks). `first_day` is the runner's first logged day, or None."""

    def __init__(self, data, *, first_day, default: tuple, **kwargs):
        super().__init__(data, **kwargs)
        self.first_day = first_day
        self.default = default
        for name in ("from", "to"):
            self.fields[name] = forms.DateField(
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start = cleaned.get("from") or self.default[0]
        end = cleaned.get("to") or self.default[1]
        today = timezone.localdate()
        if end > today:
            self.add_error("to", "That day hasn't happened yet.")
        elif start > end:
            self.add_error("from", "The start comes after the end.")
        elif (end - start).days > MAX_REPORT_DAYS:
            self.add_error("from", "A report covers at most 5 years.")
        elif self.first_day is None:
            raise forms.ValidationError("Nothing is logged yet, so there is nothing to report.")
        elif end < self.first_day:
            first = dateformat.format(self.first_day, "j F Y")
            self.add_error("to", f"Your diary starts on {first}.")
        cleaned["asked_from"] = start
        cleaned["from"], cleaned["to"] = max(start, self.first_day or start), end
        return cleaned


def base64url_bytes(value: str, *, length: int, what: str) -> bytes:
    """The bytes of a browser's base64url key (padding optional), exactly `length` long."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        raise forms.ValidationError(f"The {what} must be base64url.")
    try:
        raw = base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except ValueError:
        raise forms.ValidationError(f"The {what} must be base64url.") from None
    if len(raw) != length:
        raise forms.ValidationError(f"The {what} must be {length} bytes.")
    return raw


class PushSubscriptionForm(forms.Form):
    """A browser's PushSubscription (its keys flattened) and the reminder time for it."""

    endpoint = forms.CharField(max_length=MAX_ENDPOINT_LENGTH)
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=40)
    remind_at = forms.TimeField(
        input_formats=["%H:%M"], error_messages={"invalid": "Use HH:MM, such as 08:30."}
    )
    time_zone = forms.CharField(max_length=64)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if problem := push.endpoint_problem(endpoint):
            raise forms.ValidationError(problem)
        return endpoint

    def clean_p256dh(self):
        key = self.cleaned_data["p256dh"]
        raw = base64url_bytes(key, length=65, what="p256dh key")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError:
            raise forms.ValidationError("The p256dh key is not a P-256 public key.") from None
        return key

    def clean_auth(self):
        key = self.cleaned_data["auth"]
        base64url_bytes(key, length=16, what="auth secret")
        return key

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError("This is not a time zone we know.") from None
        return name


class PauseRemindersForm(forms.Form):
    until = forms.DateField(
        label="No reminders until",
        help_text="Reminders start again on this day.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until <= today:
            raise forms.ValidationError("Choose a day after today.")
        if until > today + timedelta(days=366):
            raise forms.ValidationError("Choose a day within a year.")
        return until
