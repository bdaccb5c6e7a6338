"""`flask demo seed`: creates what is missing of the demo organisation, changes nothing else."""

from flask import current_app
from werkzeug.security import generate_password_hash

from app.demo.organisation import UNITS, demo_users
from app.extensions import db
from app.models.org import Division
from app.models.user import BureauUser


def seed_organisation(password):
    """Returns the number of units and users created (0, 0 on a second run)."""
    divisions = _seed_units()
    users_created = _seed_users(divisions, password)
    db.session.commit()
    return divisions.created, users_created


class _Units(dict):
    created = 0


def _seed_units():
    units = _Units({d.code: d for d in db.session.query(Division).all()})
    for code, name, name_en, kind in UNITS:
        if code not in units:
            units[code] = Division(code=code, name=name, name_en=name_en, kind=kind.value)
            db.session.add(units[code])
            units.created += 1
    db.session.flush()
    return units


def _seed_users(divisions, password):
    sm = current_app.appbuilder.sm
    existing = {username for (username,) in db.session.query(BureauUser.username)}
    roles = {role.name: role for role in db.session.query(sm.role_model).all()}
    created = 0
    for spec in demo_users():
        if spec["username"] in existing:
            continue
        missing = [name for name in spec["roles"] if name not in roles]
        if missing:
            raise RuntimeError(
                f"role(s) {', '.join(missing)} missing: run `flask roles sync` first"
            )
        user = BureauUser(
            username=spec["username"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email=spec["email"],
            phone=spec["phone"],
            position=spec["position"],
            division=divisions[spec["division"]],
            active=True,
            # The one documented exception to the password policy: the demo password is
            # contractual (9 characters), so it is hashed here, not via sm.add_user.
            password=generate_password_hash(password),
            roles=[roles[name] for name in spec["roles"]],
        )
        if spec["oversees"] == "all":
            user.oversees_all = True
        else:
            user.overseen_divisions = [divisions[code] for code in spec["oversees"]]
        db.session.add(user)
        created += 1
    return created
