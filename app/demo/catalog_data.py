"""Demo catalog data: workflow templates, the licensing matters of a municipal land and
resources bureau (10/21/44 items at levels 1/2/3) and the 20 disclosure categories.

Handlers are unit codes, or ``@username`` for a leader in person. Second- and
third-level matters inherit from their parent whatever their row does not say.
"""

from datetime import date

from app.demo.organisation import UNITS

UNIT_NAMES = {code: name for code, name, _, _ in UNITS}

# code: (name, description, stages); a stage is (name, mode, steps) and a step is
# (name, handler, kind, limit days, counts toward the promised limit)
RECEIPT = ("窗口收件", "single", [("窗口收件", "window", "receipt", 1, True)])
RELEASE = ("窗口出件", "single", [("窗口出件", "window", "release", 1, True)])
DIVISIONS_8 = (
    "regulation",
    "planning",
    "cultivated",
    "cadastre",
    "landuse",
    "minerals",
    "survey",
    "finance",
)
LEADERS_5 = ("deputy1", "deputy2", "deputy3", "deputy4", "director")
LEADER_TITLES = {
    "deputy1": "副局长",
    "deputy2": "副局长",
    "deputy3": "副局长",
    "deputy4": "副局长",
    "director": "局长",
}


def _simple(name, division, review_days, leader="director"):
    return (
        name,
        "受理、处室审查、局领导签发、出件的简易流程",
        [
            RECEIPT,
            ("处室审查", "single", [("处室审查", division, "review", review_days, True)]),
            ("局领导签发", "single", [("局领导签发", f"@{leader}", "sign", 2, True)]),
            RELEASE,
        ],
    )


TEMPLATES = {
    "GD-01": (
        "国有建设用地供地审批",
        "征询规划、中介机构并联勘测估价、八处室网上会办、报政府审批后发证",
        [
            RECEIPT,
            ("征询规划部门意见", "single", [("征询规划部门意见", "landuse", "review", 3, True)]),
            ("处室材料审核", "single", [("处室材料审核", "landuse", "review", 2, True)]),
            (
                "勘测定界与地价评估",
                "single",
                [
                    ("权属核定", "ownership", "survey", 5, True),
                    ("面积量算", "measure", "survey", 5, True),
                    ("地价评估", "valuation", "survey", 5, True),
                ],
            ),
            (
                "网上会办",
                "countersign",
                [(f"{UNIT_NAMES[code]}会办", code, "review", 3, True) for code in DIVISIONS_8],
            ),
            (
                "局领导审定、签发会议纪要",
                "single",
                [("局领导审定、签发会议纪要", "@director", "sign", 2, True)],
            ),
            ("报政府审批", "single", [("报政府审批", "office", "external", 20, False)]),
            ("制作批准文件", "single", [("制作批准文件", "landuse", "draft_permit", 2, True)]),
            ("申请人缴费", "single", [("申请人缴费", "window", "payment", 10, False)]),
            ("局长签发", "single", [("局长签发", "@director", "sign", 1, True)]),
            RELEASE,
        ],
    ),
    "JS-01": (
        "建设用地审批",
        "土地利用处审查后八处室会签、五位局领导会签",
        [
            RECEIPT,
            ("土地利用处审查", "single", [("土地利用处审查", "landuse", "review", 3, True)]),
            (
                "处室会签",
                "countersign",
                [(f"{UNIT_NAMES[code]}会签", code, "review", 3, True) for code in DIVISIONS_8],
            ),
            (
                "局领导会签",
                "countersign",
                [(f"{LEADER_TITLES[u]}会签", f"@{u}", "sign", 2, True) for u in LEADERS_5],
            ),
            RELEASE,
        ],
    ),
    "YS-01": _simple("建设项目用地预审", "landuse", 10),
    "LS-01": _simple("临时用地审批", "landuse", 8, "deputy1"),
    "XC-01": _simple("乡村公共设施用地审批", "cultivated", 8, "deputy2"),
    "HB-01": _simple("划拨土地使用权转让出租审批", "cadastre", 8, "deputy1"),
    "KF-01": _simple("国有荒地开发审批", "cultivated", 10, "deputy2"),
    "CK-01": _simple("采矿权审批", "minerals", 20, "deputy3"),
    "TK-01": _simple("探矿权审批", "minerals", 20, "deputy3"),
    "CH-01": _simple("测量标志迁建审批", "survey", 8, "deputy3"),
}

