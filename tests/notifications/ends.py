"""The ways a socket's session or token ends, for the socket tests on the
in-memory layer (test_socket_ends.py) and on Redis against a live server
(test_live_server.py): each is done as it happens, through the real routes
where there is one (logout, token revocation, ending a membership), else
through the models as the admin does it (deactivation, a new password), or
by waiting (idle, absolute)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client
from rest_framework.test import APIClient

from agencies.models import ApiToken
from agencies.roles import Role
from tests.factories import AgencyFactory, MembershipFactory, member, token_for

ME = "/api/v1/me/"
# Seconds: long enough for a socket to open on a busy machine, short enough to wait for.
SHORT_IDLE = 3
ORIGIN = "http://localhost"


@dataclass
class Holder:
    """A user of one agency, signed in by a browser session or by a token,
    and the administrator of their agency."""

    user: object
    admin: object
    by: str = "session"
    client: Client | None = None
    token: str | None = None
    settings: object = None
    done: dict = field(default_factory=dict)

    @classmethod
    def make(cls, by="session", username="alice"):
        agency = AgencyFactory()
        user = member(agency, username=username)
        admin = member(agency, Role.AGENCY_ADMIN, username=f"{username}-admin")
        holder = cls(user=user, admin=admin, by=by)
        if by == "session":
            holder.client = Client()
            holder.client.force_login(user)
        else:
            holder.token = token_for(user)
        return holder

    @property
    def cookie(self) -> str:
        return f"sessionid={self.client.cookies['sessionid'].value}"

    def asgi_headers(self) -> list[tuple[bytes, bytes]]:
        if self.by == "session":
            return [(b"cookie", self.cookie.encode()), (b"origin", ORIGIN.encode())]
        return [(b"authorization", f"Bearer {self.token}".encode())]

    def ws_kwargs(self) -> dict:
        if self.by == "session":
            return {"cookie": self.cookie, "origin": ORIGIN}
        return {"token": self.token}

    def request(self):
        """The user at work: a request with the credential."""
        if self.by == "session":
            return self.client.get(ME, HTTP_ACCEPT="application/json")
        return APIClient().get(ME, HTTP_AUTHORIZATION=f"Bearer {self.token}")


def log_out(holder: Holder):
    assert holder.client.post("/accounts/logout/").status_code == 302


def revoke_token(holder: Holder):
    token = ApiToken.objects.get(prefix=holder.token[:8])
    response = APIClient().delete(f"/api/v1/me/tokens/{token.pk}/", HTTP_AUTHORIZATION=f"Bearer {holder.token}")
    assert response.status_code == 204, response.content


def deactivate(holder: Holder):
    holder.user.is_active = False
    holder.user.save()


def change_password(holder: Holder):
    holder.user.set_password("a-new-password-2026")
    holder.user.save()


def end_membership(holder: Holder):
    api = APIClient()
    api.force_login(holder.admin)
    membership = holder.user.memberships.filter(ended_at__isnull=True, agency=holder.admin.memberships.get().agency).get()
    assert api.post(f"/api/v1/memberships/{membership.pk}/end/").status_code == 200


# cause -> (how the socket signs in, what ends it — None: time, the close
# code, the reason, whether the user keeps making requests meanwhile)
CAUSES = {
    "logout": ("session", log_out, 4401, "logout", False),
    "token revocation": ("token", revoke_token, 4401, "token_revoked", False),
    "idle expiry": ("session", None, 4401, "idle", False),
    # Requests all along: never idle, and it ends at its absolute lifetime all the same.
    "absolute expiry": ("session", None, 4401, "absolute", True),
    "deactivation": ("session", deactivate, 4401, "deactivated", False),
    "deactivation of a token's user": ("token", deactivate, 4401, "deactivated", False),
    "password change": ("session", change_password, 4401, "password_changed", False),
    "membership end": ("session", end_membership, 4403, "no_agency", False),
}


def short_lifetimes(settings, cause: str) -> None:
    """Idle and absolute deadlines short enough to wait for, for the causes
    that are about them (before signing in: the row's deadline is set then)."""
    if cause == "idle expiry":
        settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
    elif cause == "absolute expiry":
        settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
        settings.SESSION_ABSOLUTE_LIFETIME = 2 * SHORT_IDLE


def another_membership(holder: Holder):
    """A second agency for the user, so that ending one leaves them one."""
    MembershipFactory(user=holder.user, agency=AgencyFactory(), role=Role.OFFICER)
