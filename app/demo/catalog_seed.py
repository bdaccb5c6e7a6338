"""Seeds the demo catalog: creates what is missing, changes nothing else.

Matters and disclosure items go through the same import as a spreadsheet, so
the demo data obeys the catalog's rules.
"""

from app.catalog.transfer import DISCLOSURE, DOCUMENT, MATTER, import_records
from app.demo.catalog_data import DISCLOSURE as DISCLOSURE_DATA
from app.demo.catalog_data import TEMPLATES, matter_rows
from app.extensions import db
from app.models.catalog import DisclosureCategory, Matter
from app.models.workflow import WorkflowTemplate
from app.workflow.documents import Handlers, build_template


def seed_catalog():
    """Returns (templates, matters, disclosure items) created; (0, 0, 0) on a second run."""
    templates = _seed_templates()
    report = import_records(list(enumerate(_missing_records(), start=2)))
    return templates, report.matters, report.disclosure_items


def template_document(code):
    name, description, stages = TEMPLATES[code]
    return {
        "code": code,
        "name": name,
        "description": description,
        "stages": [
            {
                "name": stage_name,
                "mode": mode,
                "steps": [
                    {
                        "name": step_name,
                        "handler": handler,
                        "kind": kind,
                        "limit_days": limit,
                        "counts_toward_limit": counted,
                    }
                    for step_name, handler, kind, limit, counted in steps
                ],
            }
            for stage_name, mode, steps in stages
        ],
    }


def _seed_templates():
    existing = {code for (code,) in db.session.query(WorkflowTemplate.code)}
    missing = [code for code in TEMPLATES if code not in existing]
    handlers = Handlers()
    for code in missing:
        db.session.add(build_template(template_document(code), handlers))
    db.session.flush()
    return len(missing)


def _missing_records():
    matters = {code for (code,) in db.session.query(Matter.code)}
    categories = {code for (code,) in db.session.query(DisclosureCategory.code)}
    for row in matter_rows():
        if row["code"] in matters:
            continue
        yield {
            "record": MATTER,
            **{k: v for k, v in row.items() if k != "documents"},
        }
        for name, copies, original in row["documents"]:
            yield {
                "record": DOCUMENT,
                "code": row["code"],
                "name": name,
                "copies": copies,
                "original": original,
            }
    for code, name, items in DISCLOSURE_DATA:
        if code in categories:
            continue
        for title, division, published_on in items:
            yield {
                "record": DISCLOSURE,
                "code": code,
                "category_name": name,
                "name": title,
                "content": f"{name}：{title}",
                "division": division,
                "published_on": published_on,
            }
