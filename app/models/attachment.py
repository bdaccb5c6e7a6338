"""Scanned or electronic files attached to a case (DESIGN §3 Attachment)."""

from flask_appbuilder import Model
from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship


class Attachment(Model):
    """Stored under a random name; the original name is kept for display only."""

    __tablename__ = "attachment"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case", backref="attachments")
    material_id = Column(Integer, ForeignKey("case_material.id", ondelete="SET NULL"))
    material = relationship("CaseMaterial")
    stored_name = Column(String(64), nullable=False, unique=True)
    original_name = Column(String(255), nullable=False)
    content_type = Column(String(64), nullable=False)
    size = Column(BigInteger, nullable=False)
    sha256 = Column(String(64), nullable=False)
    uploaded_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    uploaded_by = relationship("BureauUser")
    uploaded_at = Column(DateTime, nullable=False)

    def __repr__(self):
        return self.original_name
