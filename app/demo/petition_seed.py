"""The demo petition categories: what people write to a land and resources bureau about.

Seeded by `flask demo seed`; the Admin edits the list afterwards (Settings → Petition
categories). A second run creates nothing and changes nothing.
"""

from app.extensions import db
from app.models.petitions import PetitionCategory

# (code, name, English name)
CATEGORIES = (
    ("compensation", "征地补偿", "Land acquisition compensation"),
    ("resettlement", "拆迁安置", "Demolition and resettlement"),
    ("ownership", "土地权属争议", "Land ownership dispute"),
    ("illegal_use", "违法用地举报", "Report of illegal land use"),
    ("approval", "用地审批", "Land-use approval"),
    ("registration", "不动产登记", "Real estate registration"),
    ("farmland", "耕地保护", "Protection of cultivated land"),
    ("minerals", "矿产资源开发", "Mineral resources"),
    ("geohazard", "地质灾害防治", "Geological hazards"),
    ("conduct", "工作作风与廉政", "Conduct and integrity of staff"),
    ("other", "其他", "Other"),
)


def seed_petition_categories():
    """Returns the number of categories created (0 on a second run)."""
    existing = {code for (code,) in db.session.query(PetitionCategory.code)}
    created = 0
    for position, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        if code in existing:
            continue
        db.session.add(
            PetitionCategory(code=code, name=name, name_en=name_en, position=position, active=True)
        )
        created += 1
    db.session.commit()
    return created
