"""FAB's user, extended with the bureau's organisation and contact preferences."""

from flask_appbuilder.security.sqla.models import User as FabUser
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from app.models.org import Division, leader_oversight


class BureauUser(FabUser):
    """A console user. Leaders oversee (分管) divisions; the director oversees all."""

    __tablename__ = "ab_user"

    division_id = Column(Integer, ForeignKey("division.id", ondelete="SET NULL"))
    division = relationship(Division, foreign_keys=[division_id])
    phone = Column(String(32))
    position = Column(String(64))
    oversees_all = Column(Boolean, nullable=False, default=False)
    overseen_divisions = relationship(Division, secondary=leader_oversight, order_by=Division.code)
    notify_email = Column(Boolean, nullable=False, default=True)
    notify_sms = Column(Boolean, nullable=False, default=True)

    @property
    def display_name(self):
        """Chinese order: family name first, no space."""
        return f"{self.last_name}{self.first_name}"

    @property
    def role_names(self):
        return {role.name for role in self.roles}

    def __repr__(self):
        return self.display_name
