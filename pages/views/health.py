"""/healthz: one word, nothing private, no session."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pages import health


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    if health.ready():
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("unavailable", status=503, content_type="text/plain")
