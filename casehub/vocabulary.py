"""Controlled vocabularies of the case record (see ../shared/domain.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IpType(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN_PATENT = "design_patent", _("Design patent")
    TRADEMARK = "trademark", _("Trademark")
    WELL_KNOWN_MARK = "well_known_mark", _("Well-known trademark")
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")
    COPYRIGHT = "copyright", _("Copyright")
    TRADE_SECRET = "trade_secret", _("Trade secret")
    PLANT_VARIETY = "plant_variety", _("Plant variety")
    IC_LAYOUT = "ic_layout", _("Integrated-circuit layout design")


class CaseKind(models.TextChoices):
    ADMINISTRATIVE_PENALTY = "administrative_penalty", _("Administrative penalty")
    PATENT_ADJUDICATION = "patent_adjudication", _("Administrative adjudication of a patent dispute")
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")
    MEDIATION = "mediation", _("Mediation")


class CaseSource(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint or report")
    INSPECTION = "inspection", _("Inspection")
    ONLINE_MONITORING = "online_monitoring", _("Online monitoring")
    CUSTOMS_DETENTION = "customs_detention", _("Customs detention")
    AGENCY_REFERRAL = "agency_referral", _("Referral from another agency")
    JUDICIAL_REFERRAL = "judicial_referral", _("Referral from a court or procuratorate")
    CROSS_REGION = "cross_region", _("Cross-region referral")


class Campaign(models.TextChoices):
    TIEQUAN = "铁拳", _("Iron Fist (market supervision)")
    JIANWANG = "剑网", _("Sword Net (online piracy)")
    LONGTENG = "龙腾", _("Soaring Dragon (customs)")
    LANTIAN = "蓝天", _("Blue Sky (patent agencies)")
    KUNLUN = "昆仑", _("Kunlun (police)")


class PartyRole(models.TextChoices):
    RESPONDENT = "respondent", _("Party under investigation")
    RIGHT_HOLDER = "right_holder", _("Right holder")
    COMPLAINANT = "complainant", _("Complainant")
    INFORMANT = "informant", _("Informant")


class PartyKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise or organisation")
    INDIVIDUAL = "individual", _("Individual")


class ClockStopReason(models.TextChoices):
    # 《市场监督管理行政处罚程序规定》: periods that do not count.
    TESTING = "testing", _("Testing")
    INSPECTION = "inspection", pgettext_lazy("clock stop reason", "Inspection")  # 检验, not 检查
    QUARANTINE = "quarantine", _("Quarantine")
    APPRAISAL = "appraisal", _("Appraisal")
    RIGHT_HOLDER_IDENTIFICATION = "right_holder_identification", _("Identification by the right holder")
    SUSPENSION = "suspension", _("Suspension")
    HEARING = "hearing", _("Hearing")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
