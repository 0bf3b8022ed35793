"""Demo rows for the administration pages: a service account of 宜昌市
市场监督管理局 (the provincial credit platform pulling its disclosures),
created by its agency administrator wuting through the real service, so
/manage/service-accounts/ is not empty for her. `admin` (平台管理员) is the
demo's platform administrator (agencies/seed/demo_users.py). A second run
adds nothing."""

from __future__ import annotations

from agencies.api.serializers import ServiceAccountSerializer
from agencies.models import Agency, User
from agencies.roles import Role
from agencies.services import service_accounts

USERNAME = "hubei-credit-feed"


def seed_admin_demo() -> int:
    """How many rows were added (0 when already there)."""
    if User.objects.filter(username=USERNAME).exists():
        return 0
    agency = Agency.objects.filter(code="420500-SCJG").first()
    wuting = User.objects.filter(username="wuting").first()
    if agency is None or wuting is None:
        return 0
    service_accounts.create(actor=wuting, serializer=ServiceAccountSerializer(data={
        "username": USERNAME, "full_name": "湖北省社会信用信息平台（拉取行政处罚公示）", "agency": agency.pk,
        "role": Role.OFFICER}))
    return 1
