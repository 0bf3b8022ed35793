"""factory_boy factories shared by every test module."""

import factory
from factory.django import DjangoModelFactory

from agencies.models import Agency, AgencyKind, ApiToken, Membership, Region, RegionLevel, User
from agencies.roles import Role

TEST_PASSWORD = "correct-horse-battery-9"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{430100 + n:06d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = RegionLevel.CITY


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"T{n:04d}-SCJG")
    name = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    short_name = factory.Sequence(lambda n: f"测监{n}")
    kind = AgencyKind.MARKET_SUPERVISION
    region = factory.SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    full_name = factory.Sequence(lambda n: f"办案人员{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.OFFICER


def member(agency, role=Role.OFFICER, **user_fields):
    """A user holding one role in one agency."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def service_account(agency, role=Role.OFFICER, username=None):
    user = User.objects.create(username=username or f"svc-{agency.code.lower()}", service_agency=agency)
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def token_for(user, name="test"):
    _, key = ApiToken.issue(user=user, name=name)
    return key


# --- cases -------------------------------------------------------------------
VALID_CREDIT_CODE = "91350100M000100Y43"
VALID_ID_NUMBER = "11010519491231002X"


class Office:
    """An agency with one member per role: the cast of most case tests."""

    def __init__(self, code="420500-SCJG", kind=AgencyKind.MARKET_SUPERVISION, short_name="宜市监", region=None):
        region = region or RegionFactory(code="420500", name="宜昌市")
        self.agency = AgencyFactory(code=code, kind=kind, short_name=short_name, region=region)
        slug = code.lower().replace("-", "")
        self.officer = member(self.agency, Role.OFFICER, username=f"{slug}-officer")
        self.officer2 = member(self.agency, Role.OFFICER, username=f"{slug}-officer2")
        self.reviewer = member(self.agency, Role.REVIEWER, username=f"{slug}-reviewer")
        self.head = member(self.agency, Role.HEAD, username=f"{slug}-head")
        self.region = region


def jingzhou_office() -> Office:
    """The market regulator of another city (荆州): an outsider to the default Office's cases."""
    return Office(code="421000-SCJG", short_name="荆市监", region=RegionFactory(code="421000", name="荆州市"))


def make_case(office: Office, **overrides):
    from casehub.services.cases import create_case

    data = {
        "title": "某商贸公司销售假冒注册商标商品案",
        "ip_type": "trademark",
        "kind": "administrative_penalty",
        "source": "complaint",
        "region": office.region,
        "facts": "经查，当事人销售假冒“稻花香”注册商标的白酒120箱。",
        "amount_involved": "86000.00",
        "lead_officer": office.officer,
    }
    data.update(overrides)
    handlers = data.pop("handlers", [office.officer2])
    return create_case(actor=office.officer, agency=office.agency, data=data, handlers=handlers)