LAND_LAW = "《中华人民共和国土地管理法》"
LAND_RULES = "《中华人民共和国土地管理法实施条例》"
COMMON_DOCS = [
    ("申请书", 1, True),
    ("申请人身份证明或营业执照", 1, False),
    ("授权委托书及受托人身份证明（委托办理的）", 1, True),
]


def _docs(*extra):
    return [*COMMON_DOCS, *extra]


# First-level matters: every column of the catalog.
MATTERS_L1 = [
    {
        "code": "YS-01",
        "name": "建设项目用地预审",
        "legal_basis": f"{LAND_LAW}第五十二条；{LAND_RULES}第二十三条；《建设项目用地预审管理办法》",
        "conditions": "符合土地利用总体规划和土地使用标准，属于国家产业政策鼓励或允许类项目。",
        "promised_days": 15,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "不收费",
        "division": "landuse",
        "workflow": "YS-01",
        "documents": _docs(
            ("建设项目用地预审申请表", 1, True),
            ("项目建议书批复文件或备案文件", 1, False),
            ("标注项目用地范围的土地利用总体规划图", 1, True),
        ),
    },
    {
        "code": "JS-01",
        "name": "建设用地审批",
        "legal_basis": f"{LAND_LAW}第四十四条、第四十六条；{LAND_RULES}第二十四条、第二十五条",
        "conditions": "已通过用地预审，符合土地利用总体规划和年度计划，补充耕地已落实。",
        "promised_days": 15,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "耕地开垦费、新增建设用地土地有偿使用费按省定标准征收",
        "division": "landuse",
        "workflow": "JS-01",
        "documents": _docs(
            ("建设用地呈报说明书", 1, True),
            ("农用地转用方案、补充耕地方案、征收土地方案", 1, True),
            ("勘测定界图及勘测定界技术报告书", 2, True),
            ("用地预审意见", 1, False),
        ),
    },
    {
        "code": "GD-01",
        "name": "国有建设用地供地审批",
        "legal_basis": f"{LAND_LAW}第五十三条、第五十四条；《城镇国有土地使用权出让和转让暂行条例》",
        "conditions": "土地已依法征收或属国有存量建设用地，权属清楚、界址清楚、面积准确。",
        "promised_days": 20,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "土地出让价款按出让合同约定缴纳；划拨用地不收取出让金",
        "division": "landuse",
        "workflow": "GD-01",
        "documents": _docs(
            ("建设项目批准、核准或备案文件", 1, False),
            ("建设工程规划许可证或规划设计条件", 1, False),
            ("勘测定界图", 2, True),
            ("地价评估报告", 1, True),
        ),
    },
    {
        "code": "LS-01",
        "name": "临时用地审批",
        "legal_basis": f"{LAND_LAW}第五十七条；{LAND_RULES}第二十条",
        "conditions": "临时使用期限一般不超过二年，不得修建永久性建筑物，签订临时使用土地合同。",
        "promised_days": 12,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "土地复垦费按省定标准预存",
        "division": "landuse",
        "workflow": "LS-01",
        "documents": _docs(
            ("临时用地申请表", 1, True),
            ("临时使用土地合同", 1, True),
            ("土地复垦方案", 1, True),
        ),
    },
    {
        "code": "XC-01",
        "name": "乡（镇）村公共设施、公益事业建设使用集体土地审批",
        "legal_basis": f"{LAND_LAW}第六十一条；《城乡规划法》第四十一条",
        "conditions": "符合乡（镇）土地利用总体规划和村庄规划，涉及农用地的已办理转用手续。",
        "promised_days": 12,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "不收费",
        "division": "cultivated",
        "workflow": "XC-01",
        "documents": _docs(
            ("乡（镇）人民政府审核意见", 1, True),
            ("乡村建设规划许可证", 1, False),
        ),
    },
    {
        "code": "HB-01",
        "name": "划拨国有土地使用权转让、出租审批",
        "legal_basis": "《城镇国有土地使用权出让和转让暂行条例》第四十五条；《城市房地产管理法》第四十条",
        "conditions": "土地使用者为公司、企业或其他经济组织和个人，领有国有土地使用证，具有合法地上建筑物。",
        "promised_days": 12,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "补缴土地出让金或以转让、出租所获收益抵交",
        "division": "cadastre",
        "workflow": "HB-01",
        "documents": _docs(
            ("国有土地使用证或不动产权证书", 1, False),
            ("转让或出租合同", 1, True),
        ),
    },
    {
        "code": "KF-01",
        "name": "开发未确定使用权的国有荒山、荒地、荒滩从事生产审批",
        "legal_basis": f"{LAND_LAW}第四十条；{LAND_RULES}第八条",
        "conditions": "在土地利用总体规划确定的可开垦区域内，经科学论证和评估。",
        "promised_days": 15,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "不收费",
        "division": "cultivated",
        "workflow": "KF-01",
        "documents": _docs(("开发项目可行性研究报告", 1, True), ("开发区域地形图", 1, True)),
    },
    {
        "code": "CK-01",
        "name": "采矿权审批",
        "legal_basis": "《中华人民共和国矿产资源法》第三条、第十六条；《矿产资源开采登记管理办法》",
        "conditions": "矿区范围已划定，矿产资源开发利用方案、环境影响评价已批复。",
        "promised_days": 25,
        "statutory_days": 40,
        "max_extension_days": 10,
        "fee_standard": "采矿登记费每年1000元；采矿权出让收益按评估价款缴纳",
        "division": "minerals",
        "workflow": "CK-01",
        "documents": _docs(
            ("采矿权申请登记书", 1, True),
            ("矿区范围图", 1, True),
            ("矿产资源开发利用方案", 1, True),
            ("矿山地质环境保护与土地复垦方案", 1, True),
        ),
    },
    {
        "code": "TK-01",
        "name": "探矿权审批",
        "legal_basis": "《中华人民共和国矿产资源法》第三条、第十二条；《矿产资源勘查区块登记管理办法》",
        "conditions": "勘查区块无重叠，勘查单位具备相应地质勘查资质，勘查资金已落实。",
        "promised_days": 25,
        "statutory_days": 40,
        "max_extension_days": 10,
        "fee_standard": "探矿权使用费第一至第三个勘查年度每平方公里每年100元",
        "division": "minerals",
        "workflow": "TK-01",
        "documents": _docs(
            ("探矿权申请登记书", 1, True),
            ("勘查工作计划、勘查合同或委托勘查的证明文件", 1, False),
            ("勘查实施方案及附件", 1, True),
        ),
    },
    {
        "code": "CH-01",
        "name": "永久性测量标志拆迁审批",
        "legal_basis": "《中华人民共和国测绘法》第四十二条；《中华人民共和国测量标志保护条例》第十七条",
        "conditions": "工程建设确需拆迁永久性测量标志或使其失去效能，已落实迁建费用。",
        "promised_days": 12,
        "statutory_days": 20,
        "max_extension_days": 10,
        "fee_standard": "迁建费用由工程建设单位承担",
        "division": "survey",
        "workflow": "CH-01",
        "documents": _docs(("拆迁永久性测量标志申请表", 1, True), ("建设项目批准文件", 1, False)),
    },
]

