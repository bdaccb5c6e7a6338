"""`flask roles sync` and `flask demo seed` are idempotent and restore the catalog."""

from app.extensions import db
from app.models.org import Division
from app.models.user import BureauUser


def snapshot(app):
    sm = app.appbuilder.sm
    roles = {
        role.name: sorted(str(pv) for pv in role.permissions)
        for role in db.session.query(sm.role_model)
    }
    users = sorted(
        (u.username, u.password, u.division_id, tuple(sorted(r.name for r in u.roles)))
        for u in db.session.query(BureauUser)
    )
    units = sorted((d.code, d.name, d.kind) for d in db.session.query(Division))
    return roles, users, units


def test_seed_twice_changes_nothing(app, runner):
    before = snapshot(app)
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "0 units and 0 users created" in result.output
    assert snapshot(app) == before


def test_seed_if_empty_skips_a_populated_database(runner):
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0
    assert "skipped" in result.output


def test_roles_sync_twice_changes_nothing(app, runner):
    before = snapshot(app)
    result = runner.invoke(args=["roles", "sync"])
    assert result.exit_code == 0, result.output
    assert all(line.endswith("+0 -0") for line in result.output.strip().splitlines())
    assert snapshot(app) == before


def test_roles_sync_restores_a_role_the_admin_changed(app, runner):
    sm = app.appbuilder.sm
    staff = sm.find_role("Staff")
    original = sorted(str(pv) for pv in staff.permissions)
    admin_only = sm.find_permission_view_menu("can_write", "Division")
    staff.permissions = [admin_only]
    db.session.commit()

    result = runner.invoke(args=["roles", "sync"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert sorted(str(pv) for pv in sm.find_role("Staff").permissions) == original


def test_roles_sync_leaves_custom_roles_alone(app, runner):
    sm = app.appbuilder.sm
    custom = sm.add_role("Archivist")
    custom.permissions = [sm.find_permission_view_menu("can_read", "Division")]
    db.session.commit()
    runner.invoke(args=["roles", "sync"])
    db.session.expire_all()
    assert [str(pv) for pv in sm.find_role("Archivist").permissions] == ["can read on Division"]
