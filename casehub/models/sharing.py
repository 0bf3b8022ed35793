"""Guardian's direct-foreign-key group permission table for cases.

Every agency that may see a case holds a grant here: the owning agency, an
agency a case was shared with or transferred to, the supervising
procuratorate. "Which cases may this user see" is then one indexed EXISTS
against the user's agency groups — far faster at 100k cases than guardian's
generic (content type + text object id) tables.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("casehub.Case", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        indexes = [
            # The visibility probe: for this case, does one of these groups hold view?
            models.Index(fields=["content_object", "group", "permission"], name="case_grant_probe"),
        ]
