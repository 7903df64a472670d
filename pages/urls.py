from django.contrib.auth import views as auth_views
from django.urls import path, register_converter
from django.views.generic import TemplateView

from pages import views
from pages.converters import IsoDateConverter
from pages.forms import ChangePasswordForm, ResetPasswordForm
from pages.page_cache import public_page

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", views.home, name="home"),
    path("log/", views.log_today, name="log"),
    path("log/same-as-yesterday/", views.same_as_yesterday, name="same_as_yesterday"),
    path("diary/", views.history, name="history"),
    path("diary/<isodate:day>/", views.diary_day, name="diary_day"),
    path("diary/<isodate:day>/did-instead/", views.did_instead, name="did_instead"),
    path("diary/<isodate:day>/runs/<int:run_id>/", views.choose_run, name="choose_run"),
    path("import/", views.import_runs, name="import_runs"),
    path("import/continue/", views.import_continue, name="import_continue"),
    path("import/share/", views.import_share, name="import_share"),
    path("trends/", views.trends_page, name="trends"),
    path("report/", views.report_page, name="report"),
    path("report/share/", views.share_create, name="share_create"),
    path("report/share/<int:link_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("share/<str:token>/", views.shared_report, name="shared_report"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/shoes/", views.shoe_save, name="shoe_add"),
    path("settings/shoes/default/", views.default_shoe, name="default_shoe"),
    path("settings/export/<str:kind>", views.export_download, name="export"),
    path("settings/import/", views.import_upload, name="import"),
    path("settings/delete/", views.delete_account, name="delete_account"),
    path("settings/reminders/pause/", views.pause_reminders, name="pause_reminders"),
    path("settings/shoes/<int:shoe_id>/", views.shoe_save, name="shoe_edit"),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/signup/done/",
        TemplateView.as_view(template_name="registration/signup_done.html"),
        name="signup_done",
    ),
    path("accounts/signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetPasswordForm),
        name="password_reset",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("api/entries/", views.api_entries, name="api_entries"),
    path("api/imports/", views.api_imports, name="api_imports"),
    path("api/push/key/", views.api_push_key, name="api_push_key"),
    path("api/push/subscriptions/", views.api_push_subscriptions, name="api_push_subscriptions"),
    path("api/push/test/", views.api_push_test, name="api_push_test"),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<slug:slug>/", views.guide_page, name="guide_page"),
    path(
        "offline/", public_page(TemplateView.as_view(template_name="offline.html")), name="offline"
    ),
    path("sw.js", views.service_worker, name="service_worker"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "manifest.webmanifest",
        TemplateView.as_view(
            template_name="manifest.webmanifest", content_type="application/manifest+json"
        ),
        name="manifest",
    ),
]
