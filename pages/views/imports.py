"""Bringing runs in: the import page, its progress, the share sheet's way in, the runner's
choice between a typed run and a file's, and the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pages import entries, imports
from pages.forms import RunFilesForm
from pages.models import Activity

RECENT_JOBS = 5


@login_required
@require_http_methods(["GET", "POST"])
def import_runs(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = RunFilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if user.imports_on_default_shoe != form.cleaned_data["on_default_shoe"]:
            user.imports_on_default_shoe = form.cleaned_data["on_default_shoe"]
            user.save(update_fields=["imports_on_default_shoe"])
        zone = timezone.get_current_timezone_name()
        for upload in form.cleaned_data["file"]:
            imports.step(imports.start(user=user, upload=upload, time_zone=zone))
        return redirect("import_runs")
    status = 400 if form.errors else 200
    return render(request, "pages/import.html", _context(request, form), status=status)


def _context(request: HttpRequest, form: RunFilesForm) -> dict:
    return {
        "form": form,
        "jobs": list(request.user.import_jobs.all()[:RECENT_JOBS]),
        "default_shoe": request.user.default_shoe,
    }


@login_required
@require_POST
def import_continue(request: HttpRequest) -> HttpResponse:
    """Read on: each request reads the unfinished uploads for a moment (htmx asks again
    until they are done; without JavaScript, a button does)."""
    for job in imports.unfinished(request.user):
        imports.step(job)
    if not request.htmx:
        return redirect("import_runs")
    context = _context(request, RunFilesForm())
    return render(request, "pages/import.html#jobs", context)


@csrf_exempt  # the share sheet sends no token; this saves nothing and only redirects
@require_http_methods(["GET", "POST"])
def import_share(request: HttpRequest) -> HttpResponse:
    """The manifest's share target. The service worker catches the shared files and hands
    them to the import page; this answers only when it could not (not installed yet)."""
    messages.info(request, "Choose the file again here: sharing works once backpain is installed.")
    return redirect("import_runs")


@login_required
@require_POST
def choose_run(request: HttpRequest, day, run_id: int) -> HttpResponse:
    choice = request.POST.get("choice")
    run = get_object_or_404(
        Activity, pk=run_id, user=request.user, entry__date=day, status=Activity.Status.TO_CHOOSE
    )
    if choice not in CHOICES:
        messages.error(request, "Choose one of the three.")
    else:
        entries.choose_run(user=request.user, activity_id=run.pk, choice=choice)
        messages.success(request, CHOICES[choice])
    return redirect("diary_day", day=day)


CHOICES = {
    "file": "Saved with the watch's numbers.",
    "both": "Saved as two runs.",
    "mine": "Kept the run you typed.",
}


@require_POST
def api_imports(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"errors": {"__all__": ["Sign in first."]}}, status=401)
    form = RunFilesForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    zone = timezone.get_current_timezone_name()
    jobs = [
        imports.run_all(user=request.user, upload=upload, time_zone=zone)
        for upload in form.cleaned_data["file"]
    ]
    added = [item for job in jobs for item in job.added]
    skipped = [item for job in jobs for item in job.skipped]
    if all(job.finished for job in jobs) and not added and all("date" not in i for i in skipped):
        return JsonResponse({"errors": {"file": [item["reason"] for item in skipped]}}, status=400)
    body = {"added": added, "skipped": skipped}
    if unread := [imports.progress(job) for job in jobs if not job.finished]:
        body["unfinished"] = unread  # the import page reads the rest
    return JsonResponse(body, status=201)