# Children: parent code -> [(code, name, [grandchild names])]
CHILDREN = {
    "YS-01": [
        (
            "YS-01-01",
            "单独选址建设项目用地预审",
            ["交通基础设施项目", "能源水利项目", "其他单独选址项目"],
        ),
        ("YS-01-02", "城镇批次用地范围内建设项目用地预审", []),
    ],
    "JS-01": [
        (
            "JS-01-01",
            "农用地转用审批",
            ["城市分批次建设用地转用", "单独选址建设项目农用地转用", "村庄和集镇建设用地转用"],
        ),
        (
            "JS-01-02",
            "土地征收审批",
            [
                "征收永久基本农田",
                "征收永久基本农田以外的耕地超过三十五公顷",
                "征收其他土地超过七十公顷",
                "省级权限内土地征收",
            ],
        ),
        ("JS-01-03", "未利用地使用审批", ["建设占用国有未利用地", "建设占用集体未利用地"]),
    ],
    "GD-01": [
        (
            "GD-01-01",
            "国有建设用地使用权划拨审批",
            [
                "国家机关用地和军事用地",
                "城市基础设施用地和公益事业用地",
                "国家重点扶持的能源、交通、水利等基础设施用地",
            ],
        ),
        ("GD-01-02", "国有建设用地使用权协议出让审批", ["工业用地协议出让", "原划拨土地补办出让"]),
        (
            "GD-01-03",
            "国有建设用地使用权招标拍卖挂牌出让审批",
            ["商业用地", "旅游娱乐用地", "商品住宅用地", "经营性基础设施用地"],
        ),
    ],
    "LS-01": [
        ("LS-01-01", "建设项目施工临时用地审批", ["使用国有土地", "使用集体土地"]),
        ("LS-01-02", "地质勘查临时用地审批", ["使用国有土地", "使用集体土地"]),
    ],
    "XC-01": [
        ("XC-01-01", "乡（镇）村公共设施建设用地审批", ["道路、供水、供电设施", "村民活动场所"]),
        ("XC-01-02", "乡（镇）村公益事业建设用地审批", ["学校、幼儿园", "卫生院、养老设施"]),
    ],
    "HB-01": [
        ("HB-01-01", "划拨国有土地使用权转让审批", ["整体转让", "分割转让"]),
        ("HB-01-02", "划拨国有土地使用权出租审批", ["房屋连同土地出租", "土地单独出租"]),
    ],
    "KF-01": [
        ("KF-01-01", "一次性开发未确定使用权国有土地六百公顷以下审批", []),
    ],
    "CK-01": [
        ("CK-01-01", "采矿权新立审批", ["砖瓦用粘土", "建筑用砂石"]),
        ("CK-01-02", "采矿权延续、变更、注销审批", ["采矿权延续", "采矿权变更", "采矿权注销"]),
    ],
    "TK-01": [
        ("TK-01-01", "探矿权新立、延续审批", ["探矿权新立", "探矿权延续"]),
        ("TK-01-02", "探矿权保留、变更、注销审批", ["探矿权保留", "探矿权变更"]),
    ],
    "CH-01": [
        ("CH-01-01", "永久性测量标志拆迁审批", ["国家等级测量标志", "地方等级测量标志"]),
        ("CH-01-02", "建立相对独立的平面坐标系统审批", []),
    ],
}


