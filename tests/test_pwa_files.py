import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import resolve

from pages.guide import GUIDE_PAGES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
STATIC_URL = "/static/"


def static_file(url: str) -> Path:
    assert url.startswith(STATIC_URL), url
    found = finders.find(url.removeprefix(STATIC_URL))
    assert found, f"{url} is not a static file"
    return Path(found)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG into rows of bytes (enough for our own icons)."""
    data = path.read_bytes()
    width, height = png_size(path)
    depth, colour_type = data[24], data[25]
    assert depth == 8 and colour_type in (2, 6)
    channels = 3 if colour_type == 2 else 4
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                up_left = previous[i - channels] if i >= channels else 0
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + nearest) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


def css_colour(name: str) -> str:
    light_theme = (ROOT / "static/css/app.css").read_text().split("@media")[0]
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", light_theme).group(1).lower()


@pytest.fixture
def manifest(client) -> dict:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def test_manifest_has_install_fields(manifest):
    assert manifest["name"] and manifest["short_name"] == "backpain"
    assert 0 < len(manifest["description"]) <= 300
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"


def test_manifest_colours_match_css(manifest, client):
    assert manifest["theme_color"] == css_colour("brand")
    assert manifest["background_color"] == css_colour("bg")
    page = client.get("/guide/").content.decode()
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}"' in page


@pytest.mark.parametrize(("size", "purpose"), [(192, "any"), (512, "any"), (512, "maskable")])
def test_manifest_png_icon_matches_its_declared_size(manifest, size, purpose):
    [icon] = [
        icon
        for icon in manifest["icons"]
        if icon["type"] == "image/png"
        and icon["sizes"] == f"{size}x{size}"
        and icon["purpose"] == purpose
    ]
    assert png_size(static_file(icon["src"])) == (size, size)


def test_apple_touch_icon_is_180_png(client):
    page = client.get("/guide/").content.decode()
    href = re.search(r'<link rel="apple-touch-icon" href="([^"]+)"', page).group(1)
    assert png_size(static_file(href)) == (180, 180)


def test_svg_icon_is_the_same_mark(client):
    page = client.get("/guide/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    svg = static_file(href).read_text()
    assert svg.startswith("<svg") and svg.count("<rect") > 5 and "<circle" in svg


def test_maskable_icon_keeps_artwork_in_safe_zone(manifest):
    [icon] = [icon for icon in manifest["icons"] if icon["purpose"] == "maskable"]
    width, channels, rows = png_pixels(static_file(icon["src"]))
    background = rows[0][:3]
    outside_safe_zone = [
        rows[y][x * channels : x * channels + 3]
        for y in range(0, width, 4)
        for x in range(0, width, 4)
        if (x - width / 2) ** 2 + (y - width / 2) ** 2 > (0.4 * width) ** 2
    ]
    assert all(pixel == background for pixel in outside_safe_zone)
    centre_column = {
        rows[y][width // 2 * channels : width // 2 * channels + 3] for y in range(width)
    }
    assert len(centre_column) > 2, "the icon is a flat square"


def test_any_icon_is_artwork_not_a_flat_square(manifest):
    [icon] = [i for i in manifest["icons"] if i["sizes"] == "192x192"]
    width, channels, rows = png_pixels(static_file(icon["src"]))
    colours = {row[x * channels : x * channels + 3] for row in rows for x in range(width)}
    assert len(colours) > 3


def test_manifest_screenshot_is_a_real_narrow_png(manifest):
    [shot] = [s for s in manifest["screenshots"] if s["form_factor"] == "narrow"]
    width, height = png_size(static_file(shot["src"]))
    assert shot["sizes"] == f"{width}x{height}"
    assert (width, height) == (390, 844)
    assert shot["label"]


def test_manifest_shortcuts_lead_to_log_and_professional_page(manifest):
    shortcuts = {shortcut["name"]: shortcut["url"] for shortcut in manifest["shortcuts"]}
    assert shortcuts == {
        "Log today": "/log/",
        "When to see a professional": "/guide/see-a-professional/",
    }
    for url in shortcuts.values():
        resolve(url)


@pytest.fixture
def service_worker(client) -> str:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    return response.content.decode()


def precache_list(source: str, name: str) -> list[str]:
    block = re.search(rf"const {name} = \[(.*?)\];", source, re.S).group(1)
    return re.findall(r'"([^"]+)"', block) + (["/offline/"] if "OFFLINE_URL" in block else [])


def test_service_worker_precaches_every_guide_page(service_worker, client):
    pages = precache_list(service_worker, "PUBLIC_PAGES")
    expected = {"/offline/", "/guide/"} | {f"/guide/{page.slug}/" for page in GUIDE_PAGES}
    assert set(pages) == expected
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_service_worker_precaches_the_static_files_pages_use(service_worker, client):
    files = precache_list(service_worker, "STATIC_FILES")
    for url in files:
        static_file(url)
    page = client.get("/guide/").content.decode()
    used = set(re.findall(r'(?:src|href)="(/static/[^"]+\.(?:css|js))"', page))
    assert used <= set(files)


def test_service_worker_cache_name_is_versioned(service_worker):
    assert re.search(r'const VERSION = "[^"]+";', service_worker)
    assert "backpain-precache-v${VERSION}" in service_worker
    assert "caches.delete" in service_worker


def test_offline_page_is_a_full_page(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No connection" in page and 'class="tabbar"' in page


SCRIPTS = sorted((ROOT / "static/js").glob("*.js"))
# Loaded only by pages the worker never keeps (settings): of no use offline.
ONLINE_ONLY_SCRIPTS = {"reminders.js"}


def test_service_worker_imports_only_the_outbox(service_worker):
    """The page scripts touch `document`, which a worker does not have."""
    imported = re.findall(r'importScripts\("([^"]+)"\)', service_worker)
    assert [static_file(url).name for url in imported] == ["outbox.js"]


def test_service_worker_keeps_every_script(service_worker):
    """Signed out pages' scripts when it installs; the rest with today's signed-in pages,
    but for those only the settings page loads."""
    kept = [
        static_file(url).name
        for name in ("STATIC_FILES", "USER_FILES")
        for url in precache_list(service_worker, name)
    ]
    assert {script.name for script in SCRIPTS} - ONLINE_ONLY_SCRIPTS <= set(kept)
    assert not ONLINE_ONLY_SCRIPTS & set(kept)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_take_the_apps_addresses_from_the_page(script):
    source = script.read_text()
    paths = ("/log/", "/diary/", "/api/", "/accounts/", "/settings/", "/guide/")
    assert not [path for path in paths if f'"{path}' in source or f"`{path}" in source]


def test_every_template_a_script_copies_is_in_the_templates():
    """A missing <template> fails quietly in the browser (the notice is never shown)."""
    scripts = "".join(script.read_text() for script in SCRIPTS)
    wanted = set(re.findall(r'"((?:notice|card|outbox)-[a-z-]+|pain-missing)"', scripts))
    wanted |= set(re.findall(r'pageData\("([a-z-]+)"\)', scripts))
    templates = "".join(path.read_text() for path in (ROOT / "templates").rglob("*.html"))
    rendered = set(re.findall(r'<template id="([^"]+)"', templates))
    rendered |= set(re.findall(r'json_script:"([^"]+)"', templates))
    assert wanted and wanted <= rendered
