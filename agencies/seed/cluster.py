"""The real structure of the 宜荆荆恩 city cluster: regions by GB/T 2260 code
(see ../shared/domain.md) and each city's IP-protection agencies.

Plain data: the loader (agencies/seed/load.py) upserts it.
"""

HUBEI = ("420000", "湖北省", "province", None)

# code, name, level, parent, city abbreviation used in short names
CITIES = [
    ("420500", "宜昌市", "宜"),
    ("421000", "荆州市", "荆"),
    ("420800", "荆门市", "门"),
    ("422800", "恩施土家族苗族自治州", "恩施州"),
]

# Yichang's districts, counties, county-level cities and special zones.
# 宜昌高新区 and 三峡坝区 have no GB/T 2260 code: internal codes.
YICHANG_SUBDIVISIONS = [
    ("420502", "西陵区", "district", "西陵"),
    ("420503", "伍家岗区", "district", "伍家岗"),
    ("420504", "点军区", "district", "点军"),
    ("420505", "猇亭区", "district", "猇亭"),
    ("420506", "夷陵区", "district", "夷陵"),
    ("420525", "远安县", "county", "远安"),
    ("420526", "兴山县", "county", "兴山"),
    ("420527", "秭归县", "county", "秭归"),
    ("420528", "长阳土家族自治县", "county", "长阳"),
    ("420529", "五峰土家族自治县", "county", "五峰"),
    ("420581", "宜都市", "county_city", "宜都"),
    ("420582", "当阳市", "county_city", "当阳"),
    ("420583", "枝江市", "county_city", "枝江"),
    ("YC-GXQ", "宜昌高新区", "special_zone", "高新"),
    ("YC-SXBQ", "三峡坝区", "special_zone", "坝区"),
]

# kind, code suffix, name template ({city} = full city name), short-name suffix.
CITY_AGENCIES = [
    ("court", "FY", "{city}中级人民法院", "中法"),
    ("procuratorate", "JCY", "{city}人民检察院", "检"),
    ("police", "GA", "{city}公安局", "公"),
    ("market_supervision", "SCJG", "{city}市场监督管理局", "市监"),
    ("copyright", "BQ", "{city}版权局", "版"),
    ("culture_tourism", "WL", "{city}文化市场综合执法支队", "文执"),
    ("agriculture", "NY", "{city}农业农村局", "农"),
    ("forestry", "LY", "{city}林业局", "林"),
    ("commerce", "SW", "{city}商务局", "商"),
    ("cyberspace", "WX", "中共{city}委网络安全和信息化委员会办公室", "网信"),
    ("justice", "SF", "{city}司法局", "司"),
    ("mediation", "TJ", "{city}知识产权纠纷人民调解委员会", "知调"),
    ("notary", "GZ", "{city}公证处", "公证"),
]

# Where a city's agency has a name that the template does not give.
NAME_OVERRIDES = {
    # Yichang's market supervision bureau is also its IP office.
    "420500-SCJG": "宜昌市市场监督管理局（宜昌市知识产权局）",
    "420500-LY": "宜昌市林业和园林局",
    "422800-WX": "中共恩施州委网络安全和信息化委员会办公室",
}

# Agencies that are not one per city by the template.
CUSTOMS = [
    ("420500-HG", "宜昌海关", "宜关", "420500"),
    ("421000-HG", "荆州海关", "荆关", "421000"),
    ("420800-HG", "荆门海关", "门关", "420800"),
    ("422800-HG", "恩施海关", "恩关", "422800"),
]
ARBITRATION = [
    ("420500-ZC", "宜昌仲裁委员会", "宜仲", "420500"),
    ("421000-ZC", "荆州仲裁委员会", "荆仲", "421000"),
    ("420800-ZC", "荆门仲裁委员会", "门仲", "420800"),
    ("422800-ZC", "恩施仲裁委员会", "恩仲", "422800"),
]
IP_PROTECTION_CENTRES = [
    ("420500-BHZX", "宜昌市知识产权保护中心", "宜知保", "420500"),
]


def yichang_county_agencies():
    """County-level market supervision and police in Yichang, under the city
    bureaus. Districts and special zones have branch bureaus (分局) of the
    city police; counties and county-level cities have their own."""
    for code, name, level, short in YICHANG_SUBDIVISIONS:
        if level == "special_zone":
            market = (f"{code}-SCJG", f"宜昌市市场监督管理局{name.removeprefix('宜昌')}分局", f"{short}市监")
        elif level == "district":
            market = (f"{code}-SCJG", f"宜昌市{name}市场监督管理局", f"{short}市监")
        else:
            market = (f"{code}-SCJG", f"{name}市场监督管理局", f"{short}市监")
        if level in {"district", "special_zone"}:
            police = (f"{code}-GA", f"宜昌市公安局{name.removeprefix('宜昌')}分局", f"{short}公")
        else:
            police = (f"{code}-GA", f"{name}公安局", f"{short}公")
        yield ("market_supervision", *market, code, "420500-SCJG")
        yield ("police", *police, code, "420500-GA")


def regions():
    """(code, name, level, parent code, has GB code) in parent-first order."""
    yield (*HUBEI, True)
    for code, name, _ in CITIES:
        yield (code, name, "city", "420000", True)
    for code, name, level, _ in YICHANG_SUBDIVISIONS:
        yield (code, name, level, "420500", code.isdigit())


def agencies():
    """(kind, code, name, short name, region code, parent code) parent-first."""
    for city_code, city, abbr in CITIES:
        for kind, suffix, template, short_suffix in CITY_AGENCIES:
            code = f"{city_code}-{suffix}"
            yield (kind, code, NAME_OVERRIDES.get(code, template.format(city=city)), abbr + short_suffix, city_code, None)
    for kind, rows in (("customs", CUSTOMS), ("arbitration", ARBITRATION), ("ip_protection_centre", IP_PROTECTION_CENTRES)):
        for code, name, short, region in rows:
            yield (kind, code, name, short, region, None)
    yield from yichang_county_agencies()