def matter_rows():
    """Every demo matter as a flat dict (parent code, level, documents), parents first."""
    rows = []
    for parent in MATTERS_L1:
        rows.append({**parent, "level": 1, "parent": None})
        for code, name, grandchildren in CHILDREN.get(parent["code"], []):
            child = {
                **parent,
                "code": code,
                "name": name,
                "level": 2,
                "parent": parent["code"],
            }
            rows.append(child)
            for index, leaf in enumerate(grandchildren, start=1):
                rows.append(
                    {
                        **child,
                        "code": f"{code}-{index:02d}",
                        "name": f"{name}（{leaf}）",
                        "level": 3,
                        "parent": code,
                    }
                )
    return rows


# The 政务公开目录: (code, name, [(title, responsible unit, published on)])
DISCLOSURE = [
    (
        "ZW-01",
        "机构职能",
        [
            ("市国土资源局主要职责、内设机构和人员编制", "office", date(2026, 1, 5)),
            ("局领导分工", "office", date(2026, 3, 2)),
        ],
    ),
    (
        "ZW-02",
        "法律法规",
        [
            ("中华人民共和国土地管理法", "regulation", date(2026, 1, 8)),
            ("中华人民共和国矿产资源法", "regulation", date(2026, 1, 8)),
            ("中华人民共和国测绘法", "regulation", date(2026, 1, 8)),
        ],
    ),
    (
        "ZW-03",
        "规范性文件",
        [
            ("关于进一步规范建设用地审批管理的通知", "regulation", date(2026, 2, 14)),
            ("市区国有建设用地使用权出让管理办法", "landuse", date(2026, 4, 1)),
        ],
    ),
    (
        "ZW-04",
        "规划计划",
        [
            ("市土地利用总体规划（2021—2035年）", "planning", date(2026, 1, 20)),
            ("2026年度土地利用计划", "planning", date(2026, 2, 28)),
        ],
    ),
    (
        "ZW-05",
        "行政许可事项",
        [
            ("行政许可事项目录及办事指南", "regulation", date(2026, 1, 10)),
            ("行政许可办理结果公示（第一季度）", "regulation", date(2026, 4, 8)),
        ],
    ),
    (
        "ZW-06",
        "行政处罚",
        [
            ("土地违法案件行政处罚决定公示", "regulation", date(2026, 5, 12)),
            ("矿产资源违法案件查处情况", "regulation", date(2026, 6, 3)),
        ],
    ),
    (
        "ZW-07",
        "土地供应计划",
        [
            ("2026年度国有建设用地供应计划", "landuse", date(2026, 3, 15)),
            ("2026年度住宅用地供应计划", "landuse", date(2026, 3, 15)),
        ],
    ),
    (
        "ZW-08",
        "土地出让结果",
        [
            ("国有建设用地使用权挂牌出让结果公示（2026-01号）", "landuse", date(2026, 5, 20)),
            ("国有建设用地使用权拍卖出让结果公示（2026-02号）", "landuse", date(2026, 7, 6)),
        ],
    ),
    (
        "ZW-09",
        "征地信息",
        [
            ("征收土地预公告", "landuse", date(2026, 4, 18)),
            ("征地补偿安置方案公告", "landuse", date(2026, 6, 22)),
        ],
    ),
    (
        "ZW-10",
        "矿业权出让",
        [
            ("采矿权挂牌出让公告", "minerals", date(2026, 5, 9)),
            ("探矿权、采矿权审批结果公示", "minerals", date(2026, 8, 1)),
        ],
    ),
    (
        "ZW-11",
        "地质灾害防治",
        [
            ("2026年度地质灾害防治方案", "minerals", date(2026, 3, 30)),
            ("汛期地质灾害隐患点分布", "minerals", date(2026, 6, 1)),
        ],
    ),
    (
        "ZW-12",
        "测绘地理信息",
        [
            ("测绘资质单位名录", "survey", date(2026, 2, 10)),
            ("永久性测量标志保护管理公告", "survey", date(2026, 7, 15)),
        ],
    ),
    (
        "ZW-13",
        "不动产登记",
        [
            ("不动产登记办事指南", "cadastre", date(2026, 1, 12)),
            ("不动产登记收费标准", "cadastre", date(2026, 1, 12)),
        ],
    ),
    (
        "ZW-14",
        "耕地保护",
        [
            ("耕地占补平衡项目验收情况", "cultivated", date(2026, 4, 25)),
            ("永久基本农田保护责任目标", "cultivated", date(2026, 5, 30)),
        ],
    ),
    (
        "ZW-15",
        "财政预决算",
        [
            ("2026年部门预算", "finance", date(2026, 2, 6)),
            ("2025年部门决算", "finance", date(2026, 7, 20)),
            ("2025年度“三公”经费支出情况", "finance", date(2026, 7, 20)),
        ],
    ),
    (
        "ZW-16",
        "人事信息",
        [
            ("2026年度公务员招录公告", "office", date(2026, 3, 3)),
            ("干部任前公示", "office", date(2026, 9, 9)),
        ],
    ),
    (
        "ZW-17",
        "统计信息",
        [
            ("2025年度土地变更调查主要数据", "cadastre", date(2026, 6, 18)),
            ("土地市场动态监测季报", "landuse", date(2026, 10, 10)),
        ],
    ),
    (
        "ZW-18",
        "政府采购",
        [
            ("土地调查服务采购项目中标公告", "finance", date(2026, 5, 28)),
            ("办公设备采购结果公告", "finance", date(2026, 8, 19)),
        ],
    ),
    (
        "ZW-19",
        "建议提案办理",
        [
            ("市人大代表建议办理结果", "office", date(2026, 9, 30)),
            ("市政协委员提案办理结果", "office", date(2026, 9, 30)),
        ],
    ),
    (
        "ZW-20",
        "信访与监督",
        [
            ("信访事项办理流程", "petition", date(2026, 1, 15)),
            ("监督举报电话和信箱", "discipline", date(2026, 1, 15)),
        ],
    ),
]
