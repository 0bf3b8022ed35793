from .agency import Agency, AgencyKind
from .membership import Membership
from .region import Region, RegionLevel
from .token import ApiToken
from .user import User

__all__ = ["Agency", "AgencyKind", "ApiToken", "Membership", "Region", "RegionLevel", "User"]
