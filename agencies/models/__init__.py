from .agency import Agency, AgencyKind
from .membership import Membership
from .password_history import PasswordHistory
from .region import Region, RegionLevel
from .token import ApiToken
from .user import User

__all__ = ["Agency", "AgencyKind", "ApiToken", "Membership", "PasswordHistory", "Region", "RegionLevel", "User"]
