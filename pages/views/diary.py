"""The diary's pages: today, a day, one-tap saves, and the history list."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from pages import diary, entries
from pages.choices import Alternative
from pages.forms import (
    DidInsteadForm,
    EntryForm,
)
from pages.models import Entry
from pages.page_cache import per_diary, public_page


@require_GET
@per_diary
@public_page
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "pages/intro.html")
    today = timezone.localdate()
    card = diary.day_card(request.user, today, recent=7)
    shown = card.entry or any(entry for _, entry in card.recent)
    context = {
        "today": today,
        "card": card,
        "recent": card.recent,
        "has_logged": bool(shown) or request.user.entries.exists(),
        "saved": request.GET.get("saved") == "1",
    }
    return render(request, "pages/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@per_diary
def log_today(request: HttpRequest) -> HttpResponse:
    return _day(request, timezone.localdate())


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@per_diary
def diary_day(request: HttpRequest, day: date) -> HttpResponse:
    return _day(request, day)


def _day(request: HttpRequest, day: date) -> HttpResponse:
    if request.method == "GET":
        return _day_page(request, day, saved=request.GET.get("saved") == "1")
    form = EntryForm(_with_date(request.POST, day), user=request.user)
    if not form.is_valid():
        return _day_page(request, day, form=form, status=400)
    outcome = entries.save_entry(user=request.user, form=form)
    if outcome.result == "conflict":
        form.add_error(None, "This day was changed on another device since you opened it.")
        return _day_page(request, day, form=form, conflict=outcome.entry, status=409)
    if not request.htmx:
        return redirect(_day_url(day) + "?saved=1")
    return _day_page(request, day, saved=True)


def _day_page(request, day, *, form=None, conflict=None, saved=False, status=200, **more):
    """The day's page, or for htmx the part it asked for: the card alone (the home page's
    one-tap buttons) or the card with the form. `more` holds what the card says after a
    one-tap button (saved_note, problem) and the address of the page it is on (page_path)."""
    card = diary.day_card(request.user, day)
    if form is None:
        entry = card.entry or Entry(date=day)
        initial = EntryForm.initial_from(entry, request.user.unit)
        form = EntryForm(initial=initial, user=request.user)
    context = {
        "day": day,
        "form": form,
        "card": card,
        "conflict": conflict,
        "saved": saved,
        "is_today": day == timezone.localdate(),
        "page_path": request.path,
        **more,
    }
    template = "pages/day.html"
    if request.htmx:
        template += "#card" if request.htmx.target == "day-card" else "#daybody"
    return render(request, template, context, status=status)


def _with_date(post, day: date) -> dict:
    data = post.copy()
    data["date"] = day.isoformat()
    return data


def _day_url(day: date) -> str:
    if day == timezone.localdate():
        return reverse("log")
    return reverse("diary_day", args=[day])


@login_required
@require_POST
def same_as_yesterday(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    outcome = entries.copy_yesterday(
        user=request.user,
        today=today,
        with_run=request.POST.get("ran_same") == "1",
        entry_id=request.POST.get("uuid"),
    )
    if outcome is None:
        return redirect("log")
    return redirect(_own_path(request, default=_day_url(today)) + "?saved=1")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def did_instead(request: HttpRequest, day: date) -> HttpResponse:
    get_object_or_404(Entry, user=request.user, date=day)
    form = DidInsteadForm(request.POST)
    page_path = _own_path(request, default=_day_url(day))
    note, problem = "", "Minutes must be a whole number from 1 to 1440."
    if form.is_valid():
        entries.set_alternative(user=request.user, day=day, **form.cleaned_data)
        label = Alternative(form.cleaned_data["activity"]).label.lower()
        note, problem = f"Saved: {form.cleaned_data['minutes']} min of {label}.", ""
    if request.htmx:
        return _day_page(
            request, day, saved=not problem, status=400 if problem else 200,
            saved_note=note, problem=problem, page_path=page_path,
        )  # fmt: skip
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, note)
    return redirect(page_path)


def _own_path(request: HttpRequest, *, default: str) -> str:
    """The page a one-tap form came from (its `next`), to go back to it after the save."""
    next_url = request.POST.get("next", "")
    is_own_path = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    )
    return next_url if is_own_path else default


@login_required
@require_GET
@per_diary
def history(request: HttpRequest) -> HttpResponse:
    try:
        before = date.fromisoformat(request.GET["before"]) if "before" in request.GET else None
    except ValueError:
        before = None
    today = timezone.localdate()
    weeks, next_before = diary.history_page(request.user, before=before, today=today)
    context = {"weeks": weeks, "next_before": next_before, "today": today}
    return render(request, "pages/history.html", context)
