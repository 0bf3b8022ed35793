"""The search tests' corpus, for the API and the web page alike: two cases
of mine (宜昌; a trademark case in the 铁拳 campaign, a design patent case)
and one of 荆州's (a copyright case whose title also says 商标), indexed."""

from casehub.events.worker import drain
from search.backends import get_backend
from tests.factories import Office, jingzhou_office, make_case


def indexed():
    drain()
    get_backend().refresh()


def two_offices_indexed() -> tuple[Office, Office]:
    mine, theirs = Office(), jingzhou_office()
    make_case(mine, title="销售假冒注册商标的白酒案", campaign="铁拳")
    make_case(mine, title="侵犯外观设计专利权案", ip_type="design_patent", facts="仿制他人外观设计的灯具")
    make_case(theirs, title="荆州假冒注册商标的茶叶案", ip_type="copyright")
    indexed()
    return mine, theirs
