from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_cookie, vary_on_headers

from pages import accounts, diary, entries, export, guide, throttle
from pages.advice import Note
from pages.choices import Alternative
from pages.forms import (
    ChoosePasswordForm,
    DefaultShoeForm,
    DeleteAccountForm,
    DidInsteadForm,
    EntryForm,
    ImportForm,
    ShoeForm,
    SignupForm,
    UnitForm,
)
from pages.models import Entry, Shoe, User
from pages.page_cache import per_diary, public_page


@require_GET
@per_diary
@public_page
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "pages/intro.html")
    today = timezone.localdate()
    return render(
        request,
        "pages/home.html",
        {
            "today": today,
            "card": diary.day_card(request.user, today),
            "recent": diary.recent_days(request.user, last=today - timedelta(days=1)),
            "has_logged": request.user.entries.exists(),
            "saved": request.GET.get("saved") == "1",
        },
    )


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
        "yesterday": card.yesterday,
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


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit_form = UnitForm(request.POST or None, initial={"unit": user.unit})
    if request.method == "POST" and unit_form.is_valid():
        user.unit = unit_form.cleaned_data["unit"]
        user.save(update_fields=["unit"])
        return redirect("settings")
    return render(request, "pages/settings.html", _settings_context(request, unit_form))


@dataclass
class ShoeRow:
    shoe: Shoe
    prompt: Note | None  # its check/replace prompt
    form: ShoeForm


def _settings_context(request: HttpRequest, unit_form, shoe_form=None, editing=None) -> dict:
    unit = request.user.unit
    rows = [
        ShoeRow(
            shoe,
            diary.shoe_prompt(shoe, unit=unit),
            (editing if editing and editing.instance.pk == shoe.pk else None)
            or ShoeForm(instance=shoe, unit=unit, prefix=f"shoe{shoe.pk}"),
        )
        for shoe in diary.shoes_with_distance(request.user)
    ]
    return {
        "unit_form": unit_form,
        "shoe_rows": rows,
        "new_shoe_form": shoe_form or ShoeForm(unit=unit, prefix="new"),
        "default_shoe_form": DefaultShoeForm(user=request.user),
        "import_form": ImportForm(),
        "delete_form": DeleteAccountForm(user=request.user),
    }


@login_required
@require_POST
def shoe_save(request: HttpRequest, shoe_id: int | None = None) -> HttpResponse:
    shoe = get_object_or_404(Shoe, pk=shoe_id, user=request.user) if shoe_id else Shoe()
    prefix = f"shoe{shoe.pk}" if shoe_id else "new"
    form = ShoeForm(request.POST, instance=shoe, unit=request.user.unit, prefix=prefix)
    if form.is_valid():
        form.instance.user = request.user
        form.save()
        return redirect("settings")
    unit_form = UnitForm(initial={"unit": request.user.unit})
    context = _settings_context(
        request, unit_form, shoe_form=None if shoe_id else form, editing=form if shoe_id else None
    )
    return render(request, "pages/settings.html", context, status=400)


@login_required
@require_POST
def default_shoe(request: HttpRequest) -> HttpResponse:
    form = DefaultShoeForm(request.POST, user=request.user)
    if form.is_valid():
        request.user.default_shoe = form.cleaned_data["default_shoe"]
        request.user.save(update_fields=["default_shoe"])
        return redirect("settings")
    context = _settings_context(request, UnitForm(initial={"unit": request.user.unit}))
    return render(request, "pages/settings.html", context | {"default_shoe_form": form}, status=400)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.request_signup(
            email=form.cleaned_data["email"], client=throttle.client_ip(request)
        )
        return redirect("signup_done")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    email = accounts.email_from_link(token)
    if email is None:
        return render(request, "registration/activation_invalid.html", status=400)
    form = ChoosePasswordForm(User(email=email), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except IntegrityError:  # the same link, posted twice at once
            return render(request, "registration/activation_invalid.html", status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("log")
    return render(request, "registration/signup_confirm.html", {"form": form, "email": email})


class LoginView(auth_views.LoginView):
    """Django's login, with failed attempts from one client counted across every account;
    AxesMiddleware separately locks one account from one client after 5 failures."""

    def post(self, request, *args, **kwargs):
        if throttle.is_blocked("login_client", throttle.client_ip(request)):
            return render(request, "registration/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record("login_client", throttle.client_ip(self.request))
        return super().form_invalid(form)


@login_required
@require_GET
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    csv_exports = {"entries.csv": export.entries_csv, "shoes.csv": export.shoes_csv}
    if kind == "json":
        response = JsonResponse(export.export_json(request.user), json_dumps_params={"indent": 1})
        filename = f"backpain-{stamp}.json"
    elif kind in csv_exports:
        body = csv_exports[kind](request.user)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        filename = f"backpain-{kind.removesuffix('.csv')}-{stamp}.csv"
    else:
        raise Http404("No such export.")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added, skipped = export.import_json(request.user, form.cleaned_data["file"])
        except export.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(request, f"Imported {added} days; {skipped} already in your diary.")
            return redirect("settings")
    context = _settings_context(request, UnitForm(initial={"unit": request.user.unit}))
    return render(request, "pages/settings.html", context | {"import_form": form}, status=400)


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        context = _settings_context(request, UnitForm(initial={"unit": request.user.unit}))
        return render(request, "pages/settings.html", context | {"delete_form": form}, status=400)
    export.delete_account(request.user)
    logout(request)
    response = render(request, "registration/account_deleted.html")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("home")
    # The browser drops its HTTP cache of signed-in pages; sync.js clears the service
    # worker's page cache and the offline outbox as the logout form is sent.
    response["Clear-Site-Data"] = '"cache"'
    return response


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
    days = Entry.objects.filter(user=request.user).order_by("date")
    if since := request.GET.get("since"):
        try:
            days = days.filter(date__gte=date.fromisoformat(since))
        except ValueError:
            return JsonResponse({"errors": {"since": ["Use YYYY-MM-DD."]}}, status=400)
    return JsonResponse({"entries": [entries.entry_json(entry) for entry in days]})


# Guide pages are the same for every visitor who is signed out and change only with a
# deploy, so each process renders them once. vary_on_cookie must sit inside cache_page:
# the session middleware adds Vary: Cookie only after the cache has stored the page, and
# a signed-in runner's page would then be served to strangers.
GUIDE_CACHE_SECONDS = 60 * 60


@require_GET
@cache_page(GUIDE_CACHE_SECONDS)
@vary_on_cookie
@public_page
def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "guide/index.html", {"pages": guide.GUIDE_PAGES})


@require_GET
@cache_page(GUIDE_CACHE_SECONDS)
@vary_on_cookie
@public_page
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = guide.get_page(slug)
    if page is None:
        raise Http404("No such guide page.")
    return render(request, f"guide/{slug}.html", {"page": page, "pages": guide.GUIDE_PAGES})


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {"guide_pages": guide.GUIDE_PAGES, "content_version": guide.content_version()}
    return render(request, "sw.js", context, content_type="text/javascript")
