"""Demo catalog: the approval items of 江城市, a fictional city (region code 429901, which no real
administrative division uses). DEMO DATA: every department address says （演示数据）, every basic
code starts with ``DEMO-`` and phone numbers are fictitious.

The legal bases are real national laws and regulations; time limits are the statutory ones where
the law states one (e.g. 7 days for a construction permit, 建筑法 Art. 8; 3 working days for a market
registration, 市场主体登记管理条例 Art. 19; 15 working days for a fire-safety design review), and
otherwise the general 20 working days of the Administrative Licensing Law (Art. 42), or 45 with a
15-day extension for joint handling (Art. 42 para. 2). Promised limits never exceed statutory ones.

``load_demo_catalog()`` creates whatever is missing (departments, items, published versions, the
later second versions) in one transaction and returns what it created; running it again creates
nothing. Every version is published through ``services.publish``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from . import services
from .models import (
    FAQ,
    CoDepartment,
    Department,
    Fee,
    FormField,
    Item,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)

REGION_CODE = "429901"
CITY = "江城市"
DEMO_MARK = "（演示数据）"
EFFECTIVE_FROM = date(2025, 1, 1)
SECOND_VERSION_FROM = date(2026, 1, 1)
CENTRE_ADDRESS = "江城市滨江大道100号江城市政务服务中心"
OFFICE_HOURS = "工作日 上午9:00-12:00，下午13:30-17:30（法定节假日除外）"
COMPLAINT_PHONE = "0000-12345（演示）"

# Joint handling (ALL Art. 42 para. 2): 45 working days, one extension of 15.
JOINT_STATUTORY_DAYS = 45
JOINT_EXTENSION_DAYS = 15

FRONT_DESK = "ZWFW"
SUPERVISION = "DZJC"


def dept_code(key: str) -> str:
    return f"JC-{key}"


# key, name, abbreviation, window / floor, enquiry phone suffix, supervision office?
_DEPARTMENTS: tuple[tuple[str, str, str, str, bool], ...] = (
    (FRONT_DESK, "江城市政务服务中心（行政审批服务局）", "政务", "一楼综合受理窗口", False),
    ("SJJ", "江城市市场监督管理局", "市监", "二楼市场监管窗口", False),
    ("ZJJ", "江城市住房和城乡建设局", "住建", "三楼工程建设窗口", False),
    ("WJW", "江城市卫生健康委员会", "卫健", "二楼卫生健康窗口", False),
    ("CGJ", "江城市城市管理综合行政执法局", "城管", "三楼城市管理窗口", False),
    ("GAJ", "江城市公安局", "公安", "一楼公安窗口", False),
    ("JTJ", "江城市交通运输局", "交通", "三楼交通运输窗口", False),
    ("WLJ", "江城市文化广电旅游局", "文旅", "二楼文化旅游窗口", False),
    ("XFZD", "江城市消防救援支队", "消防", "三楼消防窗口", False),
    ("ZRZY", "江城市自然资源和规划局", "资规", "四楼不动产登记和规划窗口", False),
    ("STHJ", "江城市生态环境局", "环境", "三楼生态环境窗口", False),
    ("RSJ", "江城市人力资源和社会保障局", "人社", "一楼社保窗口", False),
    ("JYJ", "江城市教育局", "教育", "二楼教育窗口", False),
    ("GJJ", "江城市住房公积金管理中心", "公积金", "一楼公积金窗口", False),
    (SUPERVISION, "江城市政务服务电子监察室", "监察", "五楼电子监察室", True),
)


def department_rows() -> list[dict[str, Any]]:
    rows = []
    for n, (key, name, short, window, supervision) in enumerate(_DEPARTMENTS, start=1):
        rows.append(
            {
                "code": dept_code(key),
                "name": name,
                "short_name": short,
                "level": Department.Level.CITY,
                "region_code": REGION_CODE,
                "address": f"{CENTRE_ADDRESS}{window}{DEMO_MARK}",
                "phone": f"0000-8800{n:04d}（演示）",
                "complaint_phone": COMPLAINT_PHONE,
                "office_hours": OFFICE_HOURS,
                "is_supervision_office": supervision,
            }
        )
    return rows


# --- small builders for the item data --------------------------------------------------------


def law(law_name: str, article: str = "", text: str = "", purpose: str = "setting") -> dict:
    return {"law_name": law_name, "article": article, "text": text, "purpose": purpose}


def impl(law_name: str, article: str = "", text: str = "") -> dict:
    return law(law_name, article, text, purpose="implementing")


def mat(code: str, name: str, **kw) -> dict:
    row = {
        "code": code,
        "name": name,
        "form": kw.pop("form", "original"),
        "copies": kw.pop("copies", 1),
        "medium": kw.pop("medium", "both"),
        "necessity": kw.pop("necessity", "required"),
        "source": kw.pop("source", "applicant"),
        "specification": kw.pop("spec", ""),
        "review_points": kw.pop("review", ""),
        "legal_basis": kw.pop("basis", ""),
    }
    if kw:
        raise TypeError(f"unknown material keys: {sorted(kw)}")
    return row


def application(code: str, title: str) -> dict:
    return mat(
        code,
        f"《{title}》",
        spec="按统一格式填写，可在线填报或在窗口领取空白表格；申请人签字或盖章",
        review="各栏目填写完整，签字（盖章）与申请人一致，申请事项与所选情形一致",
    )


def business_licence(code: str) -> dict:
    return mat(
        code,
        "营业执照",
        form="copy",
        medium="electronic",
        source="government",
        spec="通过电子证照库共享获取，申请人无需另行提交纸质材料",
        review="主体信息与申请书一致，执照在有效期内",
    )


def identity(code: str, who: str = "法定代表人（负责人）") -> dict:
    return mat(
        code,
        f"{who}身份证件",
        form="copy",
        spec="居民身份证正反面复印件；窗口办理时核验原件",
        review="证件在有效期内，姓名、号码与申请书一致",
    )


def proxy(code: str) -> dict:
    return mat(
        code,
        "授权委托书及经办人身份证件",
        necessity="optional",
        spec="委托他人办理时提交；委托书须载明委托事项和期限",
        review="委托人签字（盖章），委托事项与本次申请一致",
    )


def premises(code: str, necessity: str = "required") -> dict:
    return mat(
        code,
        "经营场所使用证明（不动产权证书或租赁合同）",
        form="copy",
        necessity=necessity,
        spec="自有房产提供不动产权证书；租赁房产提供租赁合同及出租方产权证明",
        review="场所地址与申请书一致，租赁期限覆盖申请经营期间",
    )


def proc(kind: str, name: str, days: int, basis: str, *, counted: bool = False) -> dict:
    return {
        "kind": kind,
        "name": name,
        "max_working_days": days,
        "legal_basis": basis,
        "counted_in_limit": counted,
    }


def fld(
    name: str,
    label: str,
    field_type: str = "text",
    *,
    required: bool = True,
    choices: str = "",
    help: str = "",
) -> dict:
    return {
        "name": name,
        "label": label,
        "field_type": field_type,
        "required": required,
        "choices": choices,
        "help_text": help,
    }


def faq(question: str, answer: str) -> dict:
    return {"question": question, "answer": answer}


def fee(name: str, amount: str | None = None, note: str = "", basis: str = "") -> dict:
    return {
        "name": name,
        "amount": Decimal(amount) if amount is not None else None,
        "amount_note": note,
        "basis": basis,
    }


ALL_LAW = "《中华人民共和国行政许可法》"
ART45 = f"{ALL_LAW}第四十五条：行政机关作出行政许可决定，依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在本节规定的期限内。"
ART47_HEARING = (
    f"{ALL_LAW}第四十七条：行政许可直接涉及申请人与他人之间重大利益关系的，行政机关在作出行政许可决定前，"
    "应当告知申请人、利害关系人享有要求听证的权利；申请人、利害关系人在被告知听证权利之日起五日内提出听证申请的，"
    "行政机关应当在二十日内组织听证。"
)
JOINT_LIMIT = impl(
    ALL_LAW,
    "第二十六条、第四十二条第二款",
    "行政许可依法由地方人民政府两个以上部门分别实施的，本级人民政府可以确定一个部门受理行政许可申请并转告有关部门分别提出意见后统一办理，"
    "或者组织有关部门联合办理、集中办理。行政许可采取统一办理或者联合办理、集中办理的，办理的时间不得超过四十五日；"
    "四十五日内不能办结的，经本级人民政府负责人批准，可以延长十五日，并应当将延长期限的理由告知申请人。",
)
GENERAL_LIMIT = impl(
    ALL_LAW,
    "第四十二条第一款",
    "除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。"
    "二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日，并应当将延长期限的理由告知申请人。",
)


# --- the items ---------------------------------------------------------------------------------
# Keys: code (unique within the demo; the implementation code is REGION_CODE-code), dept, name,
# type, main, sub, situation, target, themes, conditions, quantity, statutory, promised,
# extension (working days, or None when the law allows none), channels, depth, visits, result
# (name, type, validity), bases, materials, procedures, fields, faqs, fees, and for joint items
# co ((department key, step limit), ...) and policy.

_MARKET_ITEMS: list[dict] = [
    {
        "code": "SJJ-001",
        "dept": "SJJ",
        "name": "食品经营许可（新办）",
        "main": "食品经营许可",
        "target": "business",
        "themes": "startup,operation",
        "conditions": "具有与经营的食品品种、数量相适应的经营场所和设施设备；有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；"
        "具有合理的设备布局和工艺流程（《中华人民共和国食品安全法》第三十三条）。仅销售预包装食品的，办理备案，无需许可。",
        "statutory": 10,
        "promised": 7,
        "extension": 5,
        "depth": 4,
        "visits": 0,
        "result": ("食品经营许可证", "licence", "5年"),
        "bases": [
            law(
                "《中华人民共和国食品安全法》",
                "第三十五条",
                "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。"
                "但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。",
            ),
            impl(
                "《中华人民共和国食品安全法》",
                "第三十五条第二款",
                "县级以上地方人民政府食品安全监督管理部门应当依照《中华人民共和国行政许可法》的规定，审核申请人提交的相关资料，"
                "必要时对申请人的生产经营场所进行现场核查；对符合规定条件的，准予许可；对不符合规定条件的，不予许可并书面说明理由。",
            ),
            impl(
                "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
                "",
                "县级以上地方市场监督管理部门应当自受理申请之日起10个工作日内作出是否准予行政许可的决定。"
                "因特殊原因需要延长期限的，经市场监督管理部门负责人批准，可以延长5个工作日，并应当将延长期限的理由告知申请人。",
            ),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "食品经营许可申请书"),
            business_licence("M02"),
            identity("M03"),
            mat(
                "M04",
                "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                spec="含经营场所平面布局图、设备布局图和工艺流程说明；餐饮服务需标明粗加工、烹饪、餐用具清洗消毒等区域",
                review="布局合理，生熟分开，清洗消毒设施齐全",
                basis="《中华人民共和国食品安全法》第三十三条第一款第一项、第三项",
            ),
            mat(
                "M05",
                "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度",
                necessity="pledgeable",
                spec="可先作出书面承诺，在承诺期限内补交",
                review="制度覆盖进货查验、从业人员健康管理、食品安全自查和事故处置",
                basis="《中华人民共和国食品安全法》第三十三条第一款第二项",
            ),
            proxy("M06"),
        ],
        "procedures": [
            proc(
                "inspection",
                "经营场所现场核查",
                10,
                "《中华人民共和国食品安全法》第三十五条第二款：必要时对申请人的生产经营场所进行现场核查；"
                + ART45,
            )
        ],
        "fields": [
            fld("operator_name", "经营者名称"),
            fld("premises_address", "经营场所", "address"),
            fld("business_area", "经营场所面积", "area", help="单位：平方米"),
            fld("business_format", "主体业态", "choice", choices="食品销售经营者|餐饮服务经营者|单位食堂"),
            fld(
                "business_items",
                "经营项目",
                "choice",
                choices="散装食品销售|特殊食品销售|热食类食品制售|冷食类食品制售|生食类食品制售|半成品制售|自制饮品制售",
            ),
            fld("staff_count", "从业人员数", "number"),
            fld("safety_manager", "食品安全管理人员姓名"),
        ],
        "faqs": [
            faq(
                "只卖预包装食品也要办食品经营许可证吗？",
                "不需要。仅销售预包装食品的，向所在地市场监督管理部门备案即可（《中华人民共和国食品安全法》第三十五条）。",
            ),
            faq(
                "食品经营许可证有效期多长？",
                "有效期为5年。需要延续的，应在有效期届满前向原发证部门提出延续申请。",
            ),
        ],
    },
    {
        "code": "SJJ-002",
        "dept": "SJJ",
        "name": "个体工商户设立登记",
        "main": "个体工商户登记",
        "target": "citizen",
        "themes": "employment,startup",
        "conditions": "有经营能力的公民；经营场所、经营范围符合法律法规规定。",
        "statutory": 3,
        "promised": 1,
        "extension": 3,
        "depth": 3,
        "visits": 1,
        "channels": "online,window,post",
        "result": ("营业执照（个体工商户）", "licence", "长期"),
        "bases": [
            law(
                "《促进个体工商户发展条例》",
                "第二条",
                "有经营能力的公民在中华人民共和国境内从事工商业经营，依照《市场主体登记管理条例》的规定经市场主体登记机关登记为个体工商户的，适用本条例。",
            ),
            law(
                "《市场主体登记管理条例》",
                "第二条、第三条",
                "个体工商户是市场主体，应当依照本条例办理登记。未经登记，不得以市场主体名义从事经营活动。",
            ),
            impl(
                "《市场主体登记管理条例》",
                "第十九条",
                "登记机关应当对申请材料进行形式审查。对申请材料齐全、符合法定形式的予以确认并当场登记。不能当场登记的，应当在3个工作日内予以登记；"
                "情形复杂的，经登记机关负责人批准，可以再延长3个工作日。",
            ),
        ],
        "materials": [
            application("M01", "个体工商户登记（备案）申请书"),
            identity("M02", "经营者"),
            premises("M03"),
            proxy("M04"),
        ],
        "fields": [
            fld("trade_name", "个体工商户名称", required=False, help="可以不使用名称"),
            fld("operator", "经营者姓名"),
            fld("premises_address", "经营场所", "address"),
            fld("scope", "经营范围", "long_text"),
            fld("organisation", "组成形式", "choice", choices="个人经营|家庭经营"),
            fld("staff_count", "从业人数", "number"),
        ],
        "faqs": [
            faq("办理个体工商户登记要收费吗？", "不收费。"),
            faq(
                "营业执照多久能拿到？",
                "材料齐全、符合法定形式的当场登记；不能当场登记的，3个工作日内予以登记。",
            ),
        ],
    },
    {
        "code": "SJJ-003",
        "dept": "SJJ",
        "name": "有限责任公司设立登记",
        "main": "企业登记",
        "target": "business",
        "themes": "startup",
        "conditions": "有符合公司章程规定的股东；有公司名称和住所；有符合法律规定的组织机构。",
        "statutory": 3,
        "promised": 1,
        "extension": 3,
        "depth": 4,
        "visits": 0,
        "channels": "online,window,post",
        "result": ("营业执照", "licence", "长期（营业期限以章程为准）"),
        "bases": [
            law("《中华人民共和国公司法》", "第二十九条", "设立公司，应当依法向公司登记机关申请设立登记。"),
            impl(
                "《市场主体登记管理条例》",
                "第十九条",
                "不能当场登记的，应当在3个工作日内予以登记；情形复杂的，经登记机关负责人批准，可以再延长3个工作日。",
            ),
        ],
        "materials": [
            application("M01", "公司登记（备案）申请书"),
            mat(
                "M02",
                "公司章程",
                spec="全体股东签字或盖章",
                review="载明公司名称、住所、经营范围、注册资本、股东出资额、出资方式和出资日期等法定事项",
            ),
            mat("M03", "股东的主体资格文件或者自然人身份证明", form="copy", review="股东信息与章程一致"),
            mat("M04", "法定代表人、董事、监事和高级管理人员的任职文件", review="任职程序符合章程"),
            mat(
                "M05",
                "住所使用相关文件",
                form="copy",
                necessity="pledgeable",
                spec="可书面承诺住所真实有效，先行办理",
            ),
            proxy("M06"),
        ],
        "fields": [
            fld("company_name", "公司名称"),
            fld("registered_capital", "注册资本（万元）", "number"),
            fld("domicile", "住所", "address"),
            fld("scope", "经营范围", "long_text"),
            fld("shareholder_count", "股东人数", "number"),
        ],
        "faqs": [
            faq(
                "注册资本需要一次缴足吗？",
                "有限责任公司全体股东认缴的出资额应当按照公司章程的规定自公司成立之日起五年内缴足（《中华人民共和国公司法》第四十七条）。",
            )
        ],
    },
    {
        "code": "SJJ-004",
        "dept": "SJJ",
        "name": "企业简易注销登记",
        "main": "企业登记",
        "situation": "cancellation",
        "target": "business",
        "themes": "closure",
        "conditions": "未发生债权债务或者已将债权债务清偿完结，未发生或者已结清清偿费用、职工工资、社会保险费用、法定补偿金、应缴纳税款，"
        "并由全体投资人书面承诺对上述情况的真实性承担法律责任；公示期20日内无异议。",
        "statutory": 3,
        "promised": 1,
        "extension": 3,
        "depth": 4,
        "visits": 0,
        "result": ("准予注销登记通知书", "approval_letter", ""),
        "bases": [
            law(
                "《市场主体登记管理条例》",
                "第三十三条",
                "市场主体未发生债权债务或者已将债权债务清偿完结……可以按照简易程序办理注销登记。"
                "市场主体应当将承诺书及注销登记申请通过国家企业信用信息公示系统公示，公示期为20日。",
            ),
            impl("《市场主体登记管理条例》", "第十九条"),
        ],
        "materials": [
            application("M01", "注销登记申请书"),
            mat(
                "M02",
                "全体投资人承诺书",
                spec="通过国家企业信用信息公示系统公示20日",
                review="全体投资人签字，公示期满无异议",
            ),
            business_licence("M03"),
        ],
        "fields": [
            fld("company_name", "企业名称"),
            fld("uscc", "统一社会信用代码"),
            fld("publicity_end", "公示期届满日期", "date"),
        ],
        "faqs": [
            faq(
                "公示期有多长？",
                "20日。公示期内无异议的，可以于公示期届满之日起20日内向登记机关申请注销登记。",
            )
        ],
    },
    {
        "code": "SJJ-005",
        "dept": "SJJ",
        "name": "药品零售企业许可（药品经营许可证核发）",
        "main": "药品经营许可",
        "sub": "药品零售",
        "target": "business",
        "themes": "startup,operation",
        "conditions": "有依法经过资格认定的药师或者其他药学技术人员；有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；"
        "有与所经营药品相适应的质量管理机构或者人员；有保证药品质量的规章制度（《中华人民共和国药品管理法》第五十二条）。",
        "statutory": 20,
        "promised": 15,
        "result": ("药品经营许可证", "licence", "5年"),
        "bases": [
            law(
                "《中华人民共和国药品管理法》",
                "第五十一条",
                "从事药品零售活动，应当经所在地县级以上地方人民政府药品监督管理部门批准，取得药品经营许可证。无药品经营许可证的，不得经营药品。",
            ),
            impl("《中华人民共和国药品管理法》", "第五十二条", "从事药品经营活动应当具备的条件。"),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "药品经营许可证申请表"),
            business_licence("M02"),
            mat("M03", "执业药师注册证及身份证明", form="copy", review="注册单位、执业范围与申请一致"),
            mat("M04", "营业场所、仓库平面布置图及房屋产权或使用证明", form="copy", necessity="pledgeable"),
            mat(
                "M05",
                "药品质量管理制度文件及主要设施设备目录",
                review="覆盖购进、验收、储存、陈列、处方审核、追溯等环节",
            ),
        ],
        "procedures": [
            proc("inspection", "营业场所现场检查", 10, "《中华人民共和国药品管理法》第五十二条；" + ART45)
        ],
        "fields": [
            fld("company_name", "企业名称"),
            fld("premises_address", "经营地址", "address"),
            fld("business_area", "营业面积", "area"),
            fld("scope", "经营范围", "choice", choices="中药饮片|中成药|化学药|生物制品"),
            fld("pharmacist_count", "执业药师人数", "number"),
        ],
        "faqs": [
            faq(
                "药店必须配备执业药师吗？",
                "应当有依法经过资格认定的药师或者其他药学技术人员（《中华人民共和国药品管理法》第五十二条），处方药销售须经药师审核。",
            )
        ],
    },
    {
        "code": "SJJ-006",
        "dept": "SJJ",
        "name": "特种设备使用登记",
        "main": "特种设备使用登记",
        "target": "business",
        "themes": "operation",
        "conditions": "特种设备经监督检验合格，使用单位在投入使用前或者投入使用后三十日内申请。",
        "statutory": 20,
        "promised": 5,
        "depth": 4,
        "visits": 0,
        "result": ("特种设备使用登记证", "certificate", "设备使用期间有效"),
        "bases": [
            law(
                "《中华人民共和国特种设备安全法》",
                "第三十三条",
                "特种设备使用单位应当在特种设备投入使用前或者投入使用后三十日内，向负责特种设备安全监督管理的部门办理使用登记，取得使用登记证书。",
            ),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "特种设备使用登记表"),
            mat(
                "M02", "产品合格证及监督检验证明", form="copy", source="intermediary", review="检验结论为合格"
            ),
            business_licence("M03"),
        ],
        "fields": [
            fld(
                "equipment_kind",
                "设备类别",
                "choice",
                choices="电梯|锅炉|压力容器|起重机械|场（厂）内专用机动车辆",
            ),
            fld("equipment_code", "设备代码"),
            fld("location", "使用地点", "address"),
        ],
        "faqs": [faq("设备投入使用后多久内要登记？", "投入使用前或者投入使用后三十日内。")],
    },
]

FIRE_RULES = (
    "《建设工程消防设计审查验收管理暂行规定》（住房和城乡建设部令第51号，2023年住房和城乡建设部令第58号修正）"
)

_CONSTRUCTION_ITEMS: list[dict] = [
    {
        "code": "ZJJ-001",
        "dept": "ZJJ",
        "name": "建筑工程施工许可证核发",
        "main": "建筑工程施工许可",
        "target": "business",
        "themes": "construction",
        "conditions": "已办理用地批准手续；依法应当办理建设工程规划许可证的，已取得规划许可证；需要拆迁的，拆迁进度符合施工要求；"
        "已确定建筑施工企业；有满足施工需要的资金安排、施工图纸及技术资料；有保证工程质量和安全的具体措施（《中华人民共和国建筑法》第八条）。",
        "quantity": "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。",
        "statutory": 7,
        "promised": 3,
        "extension": None,
        "result": (
            "建筑工程施工许可证",
            "licence",
            "自领取之日起三个月内开工；因故不能按期开工的可申请延期，延期以两次为限，每次不超过三个月",
        ),
        "bases": [
            law(
                "《中华人民共和国建筑法》",
                "第七条",
                "建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门申请领取施工许可证；"
                "但是，国务院建设行政主管部门确定的限额以下的小型工程除外。",
            ),
            impl(
                "《中华人民共和国建筑法》",
                "第八条",
                "建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。",
            ),
            impl(
                "《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）",
                "第二条",
                "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。",
            ),
        ],
        "materials": [
            application("M01", "建筑工程施工许可证申请表"),
            mat(
                "M02",
                "用地批准手续",
                form="copy",
                medium="electronic",
                source="government",
                spec="由自然资源和规划部门共享",
            ),
            mat(
                "M03",
                "建设工程规划许可证",
                form="copy",
                medium="electronic",
                source="government",
                spec="由自然资源和规划部门共享",
            ),
            mat("M04", "中标通知书及施工合同", form="copy", review="施工企业资质与工程规模相符"),
            mat(
                "M05",
                "施工图设计文件审查合格书",
                source="intermediary",
                review="审查机构盖章，审查结论为合格",
            ),
            mat(
                "M06",
                "建设资金已经落实承诺书",
                necessity="pledgeable",
                spec="建设单位法定代表人签字并加盖公章",
            ),
            mat("M07", "保证工程质量和安全的具体措施（监理合同、质量安全监督手续）", form="copy"),
        ],
        "fields": [
            fld("project_name", "工程名称"),
            fld("project_address", "建设地址", "address"),
            fld("floor_area", "建筑面积", "area"),
            fld("contract_price", "合同价格（万元）", "number"),
            fld("contractor", "施工单位"),
            fld("structure", "结构类型", "choice", choices="框架|框架剪力墙|剪力墙|钢结构|砖混|其他"),
        ],
        "faqs": [
            faq(
                "多小的工程可以不办施工许可证？",
                "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证（省级住房城乡建设部门可以调整限额）。",
            ),
            faq(
                "领证后多久必须开工？",
                "应当自领取施工许可证之日起三个月内开工；因故不能按期开工的，应当向发证机关申请延期，延期以两次为限，每次不超过三个月（《中华人民共和国建筑法》第九条）。",
            ),
        ],
    },
    {
        "code": "ZJJ-002",
        "dept": "ZJJ",
        "name": "特殊建设工程消防设计审查",
        "main": "建设工程消防设计审查",
        "target": "business",
        "themes": "construction",
        "conditions": "申请材料齐全、符合法定形式；设计单位具有相应资质；消防设计文件符合国家工程建设消防技术标准。",
        "statutory": 15,
        "promised": 10,
        "result": ("特殊建设工程消防设计审查意见书", "approval_letter", ""),
        "bases": [
            law(
                "《中华人民共和国消防法》",
                "第十一条",
                "国务院住房和城乡建设主管部门规定的特殊建设工程，建设单位应当将消防设计文件报送住房和城乡建设主管部门审查，住房和城乡建设主管部门依法对审查的结果负责。",
            ),
            impl(
                FIRE_RULES,
                "第二十二条",
                "消防设计审查验收主管部门应当自受理消防设计审查申请之日起十五个工作日内出具书面审查意见。依照本规定需要组织专家评审的，专家评审时间不超过二十个工作日。",
            ),
        ],
        "materials": [
            application("M01", "特殊建设工程消防设计审查申请表"),
            mat(
                "M02",
                "消防设计文件",
                medium="electronic",
                source="intermediary",
                review="符合国家工程建设消防技术标准",
            ),
            mat("M03", "设计单位资质证明", form="copy", medium="electronic", source="government"),
            mat(
                "M04",
                "特殊消防设计技术资料",
                necessity="optional",
                source="intermediary",
                spec="需要组织专家评审的特殊建设工程提交",
            ),
        ],
        "procedures": [
            proc("expert_review", "特殊消防设计专家评审", 20, f"{FIRE_RULES}第二十二条；" + ART45)
        ],
        "fields": [
            fld("project_name", "工程名称"),
            fld("project_address", "建设地址", "address"),
            fld("floor_area", "建筑面积", "area"),
            fld("building_height", "建筑高度（米）", "number"),
            fld("use", "使用性质", "choice", choices="人员密集场所|高层公共建筑|地下工程|其他特殊建设工程"),
        ],
        "faqs": [
            faq(
                "专家评审的时间算在审查时限里吗？",
                "不算。专家评审时间不超过二十个工作日，不计入十五个工作日的审查时限。",
            )
        ],
    },
    {
        "code": "ZJJ-003",
        "dept": "ZJJ",
        "name": "特殊建设工程消防验收",
        "main": "建设工程消防验收",
        "target": "business",
        "themes": "construction",
        "conditions": "特殊建设工程竣工验收后申请；建设单位已完成工程消防设计和合同约定的消防各项内容。",
        "statutory": 15,
        "promised": 10,
        "result": ("特殊建设工程消防验收意见书", "approval_letter", ""),
        "bases": [
            law(
                "《中华人民共和国消防法》",
                "第十三条",
                "国务院住房和城乡建设主管部门规定应当申请消防验收的建设工程竣工，建设单位应当向住房和城乡建设主管部门申请消防验收。"
                "依法应当进行消防验收的建设工程，未经消防验收或者消防验收不合格的，禁止投入使用。",
            ),
            impl(FIRE_RULES, "第二十六条", "对特殊建设工程实行消防验收制度。"),
        ],
        "materials": [
            application("M01", "特殊建设工程消防验收申请表"),
            mat("M02", "工程竣工验收报告", form="copy"),
            mat("M03", "涉及消防的建设工程竣工图纸", medium="electronic", necessity="pledgeable"),
        ],
        "procedures": [
            proc(
                "inspection", "消防验收现场评定", 5, f"{FIRE_RULES}：现场评定在验收时限内完成。", counted=True
            )
        ],
        "fields": [
            fld("project_name", "工程名称"),
            fld("design_opinion_no", "消防设计审查意见书编号"),
            fld("floor_area", "建筑面积", "area"),
        ],
        "faqs": [faq("消防验收不合格能投入使用吗？", "不能（《中华人民共和国消防法》第十三条）。")],
    },
    {
        "code": "ZJJ-004",
        "dept": "ZJJ",
        "name": "城镇污水排入排水管网许可",
        "main": "城镇污水排入排水管网许可",
        "target": "business",
        "themes": "operation",
        "conditions": "从事工业、建筑、餐饮、医疗等活动的排水户向城镇排水设施排放污水；按规定建设预处理设施，排放水质符合标准。",
        "statutory": 20,
        "promised": 10,
        "result": ("城镇污水排入排水管网许可证", "licence", "5年"),
        "bases": [
            law(
                "《城镇排水与污水处理条例》",
                "第二十一条",
                "从事工业、建筑、餐饮、医疗等活动的企业事业单位、个体工商户向城镇排水设施排放污水的，应当向城镇排水主管部门申请领取污水排入排水管网许可证。",
            ),
            impl("《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）"),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "城镇污水排入排水管网许可申请表"),
            business_licence("M02"),
            mat(
                "M03",
                "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明",
                review="雨污分流，检测井设置符合要求",
            ),
            mat("M04", "预处理设施（隔油池、沉淀池等）的说明材料", necessity="pledgeable"),
            mat(
                "M05",
                "排水水质检测报告",
                source="intermediary",
                necessity="optional",
                spec="列入重点排污单位名录的排水户提交",
            ),
        ],
        "procedures": [
            proc("inspection", "排水设施现场核查", 5, "《城镇污水排入排水管网许可管理办法》；" + ART45)
        ],
        "fields": [
            fld("discharger", "排水户名称"),
            fld("industry", "行业类别", "choice", choices="餐饮|医疗|工业|建筑施工|洗车|其他"),
            fld("daily_volume", "日排水量（立方米）", "number"),
            fld("outlet_count", "排放口数量", "number"),
        ],
        "faqs": [
            faq(
                "餐饮店需要办排水许可吗？",
                "需要。餐饮排水户应设置隔油设施，并申领污水排入排水管网许可证（《城镇排水与污水处理条例》第二十一条）。",
            )
        ],
    },
    {
        "code": "ZJJ-005",
        "dept": "ZJJ",
        "name": "商品房预售许可",
        "main": "商品房预售许可",
        "target": "business",
        "themes": "operation",
        "conditions": "已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证；按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的百分之二十五以上，"
        "并已经确定施工进度和竣工交付日期（《中华人民共和国城市房地产管理法》第四十五条）。",
        "statutory": 10,
        "promised": 7,
        "result": ("商品房预售许可证", "licence", "预售项目销售期间有效"),
        "bases": [
            law(
                "《中华人民共和国城市房地产管理法》",
                "第四十五条",
                "商品房预售，应当向县级以上人民政府房产管理部门办理预售登记，取得商品房预售许可证明。",
            ),
            impl(
                "《城市商品房预售管理办法》",
                "",
                "房地产管理部门应当自受理之日起10日内，依法作出准予预售的行政许可书面决定。",
            ),
        ],
        "materials": [
            application("M01", "商品房预售许可申请表"),
            mat("M02", "土地使用权证书", form="copy", source="government"),
            mat("M03", "建设工程规划许可证和施工许可证", form="copy", source="government"),
            mat("M04", "投入开发建设资金达到总投资25%以上的证明", source="intermediary"),
            mat("M05", "商品房预售方案", review="载明预售商品房的位置、面积、竣工交付日期等"),
        ],
        "procedures": [proc("site_survey", "工程形象进度现场查勘", 5, ART45)],
        "fields": [
            fld("project_name", "项目名称"),
            fld("presale_area", "预售面积", "area"),
            fld("units", "预售套数", "number"),
        ],
        "faqs": [faq("预售款怎么监管？", "预售款应存入监管账户，专项用于有关的工程建设。")],
    },
]

HYGIENE_RULES = "《公共场所卫生管理条例实施细则》（原卫生部令第80号）"

_HEALTH_AND_CITY_ITEMS: list[dict] = [
    {
        "code": "WJW-001",
        "dept": "WJW",
        "name": "公共场所卫生许可（新办）",
        "main": "公共场所卫生许可",
        "target": "both",
        "themes": "startup,operation",
        "conditions": "经营场所、设施设备、卫生管理制度和从业人员健康状况符合公共场所卫生标准和要求。",
        "quantity": "适用于宾馆、旅店、招待所、公共浴室、理发店、美容店、游泳场（馆）等仍实行卫生许可的公共场所；饭馆、咖啡馆、酒吧、茶座等已取消卫生许可。",
        "statutory": 20,
        "promised": 10,
        "result": ("公共场所卫生许可证", "licence", "4年（每两年复核一次）"),
        "bases": [
            law(
                "《公共场所卫生管理条例》",
                "第八条",
                "除公园、体育场（馆）、公共交通工具外的公共场所，经营单位应当及时向卫生行政部门申请办理“卫生许可证”。“卫生许可证”两年复核一次。",
            ),
            impl(
                HYGIENE_RULES,
                "",
                "县级以上地方卫生行政部门应当自受理公共场所卫生许可申请之日起20日内，对申报资料进行审查，对现场进行审核，作出是否准予许可的决定。",
            ),
        ],
        "materials": [
            application("M01", "公共场所卫生许可申请表"),
            business_licence("M02"),
            identity("M03"),
            mat("M04", "公共场所地址方位示意图、平面图和卫生设施平面布局图", review="布局符合卫生规范要求"),
            mat(
                "M05",
                "公共场所卫生检测或者评价报告",
                source="intermediary",
                necessity="pledgeable",
                spec="可承诺在许可决定前补交",
            ),
            mat("M06", "公共场所卫生管理制度"),
            mat("M07", "从业人员健康合格证明", form="copy", necessity="pledgeable"),
        ],
        "procedures": [
            proc(
                "inspection",
                "经营场所现场审核",
                5,
                f"{HYGIENE_RULES}：对申报资料进行审查，对现场进行审核。",
                counted=True,
            )
        ],
        "fields": [
            fld("unit_name", "单位名称"),
            fld("premises_address", "经营地址", "address"),
            fld("business_area", "经营面积", "area"),
            fld(
                "place_kind",
                "场所类别",
                "choice",
                choices="宾馆|旅店|招待所|公共浴室|理发店|美容店|游泳场（馆）",
            ),
            fld("staff_count", "从业人员数", "number"),
            fld("healthy_staff_count", "持健康合格证明人数", "number"),
        ],
        "faqs": [
            faq(
                "开饭馆、咖啡馆还要办卫生许可证吗？",
                "不需要。饭馆、咖啡馆、酒吧、茶座等公共场所的卫生许可已经取消，餐饮服务办理食品经营许可。",
            ),
            faq("卫生许可证多久复核一次？", "两年复核一次（《公共场所卫生管理条例》第八条）。"),
        ],
    },
    {
        "code": "WJW-002",
        "dept": "WJW",
        "name": "医疗机构执业登记",
        "main": "医疗机构执业登记",
        "target": "business",
        "themes": "startup",
        "conditions": "按照规定应当办理设置医疗机构批准书的，已取得批准书；符合医疗机构的基本标准；有适合的名称、组织机构和场所；"
        "有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员；有相应的规章制度；能够独立承担民事责任。",
        "statutory": 45,
        "promised": 30,
        "result": ("医疗机构执业许可证", "licence", "按规定定期校验"),
        "bases": [
            law(
                "《医疗机构管理条例》", "第十五条", "医疗机构执业，必须进行登记，领取《医疗机构执业许可证》。"
            ),
            impl(
                "《医疗机构管理条例》",
                "",
                "卫生行政部门自受理执业登记申请之日起45日内，根据本条例和医疗机构基本标准进行审核。",
            ),
        ],
        "materials": [
            application("M01", "医疗机构申请执业登记注册书"),
            mat(
                "M02",
                "设置医疗机构批准书",
                form="copy",
                source="government",
                necessity="optional",
                spec="按规定需要办理设置审批的提交",
            ),
            mat("M03", "医疗机构用房产权证明或者使用证明", form="copy"),
            mat("M04", "医疗机构建筑设计平面图"),
            mat(
                "M05",
                "医疗卫生技术人员名录及其有关执业证书",
                form="copy",
                review="执业类别、范围与诊疗科目相符",
            ),
            mat("M06", "医疗机构规章制度", necessity="pledgeable"),
        ],
        "procedures": [
            proc(
                "inspection",
                "执业登记现场审核",
                10,
                "《医疗机构管理条例》：根据医疗机构基本标准进行审核。",
                counted=True,
            )
        ],
        "fields": [
            fld("institution_name", "机构名称"),
            fld("institution_kind", "机构类别", "choice", choices="医院|门诊部|社区卫生服务中心|护理院"),
            fld("beds", "床位数", "number"),
            fld("departments", "诊疗科目", "long_text"),
            fld("address", "地址", "address"),
        ],
        "faqs": [faq("执业许可证需要校验吗？", "需要，医疗机构应当按照规定定期校验《医疗机构执业许可证》。")],
    },
    {
        "code": "CGJ-001",
        "dept": "CGJ",
        "name": "城市建筑垃圾处置核准",
        "main": "城市建筑垃圾处置核准",
        "target": "business",
        "themes": "construction",
        "conditions": "有建筑垃圾分类处置方案和对废混凝土、金属、木材等回收利用方案；有与所运建筑垃圾相适应的运输单位和消纳场所。",
        "statutory": 20,
        "promised": 5,
        "result": ("城市建筑垃圾处置核准决定书", "approval_letter", "与工程施工期限一致"),
        "bases": [
            law(
                "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）",
                "附件第101项",
                "城市建筑垃圾处置核准，实施机关：城市人民政府市容环境卫生行政主管部门。",
            ),
            impl(
                "《城市建筑垃圾管理规定》（建设部令第139号）",
                "第七条",
                "处置建筑垃圾的单位，应当向城市人民政府市容环境卫生主管部门提出申请，获得城市建筑垃圾处置核准后，方可处置。"
                "城市人民政府市容环境卫生主管部门应当在接到申请后的20日内作出是否核准的决定。",
            ),
        ],
        "materials": [
            application("M01", "城市建筑垃圾处置核准申请表"),
            mat("M02", "建筑垃圾处置方案", review="含分类处置和回收利用方案"),
            mat("M03", "与运输单位签订的运输合同", form="copy"),
            mat("M04", "消纳场所接收证明", necessity="pledgeable"),
        ],
        "fields": [
            fld("project_name", "工程名称"),
            fld("volume", "预计排放量（立方米）", "number"),
            fld("end_date", "处置截止日期", "date"),
            fld("disposal_site", "消纳场所"),
        ],
        "faqs": [
            faq(
                "可以自己运输建筑垃圾吗？",
                "应当委托核准从事建筑垃圾运输的单位运输，不得交给个人或者未经核准的单位运输。",
            )
        ],
    },
]

_PUBLIC_SECURITY_ITEMS: list[dict] = [
    {
        "code": "GAJ-001",
        "dept": "GAJ",
        "name": "大型群众性活动安全许可",
        "main": "大型群众性活动安全许可",
        "target": "both",
        "themes": "operation",
        "conditions": "预计参加人数在1000人以上的大型群众性活动；承办者应当在活动举办日的20日前提出申请。",
        "statutory": 7,
        "promised": 5,
        "extension": None,
        "result": ("大型群众性活动安全许可决定书", "approval_letter", "限于许可的活动时间、地点"),
        "bases": [
            law("《大型群众性活动安全管理条例》", "第十一条", "公安机关对大型群众性活动实行安全许可制度。"),
            impl(
                "《大型群众性活动安全管理条例》",
                "第十四条",
                "公安机关收到申请材料应当依法做出受理或者不受理的决定。对受理的申请，应当自受理之日起7日内进行审查，对活动场所进行查验，"
                "对符合安全条件的，做出许可的决定；对不符合安全条件的，做出不予许可的决定，并书面说明理由。",
            ),
        ],
        "materials": [
            application("M01", "大型群众性活动安全许可申请表"),
            mat("M02", "承办者合法成立的证明以及安全责任人的身份证明", form="copy"),
            mat("M03", "大型群众性活动方案及其说明"),
            mat(
                "M04",
                "大型群众性活动安全工作方案",
                review="含安全工作人员数量、任务分配、消防安全措施、疏散方案和应急救援预案",
            ),
            mat("M05", "活动场所管理者同意提供活动场所的证明"),
        ],
        "procedures": [
            proc(
                "inspection",
                "活动场所查验",
                3,
                "《大型群众性活动安全管理条例》第十四条：查验在7日审查期限内完成。",
                counted=True,
            )
        ],
        "fields": [
            fld("event_name", "活动名称"),
            fld("event_date", "举办日期", "date"),
            fld("venue", "活动地点", "address"),
            fld("expected_attendance", "预计参加人数", "number"),
            fld("ticketed", "是否售票", "boolean"),
        ],
        "faqs": [
            faq("多少人以上的活动需要申请？", "预计参加人数在1000人以上的大型群众性活动需要申请安全许可。"),
            faq("什么时候提出申请？", "承办者应当在活动举办日的20日前提出安全许可申请。"),
        ],
    },
    {
        "code": "GAJ-002",
        "dept": "GAJ",
        "name": "出生登记",
        "type": "confirmation",
        "main": "户口登记",
        "target": "citizen",
        "themes": "birth",
        "conditions": "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报。",
        "statutory": 20,
        "promised": 1,
        "depth": 4,
        "visits": 0,
        "result": ("居民户口簿（户口登记）", "certificate", "长期"),
        "bases": [
            law(
                "《中华人民共和国户口登记条例》",
                "第七条",
                "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
            ),
            impl(
                "《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）",
                "",
                "政策外生育、非婚生育的无户口人员，可以凭《出生医学证明》和父母一方的居民户口簿、结婚证或者非婚生育说明申请登记常住户口。",
            ),
        ],
        "materials": [
            mat(
                "M01", "出生医学证明", medium="electronic", source="government", spec="由卫生健康部门电子共享"
            ),
            mat("M02", "父亲或母亲的居民户口簿和居民身份证", review="申报人与新生儿关系明确"),
            mat("M03", "父母结婚证或非婚生育说明", necessity="optional"),
        ],
        "fields": [
            fld("baby_name", "新生儿姓名"),
            fld("sex", "性别", "choice", choices="男|女"),
            fld("birth_date", "出生日期", "date"),
            fld("relation", "申报人与新生儿关系", "choice", choices="父亲|母亲|其他监护人"),
        ],
        "faqs": [
            faq(
                "出生多久内要报户口？",
                "婴儿出生后一个月以内申报出生登记（《中华人民共和国户口登记条例》第七条）。",
            ),
            faq(
                "非婚生育的孩子能落户吗？",
                "能。可以凭出生医学证明和父母一方的居民户口簿、非婚生育说明申请登记常住户口。",
            ),
        ],
    },
    {
        "code": "GAJ-003",
        "dept": "GAJ",
        "name": "养犬登记",
        "type": "other",
        "main": "养犬登记",
        "target": "citizen",
        "themes": "housing",
        "conditions": "犬只已按规定接种狂犬病疫苗并取得免疫证明。",
        "statutory": 20,
        "promised": 3,
        "depth": 4,
        "visits": 0,
        "result": ("养犬登记证", "certificate", "1年"),
        "bases": [
            law(
                "《中华人民共和国动物防疫法》",
                "第三十条",
                "单位和个人饲养犬只，应当按照规定定期免疫接种狂犬病疫苗，凭动物诊疗机构出具的免疫证明向所在地养犬登记机关申请登记。",
            ),
        ],
        "materials": [
            identity("M01", "养犬人"),
            mat("M02", "犬只狂犬病免疫证明", source="intermediary", review="由动物诊疗机构出具，在有效期内"),
            mat("M03", "犬只正面、侧面照片", medium="electronic"),
            mat("M04", "住所证明", form="copy", necessity="pledgeable"),
        ],
        "fields": [
            fld("dog_name", "犬名"),
            fld("breed", "品种"),
            fld("dog_sex", "性别", "choice", choices="公|母"),
            fld("dog_birth", "出生年月", "date"),
            fld("vaccination_date", "最近一次免疫日期", "date"),
        ],
        "faqs": [
            faq("犬只需要每年打疫苗吗？", "需要按照规定定期免疫接种狂犬病疫苗，登记时须出示有效的免疫证明。")
        ],
    },
    {
        "code": "GAJ-004",
        "dept": "GAJ",
        "name": "特种行业许可证核发（旅馆业）",
        "main": "特种行业许可",
        "sub": "旅馆业",
        "target": "business",
        "themes": "startup",
        "conditions": "房屋建筑、消防设备、出入口和通道等符合国家有关规定；有治安保卫制度和安全管理人员。",
        "statutory": 20,
        "promised": 10,
        "result": ("特种行业许可证", "licence", "长期"),
        "bases": [
            law(
                "《旅馆业治安管理办法》",
                "第四条",
                "申请开办旅馆，应当具备相应的经营条件和安全设施，并向所在地县级人民政府公安机关申请特种行业许可证。",
            ),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "特种行业许可证申请登记表"),
            business_licence("M02"),
            identity("M03"),
            premises("M04"),
            mat("M05", "旅馆治安保卫制度及安全管理人员名单"),
        ],
        "procedures": [proc("inspection", "治安安全现场检查", 5, "《旅馆业治安管理办法》第四条；" + ART45)],
        "fields": [
            fld("hotel_name", "旅馆名称"),
            fld("address", "地址", "address"),
            fld("rooms", "客房数", "number"),
            fld("beds", "床位数", "number"),
        ],
        "faqs": [faq("旅馆需要安装旅客住宿登记系统吗？", "需要，旅馆接待旅客住宿必须登记并查验身份证件。")],
    },
    {
        "code": "GAJ-005",
        "dept": "GAJ",
        "name": "居住证申领",
        "type": "public_service",
        "main": "居住证",
        "target": "citizen",
        "themes": "employment,housing,schooling",
        "conditions": "离开常住户口所在地，到本市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一。",
        "statutory": 15,
        "promised": 10,
        "channels": "online,window,post",
        "result": ("居住证", "certificate", "每年签注一次"),
        "bases": [
            law(
                "《居住证暂行条例》",
                "第二条",
                "公民离开常住户口所在地，到其他城市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可以依照本条例的规定申领居住证。",
            ),
            impl("《居住证暂行条例》", "", "公安机关应当自受理之日起15日内制作发放居住证。"),
        ],
        "materials": [
            identity("M01", "申请人"),
            mat("M02", "近期免冠照片", medium="electronic"),
            mat("M03", "居住证明（租赁合同或不动产权证书）", form="copy"),
            mat("M04", "就业或就读证明", form="copy", necessity="pledgeable"),
        ],
        "fields": [
            fld("residence_address", "居住地址", "address"),
            fld("reason", "居住事由", "choice", choices="就业|就读|其他"),
            fld("arrival_date", "来本市居住日期", "date"),
        ],
        "faqs": [faq("居住证要年年办吗？", "不用重办，但需每年签注一次；逾期未签注的，居住证使用功能中止。")],
    },
]

_TRANSPORT_CULTURE_FIRE_ITEMS: list[dict] = [
    {
        "code": "JTJ-001",
        "dept": "JTJ",
        "name": "道路货物运输经营许可（普通货运）",
        "main": "道路运输经营许可",
        "sub": "道路普通货物运输",
        "target": "business",
        "themes": "startup,operation",
        "conditions": "有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。",
        "quantity": "使用总质量4.5吨及以下普通货运车辆从事普通货运经营的，无需申请本许可。",
        "statutory": 20,
        "promised": 10,
        "depth": 4,
        "visits": 0,
        "result": ("道路运输经营许可证", "licence", "以证载有效期为准"),
        "bases": [
            law("《中华人民共和国道路运输条例》", "第二十一条", "申请从事货运经营应当具备的条件。"),
            impl(
                "《中华人民共和国道路运输条例》",
                "第二十四条",
                "交通运输主管部门应当自受理申请之日起20日内审查完毕，作出许可或者不予许可的决定。",
            ),
        ],
        "materials": [
            application("M01", "道路货物运输经营申请表"),
            mat("M02", "车辆行驶证及检测合格证明", form="copy", source="government"),
            mat("M03", "驾驶人员从业资格证", form="copy", source="government"),
            mat("M04", "安全生产管理制度文本", necessity="pledgeable"),
        ],
        "fields": [
            fld("company_name", "企业名称"),
            fld("vehicles", "车辆数", "number"),
            fld("drivers", "驾驶员人数", "number"),
        ],
        "faqs": [
            faq(
                "4.5吨以下货车要办道路运输证吗？",
                "不需要。使用总质量4.5吨及以下普通货运车辆从事普通货运经营的，无需申请道路运输经营许可证和车辆营运证。",
            )
        ],
    },
    {
        "code": "WLJ-001",
        "dept": "WLJ",
        "name": "娱乐场所经营许可",
        "main": "娱乐场所经营许可",
        "target": "business",
        "themes": "startup,operation",
        "conditions": "场所不在居民楼、博物馆、图书馆和被核定为文物保护单位的建筑物内，不在居民住宅区和学校、医院、机关周围，"
        "不在车站、机场等人群密集的场所，不在建筑物地下一层以下，不与危险化学品仓库毗连；面积符合规定（《娱乐场所管理条例》第七条、第八条）。",
        "statutory": 20,
        "promised": 15,
        "result": ("娱乐经营许可证", "licence", "2年"),
        "bases": [
            law(
                "《娱乐场所管理条例》",
                "第九条",
                "娱乐场所申请从事娱乐场所经营活动，应当向所在地县级人民政府文化主管部门提出申请。",
            ),
            impl(
                "《娱乐场所管理条例》",
                "第十条",
                "文化主管部门审批娱乐场所应当举行听证。有关听证的程序，依照《中华人民共和国行政许可法》的规定执行。",
            ),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "娱乐场所经营许可申请书"),
            business_licence("M02"),
            mat(
                "M03",
                "投资人员、拟任法定代表人和其他负责人没有《娱乐场所管理条例》第五条规定情形的书面声明",
                review="由公安部门核查属实",
            ),
            identity("M04", "投资人员、法定代表人和其他负责人"),
            mat("M05", "经营场所平面示意图及房屋使用证明", form="copy", necessity="pledgeable"),
        ],
        "procedures": [
            proc("hearing", "设立听证", 20, "《娱乐场所管理条例》第十条；" + ART45),
            proc("inspection", "经营场所实地检查", 5, "《娱乐场所管理条例》第九条；" + ART45),
        ],
        "fields": [
            fld("venue_name", "场所名称"),
            fld("address", "地址", "address"),
            fld("venue_kind", "娱乐场所类型", "choice", choices="歌舞娱乐场所|游艺娱乐场所"),
            fld("business_area", "营业面积", "area"),
            fld("rooms", "包厢数量", "number", required=False),
        ],
        "faqs": [
            faq(
                "哪些地方不能开娱乐场所？",
                "居民楼、博物馆、图书馆和被核定为文物保护单位的建筑物内；居民住宅区和学校、医院、机关周围；车站、机场等人群密集的场所；建筑物地下一层以下；与危险化学品仓库毗连的区域。",
            ),
            faq("审批要听证吗？", "要。文化主管部门审批娱乐场所应当举行听证，听证时间不计入审批时限。"),
        ],
    },
    {
        "code": "WLJ-002",
        "dept": "WLJ",
        "name": "互联网上网服务营业场所经营单位设立审批",
        "main": "互联网上网服务营业场所经营许可",
        "target": "business",
        "themes": "startup",
        "conditions": "有与其经营活动相适应并符合国家规定的消防安全条件的营业场所；有健全、完善的信息网络安全管理制度和安全技术措施；"
        "中学、小学校园周围200米范围内和居民住宅楼（院）内不得设立。",
        "statutory": 20,
        "promised": 15,
        "result": ("网络文化经营许可证", "licence", "3年"),
        "bases": [
            law(
                "《互联网上网服务营业场所管理条例》",
                "第七条",
                "国家对互联网上网服务营业场所经营单位的经营活动实行许可制度。未经许可，任何组织和个人不得从事互联网上网服务经营活动。",
            ),
            impl(
                "《互联网上网服务营业场所管理条例》",
                "第十一条",
                "文化行政部门应当自收到申请之日起20个工作日内作出决定；经实地检查并审核合格的，发给《网络文化经营许可证》。",
            ),
        ],
        "materials": [
            application("M01", "互联网上网服务营业场所经营单位设立申请表"),
            business_licence("M02"),
            identity("M03"),
            premises("M04"),
            mat("M05", "信息网络安全管理制度和安全技术措施说明", necessity="pledgeable"),
        ],
        "procedures": [
            proc(
                "inspection",
                "营业场所实地检查",
                5,
                "《互联网上网服务营业场所管理条例》第十一条：实地检查在20个工作日内完成。",
                counted=True,
            )
        ],
        "fields": [
            fld("venue_name", "场所名称"),
            fld("address", "地址", "address"),
            fld("business_area", "营业面积", "area"),
            fld("terminals", "计算机台数", "number"),
        ],
        "faqs": [
            faq(
                "学校附近能开网吧吗？",
                "中学、小学校园周围200米范围内和居民住宅楼（院）内不得设立互联网上网服务营业场所（《互联网上网服务营业场所管理条例》第九条）。",
            )
        ],
    },
    {
        "code": "WLJ-003",
        "dept": "WLJ",
        "name": "出版物零售业务经营许可",
        "main": "出版物经营许可",
        "sub": "出版物零售",
        "target": "both",
        "themes": "startup",
        "conditions": "有确定的企业名称和经营范围；有固定的经营场所；有与业务相适应的组织机构和发行人员。",
        "statutory": 20,
        "promised": 10,
        "depth": 4,
        "visits": 0,
        "result": ("出版物经营许可证", "licence", "以证载有效期为准"),
        "bases": [
            law(
                "《出版管理条例》",
                "第三十七条",
                "从事出版物零售业务的单位和个体工商户，应当向所在地县级人民政府出版行政主管部门提出申请，出版行政主管部门应当自受理申请之日起20日内作出批准或者不批准的决定。",
            ),
        ],
        "materials": [application("M01", "出版物经营许可申请表"), business_licence("M02"), premises("M03")],
        "fields": [
            fld("shop_name", "店铺名称"),
            fld("address", "经营场所", "address"),
            fld("business_area", "营业面积", "area"),
        ],
        "faqs": [
            faq(
                "网上卖书也要办证吗？",
                "通过互联网等信息网络从事出版物发行业务的，同样应当依法取得出版物经营许可证。",
            )
        ],
    },
    {
        "code": "XFZD-001",
        "dept": "XFZD",
        "name": "公众聚集场所投入使用、营业前消防安全检查",
        "main": "公众聚集场所投入使用、营业前消防安全检查",
        "target": "business",
        "themes": "startup,operation",
        "conditions": "场所依法通过建设工程消防验收或者备案抽查合格；消防设施完好有效；有消防安全制度和灭火、应急疏散预案。",
        "statutory": 10,
        "promised": 5,
        "extension": None,
        "result": (
            "公众聚集场所投入使用、营业消防安全检查意见书",
            "approval_letter",
            "场所使用性质不变期间有效",
        ),
        "bases": [
            law(
                "《中华人民共和国消防法》",
                "第十五条",
                "公众聚集场所投入使用、营业前消防安全检查实行告知承诺管理。公众聚集场所在投入使用、营业前，建设单位或者使用单位应当向场所所在地的县级以上地方人民政府消防救援机构申请消防安全检查，"
                "作出场所符合消防技术标准和管理规定的承诺，提交规定的材料，并对其承诺和材料的真实性负责。",
            ),
            impl(
                "《中华人民共和国消防法》",
                "第十五条第三款",
                "申请人选择不采用告知承诺方式办理的，消防救援机构应当自受理申请之日起十个工作日内，根据消防技术标准和管理规定，对该场所进行检查。",
            ),
        ],
        "materials": [
            application("M01", "公众聚集场所投入使用、营业消防安全检查申报表"),
            business_licence("M02"),
            mat("M03", "消防安全制度、灭火和应急疏散预案"),
            mat("M04", "场所平面布置图、场所消防设施平面图", medium="electronic"),
            mat("M05", "消防设施检测合格报告", source="intermediary", necessity="pledgeable"),
            mat("M06", "建设工程消防验收或备案凭证", form="copy", medium="electronic", source="government"),
        ],
        "procedures": [
            proc(
                "inspection",
                "场所消防安全检查",
                10,
                "《中华人民共和国消防法》第十五条：检查在十个工作日内完成。",
                counted=True,
            )
        ],
        "fields": [
            fld("venue_name", "场所名称"),
            fld("address", "地址", "address"),
            fld("floor_area", "使用面积", "area"),
            fld(
                "venue_kind",
                "场所类型",
                "choice",
                choices="宾馆饭店|商场市场|餐饮场所|歌舞娱乐场所|体育场馆|会堂|其他",
            ),
            fld("pledge", "选择告知承诺方式", "boolean", required=False),
        ],
        "faqs": [
            faq(
                "选择告知承诺方式多快能拿到结果？",
                "申请材料齐全、符合法定形式的，消防救援机构当场作出许可决定，并在事后进行核查。",
            )
        ],
    },
]

_PLANNING_ENV_SOCIAL_ITEMS: list[dict] = [
    {
        "code": "ZRZY-001",
        "dept": "ZRZY",
        "name": "建设用地规划许可证核发（划拨）",
        "main": "建设用地规划许可",
        "target": "business",
        "themes": "construction",
        "conditions": "以划拨方式提供国有土地使用权的建设项目，已经有关部门批准、核准、备案。",
        "statutory": 20,
        "promised": 10,
        "result": ("建设用地规划许可证", "licence", "长期"),
        "bases": [
            law(
                "《中华人民共和国城乡规划法》",
                "第三十七条",
                "在城市、镇规划区内以划拨方式提供国有土地使用权的建设项目，经有关部门批准、核准、备案后，建设单位应当向城市、县人民政府城乡规划主管部门提出建设用地规划许可申请，"
                "由城市、县人民政府城乡规划主管部门依据控制性详细规划核定建设用地的位置、面积、允许建设的范围，核发建设用地规划许可证。",
            ),
            GENERAL_LIMIT,
        ],
        "materials": [
            application("M01", "建设用地规划许可申请表"),
            mat("M02", "建设项目批准、核准或备案文件", form="copy", source="government"),
            mat("M03", "建设项目用地红线图", medium="electronic", source="intermediary"),
        ],
        "fields": [
            fld("project_name", "项目名称"),
            fld("site", "用地位置", "address"),
            fld("land_area", "用地面积", "area"),
        ],
        "faqs": [
            faq(
                "出让用地怎么办理？",
                "以出让方式取得国有土地使用权的，在签订国有土地使用权出让合同后，持批准、核准、备案文件和出让合同领取建设用地规划许可证（《中华人民共和国城乡规划法》第三十八条）。",
            )
        ],
    },
    {
        "code": "ZRZY-002",
        "dept": "ZRZY",
        "name": "不动产转移登记（存量房买卖）",
        "type": "confirmation",
        "main": "不动产登记",
        "sub": "国有建设用地使用权及房屋所有权转移登记",
        "situation": "change",
        "target": "both",
        "themes": "housing",
        "conditions": "不动产已办理首次登记且无查封等限制；买卖双方共同申请；已依法缴纳税费。",
        "statutory": 30,
        "promised": 5,
        "result": ("不动产权证书", "certificate", "长期"),
        "bases": [
            law(
                "《中华人民共和国民法典》",
                "第二百零九条",
                "不动产物权的设立、变更、转让和消灭，经依法登记，发生效力；未经登记，不发生效力，但是法律另有规定的除外。",
            ),
            impl(
                "《不动产登记暂行条例》",
                "第二十条",
                "不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续，法律另有规定的除外。",
            ),
        ],
        "materials": [
            application("M01", "不动产登记申请书"),
            identity("M02", "买卖双方"),
            mat("M03", "不动产权属证书", review="权利人与出卖人一致，无查封、抵押未注销等限制"),
            mat("M04", "存量房买卖合同", copies=2),
            mat("M05", "完税凭证", medium="electronic", source="government", spec="由税务部门电子共享"),
        ],
        "procedures": [
            proc(
                "site_survey",
                "不动产实地查看",
                5,
                "《不动产登记暂行条例》第十九条：不动产登记机构可以对申请登记的不动产进行实地查看。",
            )
        ],
        "fields": [
            fld("location", "不动产坐落", "address"),
            fld("unit_number", "不动产单元号"),
            fld("floor_area", "建筑面积", "area"),
            fld("price", "成交价格（元）", "number"),
            fld("reason", "登记原因", "choice", choices="买卖|赠与|继承|互换"),
        ],
        "fees": [
            fee(
                "不动产登记费（住宅）",
                "80.00",
                "每件；非住宅每件550元",
                "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
            )
        ],
        "faqs": [
            faq(
                "办理二手房过户要交多少登记费？",
                "住宅类不动产登记费每件80元，含第一本不动产权属证书的工本费。",
            ),
            faq("多久能拿到新证？", "法定时限30个工作日，本中心承诺5个工作日内办结。"),
        ],
    },
    {
        "code": "STHJ-001",
        "dept": "STHJ",
        "name": "排污许可证核发（重点管理）",
        "main": "排污许可",
        "target": "business",
        "themes": "operation",
        "conditions": "依法取得建设项目环境影响报告书（表）批准文件或者已经办理环境影响登记表备案手续；污染物排放符合污染物排放标准和重点污染物排放总量控制要求；"
        "采用的污染防治设施可以达到许可排放浓度要求或者符合污染防治可行技术；自行监测方案符合规定。",
        "statutory": 20,
        "promised": 15,
        "result": ("排污许可证", "licence", "5年"),
        "bases": [
            law(
                "《中华人民共和国环境保护法》",
                "第四十五条",
                "国家依照法律规定实行排污许可管理制度。实行排污许可管理的企业事业单位和其他生产经营者应当按照排污许可证的要求排放污染物；未取得排污许可证的，不得排放污染物。",
            ),
            impl(
                "《排污许可管理条例》",
                "",
                "对实行排污许可重点管理的，审批部门应当自受理申请之日起20日内作出审批决定；对实行排污许可简化管理的，应当自受理申请之日起15日内作出审批决定。排污许可证有效期为5年。",
            ),
        ],
        "materials": [
            application("M01", "排污许可证申请表"),
            mat("M02", "自行监测方案"),
            mat("M03", "建设项目环境影响评价批准文件或登记表备案材料", form="copy", source="government"),
            mat("M04", "排污单位基本情况、污染防治设施和排放口信息", medium="electronic"),
            mat("M05", "信息公开情况说明", necessity="pledgeable"),
        ],
        "procedures": [proc("inspection", "排污单位现场核查", 10, ART45)],
        "fields": [
            fld("company_name", "排污单位名称"),
            fld("industry", "行业类别"),
            fld("outlets", "排放口数量", "number"),
            fld("management", "管理类别", "choice", choices="重点管理|简化管理"),
        ],
        "faqs": [
            faq("排污许可证有效期多长？", "5年。需要延续的，应当在有效期届满60日前向审批部门提出申请。")
        ],
    },
    {
        "code": "STHJ-002",
        "dept": "STHJ",
        "name": "建设项目环境影响报告表审批",
        "main": "建设项目环境影响评价文件审批",
        "sub": "环境影响报告表",
        "target": "business",
        "themes": "construction",
        "conditions": "建设项目符合生态环境保护法律法规和相关规划；环境影响报告表编制规范，结论可信。",
        "statutory": 30,
        "promised": 15,
        "result": (
            "建设项目环境影响报告表批复",
            "approval_letter",
            "批复之日起超过五年方决定开工建设的，应报原审批部门重新审核",
        ),
        "bases": [
            law(
                "《中华人民共和国环境影响评价法》",
                "第十六条",
                "国家根据建设项目对环境的影响程度，对建设项目的环境影响评价实行分类管理。",
            ),
            impl(
                "《中华人民共和国环境影响评价法》",
                "第二十二条",
                "审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，分别作出审批决定并书面通知建设单位。",
            ),
        ],
        "materials": [
            application("M01", "建设项目环境影响报告表审批申请函"),
            mat(
                "M02",
                "建设项目环境影响报告表",
                medium="electronic",
                source="intermediary",
                review="编制单位和编制人员信息经信用平台核验",
            ),
            mat("M03", "删除涉密和商业秘密内容的公开版本", medium="electronic", necessity="pledgeable"),
        ],
        "procedures": [proc("expert_review", "环境影响报告表技术评估", 15, ART45)],
        "fields": [
            fld("project_name", "项目名称"),
            fld("site", "建设地点", "address"),
            fld("investment", "总投资（万元）", "number"),
            fld("industry", "行业类别"),
        ],
        "faqs": [
            faq(
                "批复有效期多长？",
                "环境影响评价文件自批准之日起超过五年，方决定该项目开工建设的，应当报原审批部门重新审核（《中华人民共和国环境影响评价法》第二十四条）。",
            )
        ],
    },
    {
        "code": "RSJ-001",
        "dept": "RSJ",
        "name": "职工基本养老保险待遇申领（退休）",
        "type": "benefit",
        "main": "基本养老保险待遇核定",
        "target": "citizen",
        "themes": "retirement",
        "conditions": "达到法定退休年龄且累计缴费满十五年。",
        "statutory": 20,
        "promised": 10,
        "depth": 4,
        "visits": 0,
        "result": ("基本养老金待遇核定表", "other", "按月领取，终身"),
        "bases": [
            law(
                "《中华人民共和国社会保险法》",
                "第十六条",
                "参加基本养老保险的个人，达到法定退休年龄时累计缴费满十五年的，按月领取基本养老金。",
            ),
        ],
        "materials": [
            application("M01", "基本养老保险待遇申领表"),
            identity("M02", "申请人"),
            mat("M03", "本人社会保障卡或银行账户", form="copy"),
            mat("M04", "视同缴费年限认定材料（人事档案）", necessity="optional", source="government"),
        ],
        "fields": [
            fld("retirement_kind", "退休类别", "choice", choices="正常退休|特殊工种提前退休|因病提前退休"),
            fld("retirement_date", "退休日期", "date"),
            fld("bank_account", "领取账户"),
        ],
        "faqs": [
            faq(
                "缴费不满十五年怎么办？",
                "可以缴费至满十五年，按月领取基本养老金；也可以按照规定转入新型农村社会养老保险或者城镇居民社会养老保险。",
            )
        ],
    },
    {
        "code": "RSJ-002",
        "dept": "RSJ",
        "name": "失业保险金申领",
        "type": "benefit",
        "main": "失业保险待遇",
        "target": "citizen",
        "themes": "employment",
        "conditions": "失业前用人单位和本人已经缴纳失业保险费满一年；非因本人意愿中断就业；已经进行失业登记，并有求职要求。",
        "statutory": 20,
        "promised": 5,
        "depth": 4,
        "visits": 0,
        "result": ("失业保险金核定通知", "other", "按累计缴费时间确定领取期限"),
        "bases": [
            law(
                "《中华人民共和国社会保险法》",
                "第四十五条",
                "失业人员符合下列条件的，从失业保险基金中领取失业保险金：（一）失业前用人单位和本人已经缴纳失业保险费满一年的；"
                "（二）非因本人意愿中断就业的；（三）已经进行失业登记，并有求职要求的。",
            ),
        ],
        "materials": [
            identity("M01", "申请人"),
            mat(
                "M02",
                "解除或终止劳动关系证明",
                form="copy",
                source="government",
                spec="用人单位已备案的，由系统共享",
            ),
            mat("M03", "本人银行账户", form="copy"),
        ],
        "fields": [
            fld("separation_date", "离职日期", "date"),
            fld("reason", "离职原因", "choice", choices="合同期满|单位裁员|单位解除|其他非本人意愿"),
        ],
        "faqs": [faq("主动辞职能领失业金吗？", "不能。领取失业保险金须为非因本人意愿中断就业。")],
    },
    {
        "code": "JYJ-001",
        "dept": "JYJ",
        "name": "义务教育阶段新生入学登记",
        "type": "public_service",
        "main": "义务教育入学",
        "target": "citizen",
        "themes": "schooling",
        "conditions": "年满六周岁的适龄儿童；户籍或父母（法定监护人）的工作、居住地在本市。",
        "statutory": 20,
        "promised": 10,
        "depth": 4,
        "visits": 0,
        "result": ("入学通知书", "other", "当年秋季学期"),
        "bases": [
            law(
                "《中华人民共和国义务教育法》",
                "第十二条",
                "适龄儿童、少年免试入学。地方各级人民政府应当保障适龄儿童、少年在户籍所在地学校就近入学。"
                "父母或者其他法定监护人在非户籍所在地工作或者居住的适龄儿童、少年，在其父母或者其他法定监护人工作或者居住地接受义务教育的，当地人民政府应当为其提供平等接受义务教育的条件。",
            ),
        ],
        "materials": [
            mat("M01", "居民户口簿", medium="electronic", source="government"),
            mat(
                "M02",
                "房产证明或父母居住证",
                form="copy",
                necessity="optional",
                spec="随迁子女或按住所划片时提交",
            ),
            mat("M03", "预防接种证查验证明", necessity="pledgeable", source="intermediary"),
        ],
        "fields": [
            fld("child_name", "儿童姓名"),
            fld("child_birth", "出生日期", "date"),
            fld("home_address", "居住地址", "address"),
            fld("migrant", "是否随迁子女", "boolean", required=False),
        ],
        "faqs": [
            faq(
                "随迁子女能在江城上学吗？",
                "能。父母在本市工作或居住的适龄儿童，可以在工作或居住地接受义务教育（《中华人民共和国义务教育法》第十二条）。",
            )
        ],
    },
    {
        "code": "GJJ-001",
        "dept": "GJJ",
        "name": "住房公积金提取（购买自住住房）",
        "type": "public_service",
        "main": "住房公积金提取",
        "target": "citizen",
        "themes": "housing,retirement",
        "conditions": "购买、建造、翻建、大修自住住房，或离休、退休等法定提取情形。",
        "statutory": 3,
        "promised": 1,
        "extension": None,
        "depth": 4,
        "visits": 0,
        "result": ("住房公积金提取决定", "other", ""),
        "bases": [
            law(
                "《住房公积金管理条例》",
                "第二十四条",
                "职工购买、建造、翻建、大修自住住房的，可以提取职工住房公积金账户内的存储余额。",
            ),
            impl(
                "《住房公积金管理条例》",
                "第二十五条",
                "住房公积金管理中心应当自受理申请之日起3日内作出准予提取或者不准提取的决定，并通知申请人。",
            ),
        ],
        "materials": [
            identity("M01", "申请人"),
            mat(
                "M02",
                "购房合同或不动产权证书",
                form="copy",
                source="government",
                spec="本市不动产登记信息由系统共享",
            ),
            mat("M03", "本人银行账户", form="copy"),
        ],
        "fields": [
            fld("purpose", "提取原因", "choice", choices="购买自住住房|建造翻建大修|离休退休|其他"),
            fld("amount", "提取金额（元）", "number"),
        ],
        "faqs": [faq("多久到账？", "自受理之日起3日内作出决定，准予提取的由受委托银行办理支付。")],
    },
]

ROAD_RULES = "《城市道路管理条例》"

_JOINT_ITEMS: list[dict] = [
    {
        "code": "CGJ-J01",
        "dept": "CGJ",
        "name": "城市道路挖掘许可（市政与公安交管并联审批）",
        "main": "城市道路挖掘许可",
        "target": "business",
        "themes": "construction",
        "conditions": "因工程建设需要挖掘城市道路，已取得城市规划部门批准签发的文件；新建、扩建、改建的城市道路交付使用后5年内、大修的城市道路竣工后3年内不得挖掘，"
        "因特殊情况需要挖掘的，须经县级以上城市人民政府批准。",
        "co": [("GAJ", 10)],
        "policy": "all_agree",
        "promised": 10,
        "result": ("城市道路挖掘许可决定书", "approval_letter", "限于许可载明的地点、面积和期限"),
        "bases": [
            law(
                ROAD_RULES,
                "第三十条",
                "未经市政工程行政主管部门和公安交通管理部门批准，任何单位或者个人不得占用或者挖掘城市道路。",
            ),
            impl(
                ROAD_RULES,
                "第三十三条",
                "因工程建设需要挖掘城市道路的，应当提交城市规划部门批准签发的文件和有关设计文件，经市政工程行政主管部门和公安交通管理部门批准，方可按照规定挖掘。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "城市道路挖掘申请表"),
            mat("M02", "城市规划部门批准签发的文件", form="copy", source="government"),
            mat("M03", "工程设计文件和施工图", medium="electronic"),
            mat("M04", "施工期间交通组织方案", review="公安交管部门审查：占道范围、绕行方案、交通标志设置"),
            mat("M05", "道路修复承诺书", necessity="pledgeable"),
        ],
        "procedures": [proc("site_survey", "挖掘现场联合踏勘", 5, ART45)],
        "fields": [
            fld("location", "挖掘地点", "address"),
            fld("road_grade", "道路等级", "choice", choices="主干路|次干路|支路|人行道"),
            fld("area", "挖掘面积", "area"),
            fld("length", "挖掘长度（米）", "number"),
            fld("start_date", "开始日期", "date"),
            fld("end_date", "结束日期", "date"),
        ],
        "fees": [
            fee(
                "城市道路挖掘修复费",
                None,
                "按挖掘面积和道路等级计收（演示标准）",
                f"{ROAD_RULES}第三十七条：占用或者挖掘由市政工程行政主管部门管理的城市道路的，应当向市政工程行政主管部门交纳城市道路占用费或者城市道路挖掘修复费。",
            )
        ],
        "faqs": [
            faq(
                "新修的路能挖吗？",
                "新建、扩建、改建的城市道路交付使用后5年内、大修的城市道路竣工后3年内不得挖掘；因特殊情况需要挖掘的，须经县级以上城市人民政府批准（《城市道路管理条例》第三十三条）。",
            ),
            faq(
                "为什么要两个部门都同意？",
                "《城市道路管理条例》第三十条规定挖掘城市道路须经市政工程行政主管部门和公安交通管理部门批准，本事项两部门并联会签，任一部门不同意即不予许可。",
            ),
        ],
    },
    {
        "code": "CGJ-J02",
        "dept": "CGJ",
        "name": "临时占用城市道路许可（并联审批）",
        "main": "临时占用城市道路许可",
        "target": "both",
        "themes": "construction,operation",
        "conditions": "因特殊情况需要临时占用城市道路；占用期满后恢复原状。",
        "co": [("GAJ", 7)],
        "policy": "all_agree",
        "promised": 7,
        "depth": 4,
        "visits": 0,
        "result": ("临时占用城市道路许可决定书", "approval_letter", "限于许可载明的期限"),
        "bases": [
            law(
                ROAD_RULES,
                "第三十一条",
                "因特殊情况需要临时占用城市道路的，须经市政工程行政主管部门和公安交通管理部门批准，方可按照规定占用。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "临时占用城市道路申请表"),
            mat("M02", "占道位置平面图", medium="electronic"),
            mat("M03", "安全防护及交通疏导方案", necessity="pledgeable"),
        ],
        "fields": [
            fld("location", "占用地点", "address"),
            fld("area", "占用面积", "area"),
            fld("use", "占用用途", "choice", choices="施工堆料|搭建临时设施|商业促销活动|其他"),
            fld("start_date", "开始日期", "date"),
            fld("end_date", "结束日期", "date"),
        ],
        "faqs": [faq("占道期满怎么办？", "应当在期满前清理现场、恢复原状；需要延长的，应在期满前重新申请。")],
    },
    {
        "code": "CGJ-J03",
        "dept": "CGJ",
        "name": "户外广告设施设置审批（城管主办、交管和规划协办）",
        "main": "户外广告设施设置审批",
        "target": "business",
        "themes": "operation",
        "conditions": "设施内容健康、外型美观；不遮挡路灯、交通信号灯、交通标志，不妨碍安全视距；符合户外广告设置规划。",
        "co": [("GAJ", 10), ("ZRZY", 10)],
        "policy": "lead_decides",
        "promised": 15,
        "result": ("户外广告设施设置许可决定书", "approval_letter", "以许可载明的设置期限为准"),
        "bases": [
            law(
                "《城市市容和环境卫生管理条例》",
                "第十一条",
                "在城市中设置户外广告、标语牌、画廊、橱窗等，应当内容健康、外型美观，并定期维修、油饰或者拆除。"
                "大型户外广告的设置必须征得城市人民政府市容环境卫生行政主管部门同意后，按照有关规定办理审批手续。",
            ),
            impl(
                "《中华人民共和国道路交通安全法》",
                "第二十八条",
                "道路两侧及隔离带上种植的树木或者其他植物，设置的广告牌、管线等，应当与交通设施保持必要的距离，不得遮挡路灯、交通信号灯、交通标志，不得妨碍安全视距，不得影响通行。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "户外广告设施设置申请表"),
            business_licence("M02"),
            mat("M03", "设置场地使用证明或产权人同意设置的证明", form="copy"),
            mat(
                "M04",
                "设施设计效果图、结构图和实景合成图",
                medium="electronic",
                review="规划部门审查与户外广告设置规划的符合性",
            ),
            mat("M05", "结构安全检测报告", source="intermediary", necessity="pledgeable"),
        ],
        "procedures": [proc("site_survey", "设置地点现场踏勘", 5, ART45)],
        "fields": [
            fld(
                "facility_kind",
                "设施类型",
                "choice",
                choices="大型立柱广告|屋顶广告|墙面广告|电子显示屏|门头招牌",
            ),
            fld("location", "设置地点", "address"),
            fld("area", "广告面积", "area"),
            fld("years", "设置期限（年）", "number"),
            fld("near_road", "是否临近道路", "boolean", required=False),
        ],
        "faqs": [
            faq(
                "交管部门不同意怎么办？",
                "交管部门的意见供主办部门参考；不同意且说明理由的（如遮挡交通标志），主办部门可以不予许可，或要求申请人调整设置方案后继续办理。",
            ),
        ],
    },
    {
        "code": "ZRZY-J01",
        "dept": "ZRZY",
        "name": "建设工程规划许可证核发（并联征求意见）",
        "main": "建设工程规划许可",
        "target": "business",
        "themes": "construction",
        "conditions": "已取得建设用地规划许可证和土地使用权；建设工程设计方案符合控制性详细规划和规划条件。",
        "co": [("ZJJ", 10), ("STHJ", 10)],
        "policy": "lead_decides",
        "promised": 15,
        "result": (
            "建设工程规划许可证",
            "licence",
            "一年内未开工建设且未申请延期的，许可自行失效（以地方规定为准）",
        ),
        "bases": [
            law(
                "《中华人民共和国城乡规划法》",
                "第四十条",
                "在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当向城市、县人民政府城乡规划主管部门"
                "或者省、自治区、直辖市人民政府确定的镇人民政府申请办理建设工程规划许可证。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "建设工程规划许可申请表"),
            mat("M02", "使用土地的有关证明文件", form="copy", source="government"),
            mat("M03", "建设工程设计方案", medium="electronic", source="intermediary"),
            mat("M04", "建设工程总平面图", medium="electronic"),
            mat("M05", "利害关系人意见征询材料", necessity="pledgeable"),
        ],
        "procedures": [
            proc("hearing", "规划许可听证", 20, ART47_HEARING),
            proc("expert_review", "设计方案专家论证", 15, ART45),
        ],
        "fields": [
            fld("project_name", "项目名称"),
            fld("site", "建设位置", "address"),
            fld("floor_area", "总建筑面积", "area"),
            fld("plot_ratio", "容积率", "number"),
        ],
        "faqs": [
            faq(
                "什么情况下会举行听证？",
                "规划许可直接涉及申请人与他人之间重大利益关系的，申请人、利害关系人可以在被告知听证权利之日起五日内提出听证申请，听证时间不计入审批时限。",
            )
        ],
    },
    {
        "code": "GAJ-J01",
        "dept": "GAJ",
        "name": "开办宾馆“一件事”（特种行业许可、公共场所卫生许可、消防安全检查）",
        "main": "开办宾馆一件事",
        "target": "business",
        "themes": "startup",
        "conditions": "已取得营业执照；场所符合治安、卫生和消防安全条件。",
        "co": [("WJW", 10), ("XFZD", 10)],
        "policy": "independent",
        "promised": 15,
        "result": (
            "特种行业许可证、公共场所卫生许可证、消防安全检查意见书",
            "licence",
            "各证照有效期分别计算",
        ),
        "bases": [
            law(
                "《旅馆业治安管理办法》",
                "第四条",
                "申请开办旅馆，应当向所在地县级人民政府公安机关申请特种行业许可证。",
            ),
            law(
                "《公共场所卫生管理条例》",
                "第八条",
                "公共场所经营单位应当及时向卫生行政部门申请办理“卫生许可证”。",
            ),
            law(
                "《中华人民共和国消防法》",
                "第十五条",
                "公众聚集场所在投入使用、营业前，应当向消防救援机构申请消防安全检查。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "开办宾馆“一件事”联办申请表"),
            business_licence("M02"),
            identity("M03"),
            premises("M04"),
            mat("M05", "治安保卫制度及安全管理人员名单"),
            mat("M06", "卫生设施平面布局图及卫生检测报告", source="intermediary", necessity="pledgeable"),
            mat("M07", "消防安全制度、灭火和应急疏散预案、消防设施平面图"),
        ],
        "procedures": [proc("inspection", "治安、卫生、消防联合现场检查", 10, ART45)],
        "fields": [
            fld("hotel_name", "宾馆名称"),
            fld("address", "地址", "address"),
            fld("floor_area", "建筑面积", "area"),
            fld("rooms", "客房数", "number"),
            fld("staff_count", "从业人员数", "number"),
        ],
        "faqs": [
            faq(
                "三个证要分别跑三个部门吗？",
                "不用。综合窗口一次受理，公安、卫生健康、消防部门并联审批、各自作出决定，证照统一送达。",
            ),
            faq("其中一个部门不批，其他证还能拿到吗？", "能。本事项各部门独立决定，分别告知申请人。"),
        ],
    },
    {
        "code": "SJJ-J01",
        "dept": "SJJ",
        "name": "开办餐饮店“一件事”（食品经营许可、店招设置、排水许可）",
        "main": "开办餐饮店一件事",
        "target": "business",
        "themes": "startup",
        "conditions": "已取得营业执照；经营场所符合食品安全、市容和排水要求。",
        "co": [("CGJ", 7), ("ZJJ", 10)],
        "policy": "independent",
        "promised": 10,
        "result": (
            "食品经营许可证、店招设置意见、城镇污水排入排水管网许可证",
            "licence",
            "各证照有效期分别计算",
        ),
        "bases": [
            law("《中华人民共和国食品安全法》", "第三十五条", "从事食品销售、餐饮服务，应当依法取得许可。"),
            law(
                "《城市市容和环境卫生管理条例》",
                "第十一条",
                "在城市中设置户外广告、标语牌、画廊、橱窗等，应当内容健康、外型美观。",
            ),
            law(
                "《城镇排水与污水处理条例》",
                "第二十一条",
                "从事餐饮等活动的排水户向城镇排水设施排放污水的，应当申请领取污水排入排水管网许可证。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "开办餐饮店“一件事”联办申请表"),
            business_licence("M02"),
            identity("M03"),
            premises("M04"),
            mat("M05", "经营场所平面布局图和设备布局、工艺流程图"),
            mat("M06", "店招效果图", medium="electronic"),
            mat("M07", "隔油设施和排水管网图纸", necessity="pledgeable"),
        ],
        "procedures": [
            proc(
                "inspection", "经营场所现场核查", 10, "《中华人民共和国食品安全法》第三十五条第二款；" + ART45
            )
        ],
        "fields": [
            fld("shop_name", "店铺名称"),
            fld("address", "经营场所", "address"),
            fld("business_area", "经营面积", "area"),
            fld("seats", "就餐座位数", "number"),
            fld(
                "business_items",
                "经营项目",
                "choice",
                choices="热食类食品制售|冷食类食品制售|生食类食品制售|自制饮品制售",
            ),
        ],
        "faqs": [
            faq(
                "开餐馆还要办卫生许可证吗？", "不需要。饭馆的公共场所卫生许可已经取消，办理食品经营许可即可。"
            )
        ],
    },
    {
        "code": "ZJJ-J01",
        "dept": "ZJJ",
        "name": "建设工程竣工联合验收（消防验收与规划核实）",
        "main": "建设工程竣工联合验收",
        "target": "business",
        "themes": "construction",
        "conditions": "工程已按设计和合同完成；建设单位已组织竣工验收。",
        "co": [("ZRZY", 10)],
        "policy": "all_agree",
        "promised": 12,
        "result": ("建设工程联合验收意见书", "approval_letter", ""),
        "bases": [
            law(
                "《中华人民共和国城乡规划法》",
                "第四十五条",
                "县级以上地方人民政府城乡规划主管部门按照国务院规定对建设工程是否符合规划条件予以核实。未经核实或者经核实不符合规划条件的，建设单位不得组织竣工验收。",
            ),
            law(
                "《中华人民共和国消防法》",
                "第十三条",
                "依法应当进行消防验收的建设工程，未经消防验收或者消防验收不合格的，禁止投入使用。",
            ),
            impl(
                "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》（国办发〔2019〕11号）",
                "",
                "实行规划、土地、消防、人防、档案等事项限时联合验收，统一竣工验收图纸和验收标准，统一出具验收意见。",
            ),
            JOINT_LIMIT,
        ],
        "materials": [
            application("M01", "建设工程竣工联合验收申请表"),
            mat("M02", "工程竣工验收报告", form="copy"),
            mat("M03", "竣工图纸（含消防）", medium="electronic"),
            mat("M04", "建设工程竣工规划核实测量成果", source="intermediary", necessity="pledgeable"),
        ],
        "procedures": [proc("inspection", "联合现场验收", 5, ART45)],
        "fields": [
            fld("project_name", "工程名称"),
            fld("site", "建设地址", "address"),
            fld("floor_area", "总建筑面积", "area"),
        ],
        "faqs": [
            faq(
                "联合验收有一项不合格怎么办？",
                "联合验收须各部门均合格方可通过；任一部门出具不合格意见的，整改后重新申请。",
            )
        ],
    },
]

ITEMS: list[dict] = (
    _MARKET_ITEMS
    + _CONSTRUCTION_ITEMS
    + _HEALTH_AND_CITY_ITEMS
    + _PUBLIC_SECURITY_ITEMS
    + _TRANSPORT_CULTURE_FIRE_ITEMS
    + _PLANNING_ENV_SOCIAL_ITEMS
    + _JOINT_ITEMS
)

# Items that get a second version in force from SECOND_VERSION_FROM, to demonstrate versioning.
SECOND_VERSIONS: dict[str, dict] = {
    "SJJ-001": {
        "fields": {"promised_limit_days": 5},
        "faqs": [
            faq("2026年起承诺时限有变化吗？", "自2026年1月1日起，本事项承诺时限由7个工作日压缩至5个工作日。")
        ],
    },
    "SJJ-002": {
        "fields": {"online_depth": ItemVersion.OnlineDepth.FULL, "visits_required": 0, "channel_post": False},
        "faqs": [
            faq(
                "2026年起还需要到窗口吗？",
                "自2026年1月1日起，个体工商户设立登记全程网办，营业执照可选择电子营业执照或免费寄递，无需到现场。",
            )
        ],
    },
}


# --- loading -------------------------------------------------------------------------------------


def implementation_code(code: str) -> str:
    return f"{REGION_CODE}-{code}"


@dataclass
class CatalogLoadResult:
    departments: int = 0
    items: int = 0
    versions: int = 0

    @property
    def created(self) -> int:
        return self.departments + self.items + self.versions


def load_demo_catalog() -> CatalogLoadResult:
    """Create the missing part of the demo catalog, all in one transaction; never touch existing rows."""
    result = CatalogLoadResult()
    with transaction.atomic():
        departments = _ensure_departments(result)
        codes = [implementation_code(spec["code"]) for spec in ITEMS]
        existing = set(Item.objects.filter(code__in=codes).values_list("code", flat=True))
        for spec in ITEMS:
            if implementation_code(spec["code"]) in existing:
                continue
            _create_item(spec, departments)
            result.items += 1
            result.versions += 1
        for code, change in SECOND_VERSIONS.items():
            if _ensure_second_version(code, change):
                result.versions += 1
    return result


def _ensure_departments(result: CatalogLoadResult) -> dict[str, Department]:
    rows = department_rows()
    by_code = {d.code: d for d in Department.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        if row["code"] not in by_code:
            by_code[row["code"]] = Department.objects.create(**row)
            result.departments += 1
    return {key: by_code[dept_code(key)] for key, *_ in _DEPARTMENTS}


def version_fields(spec: dict, departments: dict[str, Department]) -> dict[str, Any]:
    """The ItemVersion field values of one item spec (joint items get the Art. 42 para. 2 limits)."""
    joint = bool(spec.get("co"))
    item_type = spec.get("type", ItemVersion.ItemType.LICENCE)
    extension = JOINT_EXTENSION_DAYS if joint else spec.get("extension", 10)
    channels = set(spec.get("channels", "online,window").split(","))
    dept = departments[spec["dept"]]
    result_name, result_type, result_validity = spec["result"]
    return {
        "name": spec["name"],
        "item_type": item_type,
        "main_item_name": spec.get("main", ""),
        "sub_item_name": spec.get("sub", ""),
        "situation": spec.get("situation", ItemVersion.Situation.NEW),
        "target": spec["target"],
        "themes": spec["themes"],
        "department": dept,
        "is_joint": joint,
        "join_policy": spec["policy"] if joint else "",
        "two_level_approval": joint or item_type == ItemVersion.ItemType.LICENCE,
        "acceptance_conditions": spec.get("conditions", ""),
        "quantity_limit": spec.get("quantity", ""),
        "acceptance_limit_days": 5,
        "statutory_limit_days": JOINT_STATUTORY_DAYS if joint else spec["statutory"],
        "promised_limit_days": spec["promised"],
        "extension_allowed": extension is not None,
        "extension_days": extension or 0,
        "fee_required": bool(spec.get("fees")),
        "channel_online": "online" in channels,
        "channel_window": "window" in channels,
        "channel_post": "post" in channels,
        "online_depth": spec.get("depth", ItemVersion.OnlineDepth.APPLY),
        "visits_required": spec.get("visits", 1),
        "address": dept.address,
        "office_hours": dept.office_hours,
        "enquiry_phone": dept.phone,
        "complaint_phone": dept.complaint_phone,
        "result_name": result_name,
        "result_type": result_type,
        "result_validity": result_validity,
    }


def _create_item(spec: dict, departments: dict[str, Department]) -> ItemVersion:
    code = spec["code"]
    item = Item.objects.create(code=implementation_code(code), basic_code=f"DEMO-{code}")
    version = ItemVersion.objects.create(item=item, version=1, **version_fields(spec, departments))

    def rows(model, entries):
        return [model(version=version, position=pos, **entry) for pos, entry in enumerate(entries)]

    CoDepartment.objects.bulk_create(
        [
            CoDepartment(version=version, position=pos, department=departments[key], step_limit_days=days)
            for pos, (key, days) in enumerate(spec.get("co", ()))
        ]
    )
    LegalBasis.objects.bulk_create(rows(LegalBasis, spec["bases"]))
    MaterialRequirement.objects.bulk_create(rows(MaterialRequirement, spec["materials"]))
    SpecialProcedure.objects.bulk_create(rows(SpecialProcedure, spec.get("procedures", ())))
    Fee.objects.bulk_create(rows(Fee, spec.get("fees", ())))
    FAQ.objects.bulk_create(rows(FAQ, spec.get("faqs", ())))
    FormField.objects.bulk_create(rows(FormField, spec.get("fields", ())))
    return services.publish(version.pk, effective_from=EFFECTIVE_FROM)


def _ensure_second_version(code: str, change: dict) -> bool:
    item = Item.objects.get(code=implementation_code(code))
    if item.versions.filter(version__gte=2).exists():
        return False
    draft = services.new_version(item.pk)
    for field, value in change.get("fields", {}).items():
        setattr(draft, field, value)
    draft.save()
    start = draft.faqs.count()
    FAQ.objects.bulk_create(
        [FAQ(version=draft, position=start + n, **entry) for n, entry in enumerate(change.get("faqs", ()))]
    )
    services.publish(draft.pk, effective_from=SECOND_VERSION_FROM)
    return True
