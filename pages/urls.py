from django.urls import path, register_converter

from pages import views
from pages.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", views.home, name="home"),
    path("log/", views.log_today, name="log"),
    path("log/same-as-yesterday/", views.same_as_yesterday, name="same_as_yesterday"),
    path("diary/", views.history, name="history"),
    path("diary/<isodate:day>/", views.diary_day, name="diary_day"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/shoes/", views.shoe_save, name="shoe_add"),
    path("settings/shoes/<int:shoe_id>/", views.shoe_save, name="shoe_edit"),
    path("accounts/signup/", views.signup, name="signup"),
    path("api/entries/", views.api_entries, name="api_entries"),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<slug:slug>/", views.guide_page, name="guide_page"),
]
