"""The Django admin, behind the same login as the rest of the site: its own
password-only login form is not offered, and it admits a staff member only
in a session that passed the second factor when one is required
(GB/T 22239-2019 8.1.4.1 d; django-otp's OTPAdminSite does the same with a
form of its own)."""

# Imported while the app registry loads (INSTALLED_APPS names the config
# below): model-bound modules are imported where they are used.
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse


class CasehubAdminSite(AdminSite):
    def has_permission(self, request):
        from agencies import second_factor

        return super().has_permission(request) and second_factor.session_counts(request.session)

    def login(self, request, extra_context=None):
        from django.contrib.auth.views import redirect_to_login

        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=reverse("login"))


class CasehubAdminConfig(AdminConfig):
    default_site = "casehub.admin_site.CasehubAdminSite"
