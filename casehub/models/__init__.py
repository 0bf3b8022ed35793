from .assistance import AssistanceRequest, AssistanceStatus
from .audit import AuditEntry
from .audit_checkpoint import AuditCheckpoint
from .case import Case, CaseNumberSequence
from .evidence import CustodyEvent, EvidenceFile
from .deadline import CalendarDay, CalendarYear, ClockStop, DeadlineAlert, DeadlineExtension
from .outbox import OutboxMessage
from .participant import CaseParticipant, ParticipantRole
from .party import Party
from .sharing import CaseGroupObjectPermission
from .statistics import IndicatorTarget
from .supervision import SupervisionOpinion
from .timeline import Note, TimelineEvent
from .transfer import Transfer, TransferMaterial

__all__ = [
    "AssistanceRequest", "AssistanceStatus",
    "AuditCheckpoint", "AuditEntry", "CalendarDay", "CalendarYear", "Case", "CaseGroupObjectPermission", "CaseNumberSequence",
    "ClockStop", "CustodyEvent", "DeadlineAlert", "EvidenceFile", "DeadlineExtension", "IndicatorTarget", "Note", "OutboxMessage", "CaseParticipant", "ParticipantRole", "Party", "SupervisionOpinion", "TimelineEvent", "Transfer",
    "TransferMaterial",
]
