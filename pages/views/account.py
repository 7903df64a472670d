"""The runner's account: settings, shoes, their data (export, import, deletion), sign-up,
logging in and out."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pages import accounts, diary, export, push, throttle
from pages.advice import Note
from pages.forms import (
    ChoosePasswordForm,
    DefaultShoeForm,
    DeleteAccountForm,
    ImportForm,
    PauseRemindersForm,
    ShoeForm,
    SignupForm,
    UnitForm,
)
from pages.models import Shoe, User


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


def _settings_refused(request: HttpRequest, **shown) -> HttpResponse:
    """The settings page again, with the refused form (its errors beside its fields)."""
    context = _settings_context(request, UnitForm(initial={"unit": request.user.unit}))
    return render(request, "pages/settings.html", context | shown, status=400)


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
        "reminders": _reminders_context(request.user),
    }


def _reminders_context(user, pause_form=None) -> dict:
    devices = [
        {"endpoint": device.endpoint, "remind_at": f"{device.remind_at:%H:%M}"}
        for device in user.push_subscriptions.all()
    ]
    return {
        "set_up": push.is_set_up(),
        "key": settings.VAPID_PUBLIC_KEY,
        "devices": devices,
        "paused_until": user.reminders_paused_until,
        "pause_form": pause_form or PauseRemindersForm(),
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
    return _settings_refused(request, default_shoe_form=form)


@login_required
@require_POST
def pause_reminders(request: HttpRequest) -> HttpResponse:
    """Pause every device's reminders until a day (the runner is away), or resume them."""
    form = PauseRemindersForm(request.POST)
    if "resume" not in request.POST and not form.is_valid():
        return _settings_refused(
            request, reminders=_reminders_context(request.user, pause_form=form)
        )
    request.user.reminders_paused_until = (
        None if "resume" in request.POST else form.cleaned_data["until"]
    )
    request.user.save(update_fields=["reminders_paused_until"])
    return redirect(f"{reverse('settings')}#reminders-title")


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
    return _settings_refused(request, import_form=form)


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _settings_refused(request, delete_form=form)
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
