import csv
import io
import json
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages.choices import FIRST_DAY
from pages.export import FORMULA_STARTS
from pages.forms import EntryForm
from pages.models import Entry, Shoe

FIELDS = st.sampled_from(
    ["uuid", "date", "pain", "ran", "distance_km", "duration_min", "surface", "shoe",
     "run_pain", "warmup", "cooldown", "symptoms", "alternatives", "notes", "base_version"]
)  # fmt: skip
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
# Text as JSON can carry it: half surrogate pairs, NUL, and what spreadsheets run.
NASTY_TEXT = st.lists(
    st.text(max_size=5) | st.sampled_from(["\ud800", "\udfff", "\x00", "=1+1", "@", "\t", "\r"]),
    max_size=4,
).map("".join)
NUMBERS = (
    st.floats()  # NaN and both infinities included
    | st.floats(0, 0.001)
    | st.integers(-(2**70), 2**70)
    | st.sampled_from([1.5e308, -0.0, 5e-324])
)
PLAUSIBLE = st.fixed_dictionaries(
    {
        "date": st.dates(date(2000, 1, 1), date.today() + timedelta(days=3)).map(str)
        | st.dates().map(str),
        "pain": st.integers(-2, 12) | st.text(max_size=3),
    },
    optional={
        "ran": st.booleans(),
        "distance_km": st.floats(-10, 400) | NUMBERS | st.text(max_size=5),
        "duration_min": st.integers(-5, 2000) | NUMBERS,
        "surface": st.sampled_from(["road", "trail", "ice", "", "grass"]),
        "shoe": NUMBERS | st.none(),
        "run_pain": st.integers(-1, 11) | st.none(),
        "symptoms": st.lists(st.sampled_from(["fever", "trauma", "nope", "leg_pain"]), max_size=5),
        "alternatives": st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["yoga", "swimming", "skiing"]),
                    "minutes": st.integers(-5, 1500) | st.text(max_size=3),
                }
            ),
            max_size=3,
        ),  # fmt: skip
        "notes": st.text(max_size=2100) | NASTY_TEXT,
        "base_version": st.none() | st.integers(-1, 5),
        "uuid": st.uuids().map(str) | st.text(max_size=5),
    },
)
BODIES = PLAUSIBLE | st.dictionaries(FIELDS, ANY_JSON, max_size=8)
# JSON that the parser itself refuses: nested past its recursion limit, or a number of
# more than 4,300 digits.
UNPARSABLE = (
    st.integers(1_000, 100_000).map(lambda depth: "[" * depth + "]" * depth)
    | st.integers(1_000, 20_000).map(
        lambda depth: '{"notes": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    )
    | st.integers(4_301, 6_000).map(lambda digits: '{"pain": ' + "9" * digits + "}")
)
RAW_BODIES = BODIES.map(json.dumps) | UNPARSABLE
FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(body=RAW_BODIES)
def test_fuzz_api_never_5xx_and_400_names_fields(signed_in, body):
    response = signed_in.post("/api/entries/", body, content_type="application/json")
    assert response.status_code in (200, 201, 400, 409)
    if response.status_code == 400:
        errors = response.json()["errors"]
        assert errors and all(messages for messages in errors.values())


@FUZZ
@given(
    data=st.dictionaries(
        FIELDS | st.sampled_from(["alt_yoga", "alt_other"]), st.text(max_size=40), max_size=10
    )
)
def test_fuzz_entry_form_invalid_input_always_names_a_field(user, data):
    form = EntryForm(data, user=user)
    if not form.is_valid():
        assert form.errors
        assert set(form.errors) <= set(form.fields) | {"__all__"}


@FUZZ
@given(data=st.dictionaries(FIELDS, st.text(max_size=40), max_size=10))
def test_fuzz_log_view_never_5xx(signed_in, data):
    data.pop("date", None)
    response = signed_in.post("/log/", data)
    assert response.status_code in (302, 400, 409)


CONTENT_TYPES = st.sampled_from(
    ["application/json", "multipart/form-data; boundary=x", "text/plain", ""]
) | st.tuples(
    st.sampled_from(["application/json", "application/x-www-form-urlencoded"]),
    st.sampled_from(["utf-8", "UTF8", "utf-16", "utf-32", "latin-1", "nope", ""]),
).map(lambda pair: f"{pair[0]}; charset={pair[1]}")


@FUZZ
@given(content_type=CONTENT_TYPES, body=st.binary(max_size=40) | RAW_BODIES.map(str.encode))
def test_fuzz_any_body_any_content_type_never_5xx(user, content_type, body):
    # CSRF checked as in production: its middleware reads the body before the view does.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/log/")
    token = {"X-CSRFToken": client.cookies["csrftoken"].value}
    for path in ("/api/entries/", "/log/", "/accounts/login/"):
        response = client.generic("POST", path, body, content_type=content_type, headers=token)
        assert response.status_code < 500


SHOE_ITEMS = st.fixed_dictionaries(
    {"id": st.integers(0, 3) | ANY_JSON, "name": NASTY_TEXT | ANY_JSON},
    optional={"start_km": NUMBERS | ANY_JSON, "limit_km": NUMBERS | ANY_JSON, "retired": ANY_JSON},
)
EXPORTS = st.fixed_dictionaries(
    {"format": st.just("backpain-export") | ANY_JSON},
    optional={
        "shoes": st.lists(SHOE_ITEMS | ANY_JSON, max_size=3) | ANY_JSON,
        "entries": st.lists(PLAUSIBLE | ANY_JSON, max_size=3) | ANY_JSON,
    },
)


@FUZZ
@given(content=EXPORTS.map(json.dumps) | UNPARSABLE)
def test_fuzz_import_never_5xx_and_a_refused_file_saves_nothing(signed_in, user, content):
    before = (Entry.objects.count(), Shoe.objects.count())
    upload = SimpleUploadedFile("export.json", content.encode())
    response = signed_in.post("/settings/import/", {"file": upload})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert (Entry.objects.count(), Shoe.objects.count()) == before


@FUZZ
@given(day=st.dates())
def test_fuzz_diary_day_outside_the_diary_404(signed_in, day):
    in_diary = FIRST_DAY <= day <= timezone.localdate()
    assert signed_in.get(f"/diary/{day}/").status_code == (200 if in_diary else 404)


@FUZZ
@given(next_url=st.text(max_size=30) | st.sampled_from(["/", "//evil.example", "log", "/\\x"]))
def test_fuzz_did_instead_next_never_5xx_nor_off_site(signed_in, user, next_url):
    day = timezone.localdate() - timedelta(days=3)
    Entry.objects.get_or_create(user=user, date=day, defaults={"pain": 2})
    response = signed_in.post(
        f"/diary/{day}/did-instead/", {"activity": "yoga", "minutes": "5", "next": next_url}
    )
    assert response.status_code == 302
    assert response.url in (f"/diary/{day}/", iri_to_uri(next_url))
    assert response.url.startswith("/") and not response.url.startswith(("//", "/\\"))


@FUZZ
@given(
    unit=st.sampled_from(["km", "mi"]),
    start=NUMBERS.map(str) | st.text(max_size=6),
    limit=NUMBERS.map(str) | st.text(max_size=6),
)
def test_fuzz_shoe_form_never_5xx_and_pages_survive(signed_in, user, unit, start, limit):
    user.unit = unit
    user.save(update_fields=["unit"])
    fields = {"new-name": "Pair", "new-start_km": start, "new-limit_km": limit}
    assert signed_in.post("/settings/shoes/", fields).status_code in (302, 400)
    assert signed_in.get("/settings/").status_code == 200


@FUZZ
@given(notes=st.text(max_size=20))
def test_fuzz_csv_cells_never_start_a_formula(signed_in, user, notes):
    Entry.objects.update_or_create(user=user, date=timezone.localdate(), defaults={
        "pain": 2, "notes": notes.replace("\x00", "")
    })  # fmt: skip
    body = signed_in.get("/settings/export/entries.csv").content.decode()
    for row in csv.reader(io.StringIO(body, newline="")):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
