import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages.forms import EntryForm

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
PLAUSIBLE = st.fixed_dictionaries(
    {
        "date": st.dates(date(2000, 1, 1), date.today() + timedelta(days=3)).map(str),
        "pain": st.integers(-2, 12) | st.text(max_size=3),
    },
    optional={
        "ran": st.booleans(),
        "distance_km": st.floats(-10, 400) | st.just(float("nan")) | st.text(max_size=5),
        "duration_min": st.integers(-5, 2000),
        "surface": st.sampled_from(["road", "trail", "ice", "", "grass"]),
        "run_pain": st.integers(-1, 11) | st.none(),
        "symptoms": st.lists(st.sampled_from(["fever", "trauma", "nope", "leg_pain"]), max_size=3),
        "alternatives": st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["yoga", "swimming", "skiing"]),
                    "minutes": st.integers(-5, 1500) | st.text(max_size=3),
                }
            ),
            max_size=3,
        ),  # fmt: skip
        "notes": st.text(max_size=2100),
        "base_version": st.none() | st.integers(-1, 5),
        "uuid": st.uuids().map(str) | st.text(max_size=5),
    },
)
BODIES = PLAUSIBLE | st.dictionaries(FIELDS, ANY_JSON, max_size=8)
FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(body=BODIES)
def test_fuzz_api_never_5xx_and_400_names_fields(signed_in, body):
    response = signed_in.post("/api/entries/", json.dumps(body), content_type="application/json")
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
