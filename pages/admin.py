from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from pages.models import Entry, Shoe, User


@admin.register(User)
class BackpainUserAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "unit", "is_staff", "date_joined"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password", "unit"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]


admin.site.register(Shoe)
admin.site.register(Entry)
