"""FAB's user, extended with the bureau's organisation and contact preferences."""

import secrets

from flask_appbuilder.security.sqla.models import User as FabUser
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, event
from sqlalchemy.orm import relationship

from app.models.org import Division, leader_oversight


def new_session_stamp():
    return secrets.token_hex(16)


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
    locale = Column(String(8))  # language of the user's messages; None: the default (zh)
    # The "security stamp": copied into the session and every JWT at login; changing it
    # (logout, password change, deactivation) ends every session and token issued before.
    session_stamp = Column(String(32), nullable=False, default=new_session_stamp)

    def rotate_session_stamp(self):
        self.session_stamp = new_session_stamp()

    @property
    def display_name(self):
        """Chinese order: family name first, no space."""
        return f"{self.last_name}{self.first_name}"

    def get_full_name(self):
        """FAB shows this in the navbar: Chinese order, as the directory does."""
        return self.display_name

    @property
    def role_names(self):
        return {role.name for role in self.roles}

    def __repr__(self):
        return self.display_name


@event.listens_for(BureauUser.password, "set", propagate=True)
def _password_changed(user, value, oldvalue, _initiator):
    if value != oldvalue:
        user.rotate_session_stamp()


@event.listens_for(BureauUser.active, "set", propagate=True)
def _deactivated(user, value, oldvalue, _initiator):
    if not value and oldvalue is not False:
        user.rotate_session_stamp()
