"""The JSON API: the entries the phone's outbox syncs through, and the devices' Web Push
subscriptions (PRODUCT.md's API contract)."""

from datetime import date

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pages import entries, push, throttle
from pages.forms import PushSubscriptionForm
from pages.models import Entry, PushSubscription
from pages.reminders import TEST_WORDS


@require_http_methods(["GET", "POST"])
def api_entries(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _api_error("Sign in first.", status=401)
    if request.method == "GET":
        return _api_list(request)
    payload = _json_object(request)
    if isinstance(payload, JsonResponse):
        return payload
    form, errors = entries.form_from_json(user=request.user, payload=payload)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    outcome = entries.save_entry(user=request.user, form=form)
    body = {"result": outcome.result, "entry": entries.entry_json(outcome.entry)}
    return JsonResponse(body, status=API_STATUS[outcome.result])


API_STATUS = {"created": 201, "updated": 200, "unchanged": 200, "conflict": 409}
# A PushSubscription's JSON is well under 1 KB; anything much bigger is not one.
MAX_PUSH_BODY_BYTES = 4096


def _api_error(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": [message]}}, status=status)


def _json_object(request: HttpRequest, *, max_bytes: int | None = None) -> dict | JsonResponse:
    """The request's JSON object, or the error response that says why there is none."""
    if request.content_type != "application/json":
        return _api_error("Send the body as application/json.", status=415)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if max_bytes and (not declared.isdigit() or int(declared) > max_bytes):
        return _api_error(f"The body must be at most {max_bytes} bytes.", status=400)
    try:
        payload = entries.read_json(request.body)
    except ValueError:
        return _api_error("The body is not valid JSON.", status=400)
    if not isinstance(payload, dict):
        return _api_error("Send a JSON object.", status=400)
    return payload


def _api_list(request: HttpRequest) -> JsonResponse:
    days = entries.with_runs(Entry.objects.filter(user=request.user).order_by("date"))
    if since := request.GET.get("since"):
        try:
            days = days.filter(date__gte=date.fromisoformat(since))
        except ValueError:
            return JsonResponse({"errors": {"since": ["Use YYYY-MM-DD."]}}, status=400)
    return JsonResponse({"entries": [entries.entry_json(entry) for entry in days]})


@require_GET
def api_push_key(request: HttpRequest) -> JsonResponse:
    if not push.is_set_up():
        return _api_error("Reminders are not set up on this server.", status=404)
    return JsonResponse({"key": settings.VAPID_PUBLIC_KEY})


@require_http_methods(["POST", "DELETE"])
def api_push_subscriptions(request: HttpRequest) -> JsonResponse:
    payload = _signed_in_json(request, max_bytes=MAX_PUSH_BODY_BYTES)
    if isinstance(payload, JsonResponse):
        return payload
    if request.method == "DELETE":
        if _own_subscriptions(request, payload).delete()[0] == 0:
            return JsonResponse({"errors": {"endpoint": ["No such subscription."]}}, status=404)
        return JsonResponse({"result": "deleted"})
    form = PushSubscriptionForm(_subscription_data(request, payload))
    if not form.is_valid():
        return JsonResponse({"errors": _subscription_errors(form)}, status=400)
    subscription = push.subscribe(user=request.user, cleaned=form.cleaned_data)
    return JsonResponse({"remind_at": f"{subscription.remind_at:%H:%M}"}, status=201)


@require_POST
def api_push_test(request: HttpRequest) -> JsonResponse:
    payload = _signed_in_json(request, max_bytes=MAX_PUSH_BODY_BYTES)
    if isinstance(payload, JsonResponse):
        return payload
    mine = _own_subscriptions(request, payload).first()
    if mine is None or not push.is_set_up():
        return JsonResponse({"errors": {"endpoint": ["No such subscription."]}}, status=404)
    if not throttle.allow("push_test", str(request.user.pk)):
        return _api_error("Enough tests for now: try again in a few minutes.", status=429)
    with push.no_redirects_session() as session:
        outcome = push.send(mine, push.message(TEST_WORDS, tag="backpain-test"), session=session)
    return JsonResponse({"result": outcome}, status=200 if outcome == "sent" else 502)


def _own_subscriptions(request: HttpRequest, payload: dict):
    """The signed-in runner's subscription named by the body's endpoint (none for another's)."""
    endpoint = payload.get("endpoint")
    if not isinstance(endpoint, str):
        return PushSubscription.objects.none()
    return PushSubscription.objects.filter(user=request.user, endpoint=endpoint)


def _subscription_data(request: HttpRequest, payload: dict) -> dict:
    """Form data from a PushSubscription's JSON; the zone is the browser's, else the tz
    cookie's (UserTimezoneMiddleware). A value that is not text is left out, and so fails."""
    keys = payload.get("keys") if isinstance(payload.get("keys"), dict) else {}
    data = {
        "endpoint": payload.get("endpoint"),
        "p256dh": keys.get("p256dh"),
        "auth": keys.get("auth"),
        "remind_at": payload.get("remind_at"),
        "time_zone": payload.get("time_zone") or request.COOKIES.get("tz"),
    }
    return {name: value for name, value in data.items() if isinstance(value, str)}


def _subscription_errors(form: PushSubscriptionForm) -> dict:
    """The form's errors under the JSON's own names (keys.p256dh, keys.auth)."""
    return {
        f"keys.{name}" if name in ("p256dh", "auth") else name: messages
        for name, messages in form.errors.items()
    }


def _signed_in_json(request: HttpRequest, *, max_bytes: int) -> dict | JsonResponse:
    """The JSON object a signed-in runner sent, or the answer that refuses the request."""
    if not request.user.is_authenticated:
        return _api_error("Sign in first.", status=401)
    return _json_object(request, max_bytes=max_bytes)
