from django.contrib.auth import views as auth_views
from django.urls import path

from . import enrolment, login, password

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("login/code/", login.code_step, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", password.change_password, name="password-change"),
    path("two-factor/", enrolment.enrol, name="otp-enrol"),
    path("two-factor/qr.svg", enrolment.enrol_qr, name="otp-qr"),
    path("two-factor/recovery-codes/", enrolment.regenerate_recovery_codes, name="otp-recovery-codes"),
    # /accounts/security/ is the security tab of my account (casehub/web/account_security.py).
]
