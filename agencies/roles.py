"""The roles a member holds in an agency.

One membership row is one role; a person who is both officer and liaison in
an agency has two rows. Platform administration is not an agency role: it is
Django's ``is_superuser``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")
    REVIEWER = "reviewer", _("Reviewer")  # approves decisions
    HEAD = "head", _("Agency head")  # approves transfers and extensions
    LIAISON = "liaison", _("Liaison officer")  # routes incoming and outgoing transfers
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")  # manages the agency's members
    SUPERVISOR = "supervisor", _("Supervisor")  # procuratorate oversight
    AUDITOR = "auditor", _("Auditor")  # reads the audit log


# Roles that only make sense in a procuratorate.
PROCURATORATE_ONLY_ROLES = frozenset({Role.SUPERVISOR})
