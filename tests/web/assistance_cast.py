"""Who is who around assistance (协查) and joint handling (联合执法): the
market regulator of 宜昌 owning a case, the market regulator of 荆州 (another
city of 宜荆荆恩) asked for assistance, 宜昌市公安局 asked too, and the
market regulator of 荆门, which has nothing to do with any of it."""

from datetime import timedelta

from django.utils import timezone

from agencies.models import AgencyKind
from agencies.roles import Role
from casehub.services import assistance
from tests.factories import Office, RegionFactory, jingzhou_office, make_case, member


class Cast:
    def __init__(self):
        self.yichang = Office()
        self.jingzhou = jingzhou_office()
        self.police = Office(code="420500-GA", kind=AgencyKind.POLICE, short_name="宜公安",
                             region=RegionFactory(code="420500", name="宜昌市"))
        self.police_liaison = member(self.police.agency, Role.LIAISON, username="420500ga-liaison")
        self.jingmen = Office(code="420800-SCJG", short_name="门市监", region=RegionFactory(code="420800", name="荆门市"))
        self.case = make_case(self.yichang)

    def ask(self, to=None, subject="核查供货商营业执照及出货记录", days=5, case=None, actor=None):
        return assistance.ask(actor=actor or self.yichang.officer, case=case or self.case,
                              to_agency=(to or self.jingzhou).agency, subject=subject,
                              details="请协助核查荆州恒达酒业有限公司的营业执照登记信息及2026年出货记录。",
                              due_on=timezone.localdate() + timedelta(days=days))
