"""The demo organisation of DESIGN §8: units, leaders and users, as data."""

from app.models.org import DivisionKind

K = DivisionKind

# (code, name, English name, kind)
UNITS = (
    ("office", "办公室", "General Office", K.DIVISION),
    ("regulation", "法规监察处", "Regulation and Enforcement Division", K.DIVISION),
    ("planning", "规划处", "Planning Division", K.DIVISION),
    ("cultivated", "耕地保护处", "Cultivated Land Protection Division", K.DIVISION),
    ("cadastre", "地籍处", "Cadastre Division", K.DIVISION),
    ("landuse", "土地利用处", "Land Use Division", K.DIVISION),
    ("minerals", "地质矿产处", "Geology and Minerals Division", K.DIVISION),
    ("survey", "测绘管理处", "Surveying and Mapping Division", K.DIVISION),
    ("finance", "财务处", "Finance Division", K.DIVISION),
    ("petition", "信访办", "Petition Office", K.DIVISION),
    ("discipline", "纪检监察室", "Discipline Inspection Office", K.DIVISION),
    ("window", "行政服务窗口", "Administrative Service Window", K.WINDOW),
    ("baoying", "宝应县局", "Baoying County Bureau", K.COUNTY),
    ("gaoyou", "高邮市局", "Gaoyou City Bureau", K.COUNTY),
    ("yizheng", "仪征市局", "Yizheng City Bureau", K.COUNTY),
    ("guangling", "广陵分局", "Guangling Branch", K.BRANCH),
    ("hanjiang", "邗江分局", "Hanjiang Branch", K.BRANCH),
    ("jiangdu", "江都分局", "Jiangdu Branch", K.BRANCH),
    ("kaifaqu", "开发区分局", "Development Zone Branch", K.BRANCH),
    ("ownership", "权属调查所", "Ownership Survey Institute", K.AGENCY),
    ("measure", "测绘院", "Surveying and Mapping Institute", K.AGENCY),
    ("valuation", "地价评估所", "Land Valuation Office", K.AGENCY),
    ("cityplan", "市规划局", "City Planning Bureau", K.EXTERNAL),
    ("citygov", "市政府", "City Government", K.EXTERNAL),
)

# Roles per kind of unit for the X_staff user; X_head exists for every division.
STAFF_ROLE = {
    K.DIVISION: "Staff",
    K.COUNTY: "UnitStaff",
    K.BRANCH: "UnitStaff",
    K.AGENCY: "Intermediary",
}
STAFF_ROLE_OVERRIDES = {"petition": "PetitionOffice", "discipline": "Inspector"}
HEAD_ROLES_OVERRIDES = {
    "petition": ("PetitionOffice", "DivisionHead"),
    "discipline": ("Inspector",),
}

# username: (family name, given name, position, overseen division codes or "all")
LEADERS = {
    "director": ("周", "建国", "局长", "all"),
    "deputy1": ("吴", "志强", "副局长", ("landuse", "cadastre")),
    "deputy2": ("郑", "海燕", "副局长", ("planning", "cultivated")),
    "deputy3": ("王", "立新", "副局长", ("minerals", "survey")),
    "deputy4": ("冯", "振华", "副局长", ("regulation", "finance", "petition", "office")),
}

# username: (family name, given name, position, division code, roles)
OTHERS = {
    "admin": ("系统", "管理员", "系统管理员", "office", ("Admin",)),
    "window1": ("陈", "晓燕", "窗口受理员", "window", ("Window",)),
    "window2": ("褚", "明", "窗口受理员", "window", ("Window",)),
    "supervisor": ("卫", "东", "督办专员", "office", ("Supervisor",)),
    "inspector": ("蒋", "正", "纪检监察员", "discipline", ("Inspector",)),
}

FAMILY_NAMES = (
    "沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳"
)
GIVEN_NAMES = (
    "伟",
    "静",
    "磊",
    "敏",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "华",
    "丹",
    "辉",
    "鑫",
    "莉",
    "婷",
    "斌",
    "宇",
    "浩",
    "凯",
)


def demo_users():
    """Every demo user as a dict: username, names, position, division, roles, oversight."""
    users = []
    for username, (family, given, position, code, roles) in OTHERS.items():
        users.append(_user(username, family, given, position, code, roles))
    for username, (family, given, position, oversees) in LEADERS.items():
        users.append(_user(username, family, given, position, "office", ("Leader",), oversees))
    index = 0
    for code, name, _en, kind in UNITS:
        if kind not in STAFF_ROLE:
            continue
        role = STAFF_ROLE_OVERRIDES.get(code, STAFF_ROLE[kind])
        users.append(_user(f"{code}_staff", *_name(index), f"{name}经办人", code, (role,)))
        index += 1
        if kind is K.DIVISION:
            roles = HEAD_ROLES_OVERRIDES.get(code, ("DivisionHead",))
            users.append(_user(f"{code}_head", *_name(index), f"{name}负责人", code, roles))
            index += 1
    return users


def _name(index):
    return FAMILY_NAMES[index % len(FAMILY_NAMES)], GIVEN_NAMES[index % len(GIVEN_NAMES)]


def _user(username, family, given, position, division, roles, oversees=()):
    number = sum(ord(c) for c in username) % 10000
    return {
        "username": username,
        "last_name": family,
        "first_name": given,
        "position": position,
        "division": division,
        "roles": tuple(roles),
        "oversees": oversees,
        "email": f"{username}@yzgt.example.cn",
        "phone": f"1380514{number:04d}",
    }
