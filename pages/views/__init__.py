"""Views by area, each file a page or two (STYLE.md). urls.py reaches them as views.<name>."""

from pages.views.account import (
    LoginView,
    default_shoe,
    delete_account,
    export_download,
    import_upload,
    logout_view,
    pause_reminders,
    settings_view,
    shoe_save,
    signup,
    signup_confirm,
)
from pages.views.api import api_entries, api_push_key, api_push_subscriptions, api_push_test
from pages.views.diary import diary_day, did_instead, history, home, log_today, same_as_yesterday
from pages.views.guide import guide_index, guide_page, service_worker
from pages.views.health import healthz
from pages.views.imports import (
    api_imports,
    choose_run,
    import_continue,
    import_runs,
    import_share,
)
from pages.views.looking_back import (
    report_page,
    share_create,
    share_revoke,
    shared_report,
    trends_page,
)

__all__ = [
    "api_imports",
    "choose_run",
    "import_continue",
    "import_runs",
    "import_share",
    "trends_page",
    "report_page",
    "share_create",
    "share_revoke",
    "shared_report",
    "home",
    "log_today",
    "diary_day",
    "same_as_yesterday",
    "did_instead",
    "history",
    "settings_view",
    "shoe_save",
    "default_shoe",
    "export_download",
    "import_upload",
    "delete_account",
    "signup",
    "signup_confirm",
    "LoginView",
    "logout_view",
    "api_entries",
    "api_push_key",
    "api_push_subscriptions",
    "api_push_test",
    "pause_reminders",
    "guide_index",
    "guide_page",
    "service_worker",
    "healthz",
]
