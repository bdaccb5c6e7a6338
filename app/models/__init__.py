"""Domain models. Importing this package registers every table on FAB's metadata."""

from app.models.attachment import Attachment  # noqa: F401
from app.models.audit import AuditAnchor, AuditCheckpoint, AuditEvent  # noqa: F401
from app.models.calendar import CalendarDay, CalendarSource, CalendarYear, DayKind  # noqa: F401
from app.models.cases import (  # noqa: F401
    Case,
    CaseMaterial,
    CaseReader,
    CaseStatus,
    Decision,
    Extension,
    Flag,
    Minutes,
    NumberSequence,
    Opinion,
    Permit,
    PermitStatus,
    Suspension,
    SuspensionKind,
    Task,
    TaskStatus,
)
from app.models.catalog import (  # noqa: F401
    DisclosureCategory,
    DisclosureItem,
    Matter,
    MatterCategory,
    RequiredDocument,
)
from app.models.notification import Channel, DeliveryStatus, Notification  # noqa: F401
from app.models.org import Division, DivisionKind, leader_oversight  # noqa: F401
from app.models.rating import CaseRating, SatisfactionLevel  # noqa: F401
from app.models.supervision import (  # noqa: F401
    Card,
    ExtensionRequest,
    SupervisionNotice,
    SupervisionRecipient,
)
from app.models.user import BureauUser  # noqa: F401
from app.models.workflow import (  # noqa: F401
    StageMode,
    StepKind,
    WorkflowStage,
    WorkflowStep,
    WorkflowTemplate,
)
