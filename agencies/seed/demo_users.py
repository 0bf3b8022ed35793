"""Demo logins for `make run`: one person per role that a walk through the
platform needs. All share DEMO_PASSWORD (documented in the README)."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from ..models import Agency, Membership, User
from ..roles import Role

DEMO_PASSWORD = "casehub-demo-2026"

# username, full name, [(agency code, role)]
DEMO_USERS = [
    ("wangfang", "王芳", [("420500-SCJG", Role.OFFICER)]),
    ("liqiang", "李强", [("420500-SCJG", Role.OFFICER)]),
    ("zhaomin", "赵敏", [("420500-SCJG", Role.REVIEWER)]),
    ("chenjun", "陈军", [("420500-SCJG", Role.HEAD)]),
    ("wuting", "吴婷", [("420500-SCJG", Role.AGENCY_ADMIN), ("420500-SCJG", Role.LIAISON)]),
    ("qianjin", "钱进", [("420500-SCJG", Role.AUDITOR)]),
    ("liuyang", "刘洋", [("420500-GA", Role.LIAISON)]),
    ("zhouli", "周丽", [("420500-GA", Role.OFFICER)]),
    ("gaofeng", "高峰", [("420500-GA", Role.HEAD)]),
    ("sunhao", "孙浩", [("420500-JCY", Role.SUPERVISOR)]),
    ("huanglei", "黄磊", [("421000-SCJG", Role.OFFICER)]),
    ("majing", "马静", [("420502-SCJG", Role.OFFICER)]),
]


@transaction.atomic
def seed_demo_users() -> dict[str, int]:
    validate_password(DEMO_PASSWORD)
    agencies = {a.code: a for a in Agency.objects.filter(code__in={c for _, _, ms in DEMO_USERS for c, _ in ms})}
    created = memberships = 0
    admin, made = User.objects.get_or_create(
        username="admin", defaults={"full_name": "平台管理员", "is_staff": True, "is_superuser": True}
    )
    if made:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        created += 1
    for username, full_name, roles in DEMO_USERS:
        user, made = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if made:
            # Only on creation: reseeding must not undo a password change.
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        for code, role in roles:
            if code not in agencies:
                raise LookupError(f"agency {code} is missing: run seed_agencies first")
            _, made = Membership.objects.get_or_create(
                user=user, agency=agencies[code], role=role, ended_at=None
            )
            memberships += made
    return {"users_created": created, "memberships_created": memberships}
