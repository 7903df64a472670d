"""The JSON API the phone's outbox syncs through (PRODUCT.md's API contract)."""

from datetime import date

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from pages import entries
from pages.models import Entry


@require_http_methods(["GET", "POST"])
def api_entries(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _api_error("Sign in first.", status=401)
    if request.method == "GET":
        return _api_list(request)
    if request.content_type != "application/json":
        return _api_error("Send the entry as application/json.", status=415)
    try:
        payload = entries.read_json(request.body)
    except ValueError:
        return _api_error("The body is not valid JSON.", status=400)
    if not isinstance(payload, dict):
        return _api_error("Send a JSON object.", status=400)
    form, errors = entries.form_from_json(user=request.user, payload=payload)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    outcome = entries.save_entry(user=request.user, form=form)
    body = {"result": outcome.result, "entry": entries.entry_json(outcome.entry)}
    return JsonResponse(body, status=API_STATUS[outcome.result])


API_STATUS = {"created": 201, "updated": 200, "unchanged": 200, "conflict": 409}


def _api_error(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": [message]}}, status=status)


def _api_list(request: HttpRequest) -> JsonResponse:
    days = entries.with_runs(Entry.objects.filter(user=request.user).order_by("date"))
    if since := request.GET.get("since"):
        try:
            days = days.filter(date__gte=date.fromisoformat(since))
        except ValueError:
            return JsonResponse({"errors": {"since": ["Use YYYY-MM-DD."]}}, status=400)
    return JsonResponse({"entries": [entries.entry_json(entry) for entry in days]})
