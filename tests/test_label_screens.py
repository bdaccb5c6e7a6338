"""The screens of the catalog, workflows, organisation, calendar, audit trail and security read
as labels: 是/否, "—", Beijing time, translated codes, roles and permissions; enumerations
filter by a select of labels."""

import json
import re

import pytest
from flask_appbuilder.baseviews import BaseCRUDView
from sqlalchemy import event

from app import labels
from app.extensions import db
from app.models.org import Division
from app.models.workflow import WorkflowTemplate
from app.workflow.diagram import MARGIN, STAGES_PER_ROW
from tests.case_helpers import Api
from tests.factories import gd01

RAW = re.compile(r">\s*(True|False|None)\s*<")


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def rows_of(html):
    """The text of each row of a page's list table (FAB's list widget)."""
    start = html.find("</thead>")
    if start < 0:
        return []
    table = html[start : html.index("</table>", start)]
    return [re.sub(r"<[^>]+>|\s+", " ", row) for row in table.split("<tr")[1:]]


def search_fields(html):
    """{column: field HTML} of a list's search widget (FAB passes its arguments as JSON)."""
    start = html.index("new AdminFilters(")
    _labels, fields, filters, _active = (
        json.loads(line.strip().rstrip(",")) for line in html[start:].splitlines()[2:6]
    )
    return fields, filters


def statements_for(client, url):
    """SQL statements of a page, once a first request has loaded what a commit expired."""
    client.get(url)
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def gd01_template():
    return db.session.query(WorkflowTemplate).filter_by(code="GD-01", is_current=True).one()


# -- workflow templates


def test_template_page_shows_yes_and_a_dash_not_true_and_none(client, auth):
    auth.login("landuse_staff")
    html = page(client, f"/workflowtemplateview/show/{gd01_template().id}")
    assert re.search(r"当前版本</th>\s*<td>\s*<span[^>]*>是</span>", html)
    assert re.search(r"创建时间</th>\s*<td>\s*<span[^>]*>—</span>", html)
    assert not RAW.search(html)


@pytest.mark.parametrize(
    ("mode", "steps", "expected"),
    [
        ("single", 1, "单办（一个步骤）"),
        ("single", 3, "并联（多个步骤同时办理）"),
        ("countersign", 8, "会签（同时签署，全部完成）"),
        ("sequence", 5, "依次（逐一签署）"),
    ],
)
def test_a_stage_is_named_by_its_mode_and_steps(app, mode, steps, expected):
    with app.test_request_context():
        assert labels.stage_mode(mode, steps) == expected


def test_the_analysis_names_each_stage_by_how_it_runs(client, auth):
    auth.login("landuse_staff")
    html = page(client, f"/workflowtemplateview/show/{gd01_template().id}")
    analysis = html[html.index("workflow-analysis") :]
    modes = re.findall(r"<td>\d+</td><td>[^<]*</td><td>([^<]*)</td>", analysis)
    assert modes[0] == "单办（一个步骤）"  # 窗口收件
    assert modes[3] == "并联（多个步骤同时办理）"  # 权属、面积、地价
    assert modes[4] == "会签（同时签署，全部完成）"  # 网上会办
    assert len(modes) == 11


def test_the_diagram_wraps_five_stages_to_a_row(client, auth):
    auth.login("landuse_staff")
    html = page(client, f"/workflowtemplateview/show/{gd01_template().id}")
    svg = html[html.index("<svg") : html.index("</svg>")]
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width <= 1100  # fits the content box of a 1366-px laptop screen
    first_of_row_two = STAGES_PER_ROW + 1
    group = svg[svg.index(f'data-stage="{first_of_row_two}"') :]
    assert re.search(r'<rect x="(\d+)"', group).group(1) == str(MARGIN)


# -- organisation


def test_division_list_shows_kind_parent_and_active_as_labels(client, auth):
    auth.login("admin")
    html = page(client, "/divisionmodelview/list/?_flt_0_code=baoying")
    [row] = rows_of(html)
    assert "县（市）局" in row and " 是 " in row and "county" not in row
    assert not RAW.search(html)


