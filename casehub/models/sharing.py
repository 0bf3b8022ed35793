"""Guardian's direct-foreign-key group permission table for cases.

An agency other than the owner that may see a case holds a grant here: one
the case was shared with or transferred to, the supervising procuratorate.
(The owner sees its cases through the indexed owning_agency_id.) The table's
foreign key is real, so access checks are indexed joins — far faster at
100k cases than guardian's generic (content type + text object id) tables.
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
