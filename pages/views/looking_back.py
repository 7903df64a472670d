"""Looking back: the trends chart and the clinician report."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pages import chart, diary, trends
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
    found = diary.report(
        request.user, first=first, last=last, include=set(request.GET.getlist("note"))
    )
    context = {
        "form": form,
        "report": found,
        "trend": found.trend,
        "chart": chart.layout(found.trend, unit=request.user.unit),
        "starts_later": "from" in request.GET and first > form.cleaned_data["asked_from"],
        "first_day": first_day,
    }
    return render(request, "pages/report.html", context)
