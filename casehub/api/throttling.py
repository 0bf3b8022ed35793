"""The per-user API rate (GB/T 22239-2019 8.1.4.3: resource control): every
authenticated request counts against its user's budget, the "user" rate in
DEFAULT_THROTTLE_RATES; a service account, whose traffic is another system's
batch, counts against the "service" rate instead. Anonymous requests are the
public doors' business (disclosure/throttling.py) or a 401 anyway."""

from casehub.rate_limits import FixedWindowThrottle


class _AccountThrottle(FixedWindowThrottle):
    service_accounts: bool

    def client_key(self, request, view):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if (getattr(user, "service_agency_id", None) is not None) != self.service_accounts:
            return None
        return str(user.pk)


class UserRateThrottle(_AccountThrottle):
    scope = "user"
    service_accounts = False


class ServiceAccountRateThrottle(_AccountThrottle):
    scope = "service"
    service_accounts = True
