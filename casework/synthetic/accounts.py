"""The named demo accounts: who each is, what signing in as them shows, and the details
their stories need (a lapsed registration, an MHO, a newly qualified worker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework import permissions as perm
from casework.synthetic.plan import Award
from casework.synthetic.scales import ADULT, CHILDREN
from casework.vocab import ServiceArea

DEMO_PASSWORD = "casework-demo"
Role = perm.Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: perm.Role
    shows: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Administrator", Role.ADMINISTRATOR,
                "Teams, staff, passwords and reserved-function rules; no case content."),
    DemoAccount("tl.macleod", "Fiona MacLeod", Role.TEAM_LEADER,
                "Team leader of Riverside Adult Team: the team's caseload, its unallocated "
                "queue and allocation; holds about 8 cases herself."),
    DemoAccount("sw.campbell", "Ewan Campbell", Role.SOCIAL_WORKER,
                "A full adult caseload; registered, qualified 2016, accredited ASP council officer."),
    DemoAccount("sw.nowak", "Łukasz Nowak", Role.SOCIAL_WORKER,
                "Newly qualified (about four months): a small protected caseload; too little "
                "experience for MHO or ASP council officer work."),
    DemoAccount("sw.nibhriain", "Siobhán Ní Bhriain", Role.SOCIAL_WORKER,
                "Mental Health Officer (qualified 2012): may carry out MHO functions."),
    DemoAccount("sw.reid", "Alan Reid", Role.SOCIAL_WORKER,
                "SSSC registration lapsed about two months ago: holds cases but every reserved "
                "function is refused."),
    DemoAccount("pp.kerr", "Jamie Kerr", Role.PARA_PROFESSIONAL,
                "Para-professional (SSSC social service worker part): directed tasks only; "
                "never reserved work."),
    DemoAccount("pp.singh", "Priya Singh", Role.PARA_PROFESSIONAL,
                "Para-professional, part time, in the adult team."),
    DemoAccount("sm.douglas", "Helen Douglas", Role.SERVICE_MANAGER,
                "Service manager of both Riverside teams: sees across them."),
    DemoAccount("tl.baird", "Morag Baird", Role.TEAM_LEADER,
                "Team leader of Riverside Children and Families Team."),
)

DEMO_LOCALITY = "Riverside"


@dataclass(frozen=True)
class NamedDetail:
    """What the demo needs of each named account beyond DEMO_ACCOUNTS, dates relative to as_of
    where the story depends on them (a registration that lapsed two months ago stays lapsed)."""

    area: ServiceArea | None  # the Riverside team they belong to; None for the service manager
    qualified: date | None = None
    qualified_months_ago: int | None = None
    lapsed_days_ago: int | None = None
    accreditations: tuple[Award, ...] = ()
    fte: int = 100
    caseload: int | None = None


NAMED_DETAILS: dict[str, NamedDetail] = {
    "tl.macleod": NamedDetail(ADULT, qualified=date(2008, 6, 27), caseload=8),
    "sw.campbell": NamedDetail(
        ADULT, qualified=date(2016, 6, 24),
        accreditations=((perm.Accreditation.ASP_COUNCIL_OFFICER, date(2018, 3, 9)),)),
    "sw.nowak": NamedDetail(ADULT, qualified_months_ago=4, caseload=8),
    "sw.nibhriain": NamedDetail(
        ADULT, qualified=date(2012, 6, 29), fte=80,
        accreditations=((perm.Accreditation.MHO, date(2015, 5, 15)),)),
    "sw.reid": NamedDetail(ADULT, qualified=date(2004, 6, 25), lapsed_days_ago=61),
    "pp.kerr": NamedDetail(ADULT),
    "pp.singh": NamedDetail(ADULT, fte=60),
    "sm.douglas": NamedDetail(None, qualified=date(1997, 6, 27)),
    "tl.baird": NamedDetail(CHILDREN, qualified=date(2006, 6, 30), caseload=7),
}


def named_area(a: DemoAccount) -> ServiceArea | None:
    d = NAMED_DETAILS.get(a.username)
    return d.area if d else None