def test_kind_is_searched_with_a_select_of_labels(client, auth):
    auth.login("admin")
    fields, filters = search_fields(page(client, "/divisionmodelview/list/"))
    assert '<option value="county">县（市）局</option>' in fields["kind"]
    assert filters["kind"] == ["等于", "不等于"]
    assert '<option value="n">否</option>' in fields["active"]


def test_kind_filter_finds_the_units_of_a_kind(client, auth):
    auth.login("admin")
    rows = rows_of(page(client, "/divisionmodelview/list/?_flt_0_kind=county"))
    assert len(rows) == 3 and all("县（市）局" in row for row in rows)


def test_active_filter_finds_inactive_units_with_no(client, auth):
    unit = db.session.query(Division).filter_by(code="survey").one()
    unit.active = False
    db.session.commit()
    auth.login("admin")
    [row] = rows_of(page(client, "/divisionmodelview/list/?_flt_0_active=n"))
    assert "测绘管理处" in row and " 否 " in row
    assert len(rows_of(page(client, "/divisionmodelview/list/?_flt_1_active=n"))) > 20


def test_a_filter_index_the_column_lacks_is_ignored(client, auth):
    auth.login("admin")
    assert client.get("/divisionmodelview/list/?_flt_7_active=y").status_code == 200


# -- calendar


def test_calendar_days_show_kind_and_source_labels(client, auth):
    auth.login("landuse_staff")
    html = page(client, "/calendar/list/?_flt_0_kind=workday")
    rows = rows_of(html)
    assert rows and all("调休上班日" in row and "官方数据" in row for row in rows)
    assert "workday" not in "".join(rows)


def test_calendar_years_show_published_as_yes(client, auth):
    auth.login("landuse_staff")
    rows = rows_of(page(client, "/calendar-years/list/?_flt_0_year=2026"))
    assert len(rows) == 1 and " 是 " in rows[0]
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} ", rows[0])  # Beijing time, to the minute


# -- audit trail


@pytest.fixture
def case_id(app):
    matter = gd01()
    response = Api(app.test_client(use_cookies=False)).receive(matter)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_trail_rows_name_the_case_and_the_clerk(client, auth, case_id):
    auth.login("inspector")
    response = client.get(f"/auditevent/history/Case/{case_id}", follow_redirects=True)
    rows = rows_of(response.get_data(as_text=True))
    assert rows and all("办件" in row and "YZGT-" in row for row in rows)
    assert any("陈晓燕" in row for row in rows)  # window1 by name
    assert all(re.search(r" \d{4}-\d{2}-\d{2} \d{2}:\d{2} ", row) for row in rows)
    assert not re.search(r"\d{2}:\d{2}:\d{2}", "".join(rows))  # to the minute


def test_trail_detail_labels_fields_and_values(client, auth, case_id):
    auth.login("inspector")
    response = client.get(
        f"/auditevent/list/?_flt_0_target_type=Case&_flt_3_target_id={case_id}&_flt_0_action=update"
    )
    show = re.search(r'href="(/auditevent/show/\d+)', response.get_data(as_text=True)).group(1)
    table = page(client, show)
    table = table[table.index("audit-diff") :]
    assert '<th title="current_stage">当前环节</th>' in table
    assert "current_stage</th>" not in table


def test_trail_filters_by_time_in_beijing_time(client, auth):
    auth.login("inspector")
    everything = page(client, "/auditevent/list/?_flt_0_created_at=2000-01-01 00:00")
    nothing = page(client, "/auditevent/list/?_flt_1_created_at=2000-01-01 00:00")
    assert "/auditevent/show/" in everything and "/auditevent/show/" not in nothing


def test_trail_list_names_objects_with_one_query_per_kind(app, client, auth, case_id):
    """Guards the set-based naming: two cases' events cost what one case's cost."""
    auth.login("inspector")
    one_case = statements_for(client, "/auditevent/list/")
    Api(app.test_client(use_cookies=False)).receive(gd01("TGD-02"))
    assert statements_for(client, "/auditevent/list/") <= one_case


# -- security screens


