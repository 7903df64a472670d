"""Looking back: the trends chart, the clinician report and its share links."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pages import chart, diary, sharing, trends
from pages.accounts import site_url
from pages.forms import ReportPeriodForm
from pages.page_cache import per_diary

DEFAULT_WEEKS = 12


@login_required
@require_GET
@per_diary
def trends_page(request: HttpRequest) -> HttpResponse:
    weeks = _weeks(request.GET.get("weeks"))
    problem = None if weeks else "Choose a period of 4, 12, 26 or 52 weeks."
    weeks = weeks or DEFAULT_WEEKS
    first, last = trends.period(weeks=weeks, ending=timezone.localdate())
    found = diary.trend(request.user, first=first, last=last)
    context = {
        "weeks": weeks,
        "periods": trends.PERIOD_WEEKS,
        "trend": found,
        "chart": chart.layout(found, unit=request.user.unit),
        "problem": problem,
    }
    return render(request, "pages/trends.html", context, status=400 if problem else 200)


def _weeks(value: str | None) -> int | None:
    if value is None:
        return DEFAULT_WEEKS
    return int(value) if value in {str(n) for n in trends.PERIOD_WEEKS} else None


@login_required
@require_GET
@per_diary
def report_page(request: HttpRequest) -> HttpResponse:
    default = trends.period(weeks=DEFAULT_WEEKS, ending=timezone.localdate())
    first_day = diary.first_day(request.user)
    data = {"from": default[0].isoformat(), "to": default[1].isoformat()} | request.GET.dict()
    form = ReportPeriodForm(data, first_day=first_day, default=default)
    if not form.is_valid():
        return render(request, "pages/report.html", {"form": form}, status=400)
    first, last = form.cleaned_data["from"], form.cleaned_data["to"]
    notes = set(request.GET.getlist("note"))
    context = _report_context(request.user, first=first, last=last, notes=notes) | {
        "form": form,
        "starts_later": "from" in request.GET and first > form.cleaned_data["asked_from"],
        "first_day": first_day,
        "share_days": sharing.VALID_DAYS,
        "share_links": sharing.active(request.user),
    }
    return render(request, "pages/report.html", context)


def _report_context(user, *, first, last, notes) -> dict:
    found = diary.report(user, first=first, last=last, include=notes)
    chart_layout = chart.layout(found.trend, unit=user.unit)
    return {"report": found, "trend": found.trend, "chart": chart_layout, "unit": user.unit}


@login_required
@require_POST
def share_create(request: HttpRequest) -> HttpResponse:
    default = trends.period(weeks=DEFAULT_WEEKS, ending=timezone.localdate())
    first_day = diary.first_day(request.user)
    form = ReportPeriodForm(request.POST, first_day=first_day, default=default)
    days = request.POST.get("days", "")
    if not form.is_valid() or days not in {str(n) for n in sharing.VALID_DAYS}:
        messages.error(request, "Choose how long the link works: 7, 30 or 90 days.")
        return redirect("report")
    first, last = form.cleaned_data["from"], form.cleaned_data["to"]
    notes = request.POST.getlist("note")
    _, token = sharing.create(
        user=request.user, days=int(days), first=first, last=last, notes=notes
    )
    url = site_url(reverse("shared_report", args=[token]))
    messages.success(request, f"Your link, shown only this once: {url}")
    query = urlencode({"from": first, "to": last, "note": notes}, doseq=True)
    return redirect(f"{reverse('report')}?{query}")


@login_required
@require_POST
def share_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    if not sharing.revoke(user=request.user, link_id=link_id):
        raise Http404("No such link.")
    messages.success(request, "The link is revoked: it no longer opens.")
    return redirect("report")


@require_GET
def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    link = sharing.open_link(token)
    if link is None:
        raise Http404("No such link.")
    notes = set(link.notes)
    context = _report_context(link.user, first=link.first, last=link.last, notes=notes)
    response = render(request, "pages/shared_report.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
