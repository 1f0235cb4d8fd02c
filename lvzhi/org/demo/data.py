"""The invented names and the structure every demo committee shares."""

from __future__ import annotations

from typing import Any, Protocol

from lvzhi.org.models import Education, HandlingUnit, Party

# Printed in the README and by seed_demo; satisfies the password policy
# (≥ 8 characters, 4 character classes, not a common password).
PASSWORD = "Demo-2026!"  # noqa: S105 -- the public demo password, documented
SEED = 20260101


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# --- Invented names ---------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴孔汤"
)
MALE_CHARS = (
    "国建志军平伟勇杰峰超亮刚毅振宏浩博涛斌鹏辉磊强宇航帆林森松柏泉川山波洋哲钧铭彦卓"
    "凯俊智远成永德安庆福瑞祥荣兴盛康源睿"
)
FEMALE_CHARS = (
    "秀丽婷静敏芳红霞燕梅兰英莉雪春秋云玉晓思嘉佳雅欣怡悦晨颖琳洁倩璐蕾若涵宁清文慧萍娟"
    "丹月素桂芬琴彤"
)
ETHNICITIES = (
    ("汉族", 90),
    ("回族", 3),
    ("满族", 2),
    ("蒙古族", 1),
    ("壮族", 1),
    ("土家族", 1),
    ("苗族", 1),
    ("朝鲜族", 1),
)
EDUCATIONS = (
    (Education.DOCTORATE, 10),
    (Education.MASTER, 30),
    (Education.BACHELOR, 45),
    (Education.COLLEGE, 12),
    (Education.SECONDARY, 3),
)

# --- The structure every demo committee shares -----------------------------------

# 18 sectors (界别) in 6 clusters (联组), in the order rosters list them.
CLUSTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("第一联组", ("中共", "共青团", "无党派人士")),
    ("第二联组", ("民革", "民盟", "民建")),
    ("第三联组", ("民进", "农工党", "致公党", "九三学社")),
    ("第四联组", ("工商联", "经济界", "农业界")),
    ("第五联组", ("科技界", "教育界", "文化艺术界")),
    ("第六联组", ("医药卫生界", "社会福利和社会保障界")),
)
SECTOR_NAMES: tuple[str, ...] = tuple(name for _, names in CLUSTERS for name in names)

# Sectors whose members belong to one party by definition.
SECTOR_PARTY = {
    "中共": Party.CPC,
    "民革": Party.RCCK,
    "民盟": Party.CDL,
    "民建": Party.CNDCA,
    "民进": Party.CAPD,
    "农工党": Party.CPWDP,
    "致公党": Party.CZGP,
    "九三学社": Party.JS,
    "无党派人士": Party.NONPARTY,
}
DEMOCRATIC_PARTIES = (Party.RCCK, Party.CDL, Party.CNDCA, Party.CAPD, Party.CPWDP, Party.CZGP)

SPECIAL_COMMITTEES = (
    "提案委员会",
    "经济委员会",
    "农业和农村委员会",
    "人口资源环境委员会",
    "教育科技卫体委员会",
    "文化文史和学习委员会",
    "社会和法制委员会",
    "港澳台侨和外事委员会",
)

# Where members work, by the kind of sector. "{p}" is the committee's place.
_EDUCATION = (
    ("{p}第一中学", ("校长", "副校长", "高级教师")),
    ("{p}实验小学", ("校长", "高级教师")),
    ("示例职业技术学院", ("院长", "教授", "系主任")),
    ("示例大学", ("教授", "副教授", "学院院长")),
)
_MEDICAL = (
    ("{p}人民医院", ("主任医师", "副院长", "科室主任")),
    ("{p}中医院", ("主任医师", "副主任医师")),
    ("{p}妇幼保健院", ("院长", "主任医师")),
    ("{p}疾病预防控制中心", ("副主任", "主任医师")),
)
_SCIENCE = (
    ("示例电子科技有限公司", ("总工程师", "高级工程师")),
    ("{p}农业科学研究所", ("所长", "研究员")),
    ("{p}科学技术协会", ("副主席", "高级工程师")),
    ("示例新材料研究院", ("研究员", "副院长")),
)
_BUSINESS = (
    ("示例实业集团有限公司", ("董事长", "总经理")),
    ("示例食品有限公司", ("董事长", "副总经理")),
    ("示例物流有限公司", ("总经理", "财务总监")),
    ("示例建设集团有限公司", ("董事长", "总工程师")),
    ("示例农村商业银行", ("行长", "副行长")),
    ("示例纺织有限公司", ("总经理", "董事长")),
)
_CULTURE = (
    ("{p}文化馆", ("馆长", "副研究馆员")),
    ("{p}图书馆", ("馆长", "研究馆员")),
    ("{p}博物馆", ("副馆长", "文博研究员")),
    ("示例日报社", ("副总编辑", "高级记者")),
    ("{p}歌舞剧院", ("国家二级演员", "团长")),
)
_FARMING = (
    ("示例果蔬专业合作社", ("理事长",)),
    ("{p}农业技术推广中心", ("高级农艺师", "主任")),
    ("示例茶业有限公司", ("总经理",)),
    ("示例生态家庭农场", ("负责人",)),
)
_WELFARE = (
    ("{p}社会福利院", ("院长",)),
    ("示例养老服务中心", ("主任",)),
    ("{p}慈善总会", ("副会长", "秘书长")),
    ("{p}残疾人联合会", ("副理事长",)),
)
_LAW = (
    ("示例律师事务所", ("主任", "律师")),
    ("示例会计师事务所", ("所长", "注册会计师")),
)
_PARTY_ORGANS = (
    ("中共{p}委党校", ("常务副校长", "教授", "副校长")),
    ("{p}总工会", ("副主席", "党组成员")),
    ("{p}妇女联合会", ("副主席", "党组成员")),
    ("{p}机关事务管理局", ("副局长", "党组成员")),
    ("{p}人民政府办公室", ("副主任", "督查室主任")),
    ("{p}发展和改革委员会", ("副主任", "总经济师")),
    ("{p}教育局", ("副局长", "党组成员")),
    ("{p}卫生健康委员会", ("副主任", "党组成员")),
    ("{p}人民医院", ("党委书记", "党委副书记")),
    ("示例大学", ("党委副书记", "纪委书记")),
    ("{p}科学技术协会", ("党组书记", "副主席")),
    ("{p}融媒体中心", ("主任", "副主任")),
)
_YOUTH = (
    ("共青团{p}委员会", ("书记", "副书记")),
    ("{p}青年联合会", ("副主席",)),
)
_PROFESSIONS = _EDUCATION + _MEDICAL + _SCIENCE + _LAW + _CULTURE
EMPLOYERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "中共": _PARTY_ORGANS,
    "共青团": _YOUTH,
    "工商联": _BUSINESS,
    "经济界": _BUSINESS,
    "农业界": _FARMING,
    "科技界": _SCIENCE,
    "教育界": _EDUCATION,
    "文化艺术界": _CULTURE,
    "医药卫生界": _MEDICAL,
    "社会福利和社会保障界": _WELFARE,
}