def test_users_list_shows_roles_by_name_and_active_as_yes(client, auth):
    auth.login("admin")
    [row] = rows_of(page(client, "/users/list/?_flt_0_username=window1"))
    assert "服务窗口" in row and " 是 " in row and "行政服务窗口" in row
    assert "Window" not in row and "True" not in row


def test_user_form_and_search_offer_roles_by_name(client, auth):
    auth.login("admin")
    form = page(client, "/users/add")
    assert ">服务窗口</option>" in form and ">Window</option>" not in form
    fields, _filters = search_fields(page(client, "/users/list/"))
    assert "服务窗口</option>" in fields["roles"] and "Window</option>" not in fields["roles"]


def test_role_pages_show_role_and_permission_labels(app, client, auth):
    auth.login("admin")
    html = page(client, "/roles/list/")
    assert "服务窗口" in html and ">Window<" not in html
    window = app.appbuilder.sm.find_role("Window")
    show = page(client, f"/roles/show/{window.id}")
    assert "查看 · 办件" in show
    assert "can read on" not in show and "can_read" not in show


def test_permission_screens_name_resources_in_words(client, auth):
    auth.login("admin")
    html = page(client, "/permissionviews/list/?psize_SunshinePermissionViewModelView=100")
    assert "工作日历" in html
    assert ">CalendarDay<" not in html and "can read" not in html


def test_the_user_statistics_page_is_not_served(client, auth):
    auth.login("admin")
    assert client.get("/userstatschartview/chart/").status_code == 404
    assert "userstatschartview" not in page(client, "/")


# -- titles


def fab_default_titles(view):
    name = view._prettify_name(view.datamodel.model_name)
    return {f"{verb} {name}" for verb in ("List", "Show", "Add", "Edit")}


def test_no_title_is_built_from_a_class_name(app):
    views = [view for view in app.appbuilder.baseviews if isinstance(view, BaseCRUDView)]
    assert len(views) > 15
    for view in views:
        titles = {str(view.list_title), str(view.show_title)}
        titles |= {str(view.add_title), str(view.edit_title)}
        assert not titles & fab_default_titles(view), type(view).__name__


def test_titles_read_in_chinese(client, auth):
    auth.login("admin")
    html = page(client, "/groups/list/")
    assert "用户组列表" in html and "List Groups" not in html


@pytest.mark.parametrize(
    ("path", "size_argument"),
    [
        ("/users/list/", "psize_SunshineUserDBModelView"),
        ("/directory/list/", "psize_DirectoryView"),
        ("/divisionmodelview/list/", "psize_DivisionModelView"),
    ],
)
def test_labelled_lists_run_the_same_statements_for_5_rows_or_100(
    client, auth, path, size_argument
):
    auth.login("admin")
    many = statements_for(client, f"{path}?{size_argument}=100")
    assert many == statements_for(client, f"{path}?{size_argument}=5")


def test_every_permission_and_resource_has_words(app):
    """A new view, API or menu entry needs a label (labels.register("resource", ...) or its
    menu label), or the role screens would show its code."""
    sm = app.appbuilder.sm
    resources = {view.class_permission_name for view in app.appbuilder.baseviews}
    resources |= {name for name in app.appbuilder.menu.get_flat_name_list() if name != "-"}
    permissions = {p.name for p in db.session.query(sm.permission_model)}
    with app.test_request_context("/?_l_=zh"):
        assert [name for name in sorted(resources) if labels.resource(name) == name] == []
        unnamed = [name for name in permissions if labels.label("permission", name) == name]
        assert sorted(unnamed) == []


def test_units_read_in_english_on_english_pages(app, client, auth):
    unit = db.session.query(Division).filter(Division.name_en.isnot(None)).first()
    auth.login("supervisor")
    chinese = client.get("/supervision/board/").get_data(as_text=True)
    assert f">{unit.name}</option>" in chinese
    client.get("/lang/en")
    english = client.get("/supervision/board/").get_data(as_text=True)
    assert f">{unit.name_en}</option>" in english
    assert labels.unit(None) == labels.EMPTY
