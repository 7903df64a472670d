"""The guide pages and the service worker that keeps them offline."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from pages import guide
from pages.page_cache import public_page

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