# 25 handling units (承办单位): department name and kind; "{p}" is the place,
# "{court}" and "{lower}" the committee's court and a government below it.
UNITS: tuple[tuple[str, str], ...] = (
    ("中共{p}委宣传部", HandlingUnit.Kind.PARTY),
    ("中共{p}委统战部", HandlingUnit.Kind.PARTY),
    ("{p}发展和改革委员会", HandlingUnit.Kind.GOVERNMENT),
    ("{p}教育局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}科学技术局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}工业和信息化局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}公安局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}民政局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}财政局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}人力资源和社会保障局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}自然资源和规划局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}生态环境局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}住房和城乡建设局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}交通运输局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}农业农村局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}商务局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}文化广电和旅游局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}卫生健康委员会", HandlingUnit.Kind.GOVERNMENT),
    ("{p}市场监督管理局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}医疗保障局", HandlingUnit.Kind.GOVERNMENT),
    ("{court}", HandlingUnit.Kind.COURT),
    ("{p}总工会", HandlingUnit.Kind.PEOPLE_ORG),
    ("{p}残疾人联合会", HandlingUnit.Kind.PEOPLE_ORG),
    ("{p}城市建设投资集团有限公司", HandlingUnit.Kind.ENTERPRISE),
    ("{lower}", HandlingUnit.Kind.LOWER),
)

# 12 studios (委员工作室): name, theme, and the sector its lead comes from.
STUDIOS: tuple[tuple[str, str, str], ...] = (
    ("教育关爱委员工作室", "关爱留守儿童，助力课后服务", "教育界"),
    ("健康守护委员工作室", "义诊咨询，推广健康生活方式", "医药卫生界"),
    ("法律服务委员工作室", "公益法律咨询和矛盾调解", "民盟"),
    ("科技创新委员工作室", "服务中小企业技术攻关", "科技界"),
    ("乡村振兴委员工作室", "特色农业和农民增收", "农业界"),
    ("文化传承委员工作室", "非遗保护和文史资料征集", "文化艺术界"),
    ("民营经济委员工作室", "优化营商环境，服务民营企业", "工商联"),
    ("生态环保委员工作室", "河湖保护和垃圾分类", "九三学社"),
    ("社区治理委员工作室", "老旧小区改造和社区议事", "无党派人士"),
    ("青年发展委员工作室", "青年就业创业", "共青团"),
    ("养老服务委员工作室", "居家养老和适老化改造", "社会福利和社会保障界"),
    ("侨务联络委员工作室", "联系海外侨胞，服务归侨侨眷", "致公党"),
)
# 10 liaison stations (委员联络站) in invented towns and streets.
STREETS = (
    "东城街道",
    "西湖街道",
    "南山镇",
    "北塘镇",
    "青石街道",
    "白沙镇",
    "桃源镇",
    "新港街道",
    "江口镇",
    "云岭街道",
)
OPENING_HOURS = ("每周三 9:00—11:30", "每周五 14:30—17:00", "每月第一个周六 9:00—12:00")

RESIGN_REASONS = (
    "因工作变动，本人申请辞去委员职务，经常委会会议同意",
    "因身体原因，本人申请辞去委员职务，经常委会会议同意",
    "因工作调离本市，经常委会会议决定",
)

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for terms and sessions)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
