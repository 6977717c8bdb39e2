"""Requests and swaps (issue 15): an engineer files, the colleague answers, the manager decides.

The flow of one request:
- leave (请假) and a shift preference (班次意愿): filed → awaiting the manager;
- swap (换班) with a named colleague: filed → awaiting the colleague → accepted → awaiting the
  manager (or declined, which ends it);
- the manager approves or refuses; the requester may withdraw before the decision.

Before the manager decides, `assess` re-checks the change the request would make with the
independent validator: the actual roster of the month with the change applied, against every
hard rule, and the coverage it would lose. An approved swap or leave on published dates becomes a
record in the store (kind swap / leave) in the same transaction as the approval, so the actual
roster, both people's calendars and the audit trail show it at once. Leave on dates nobody has
published yet, and preferences, are approved as requests: they are what the next plan must know
(listed by `approved_for_planning`).

A request never changes once filed; each step is a `request_events` row (planner.store.schema).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from calendars import daterange
from models.errors import InputError
from models.scenario import Absence, Request, Scenario
from planner.check.validate import SlotResult, Violation, validate
from planner.problem.instance import Instance
from planner.reports.ics import person_calendars
from planner.store import service
from planner.store.accounts import (
    ROLE_ZH,
    AccountInfo,
    AuditInfo,
    LoginResult,
    add_account,
    audit,
    audit_events,
    disable_account,
    disable_departed,
    get_account,
    has_accounts,
    list_accounts,
    log_event,
    login,
    set_password,
)
from planner.store.db import Store
from planner.store.passwords import LOCK_MINUTES, MAX_AGE_DAYS, RULE_WORDS, PasswordRefused
from planner.store.schema import REQUEST_KINDS, RequestEvent, TeamRequest
from planner.store.service import NewRecord, RecordInfo
from planner.workflows.actual import actual_with_scenario

# The accounts' side, for the CLI and the app (they reach the store through workflows only).
__all__ = [
    "ROLE_ZH", "AccountInfo", "AuditInfo", "LoginResult", "PasswordRefused", "RULE_WORDS", "LOCK_MINUTES",
    "MAX_AGE_DAYS", "add_account", "audit", "audit_events", "disable_account", "disable_departed",
    "get_account", "has_accounts", "list_accounts", "login", "set_password",
    "RequestInfo", "Assessment", "requests", "get_request", "file_request", "answer", "withdraw", "assess",
    "decide", "approved_for_planning", "POLICY_SHOWN", "create_first_manager", "person_month",
    "published_month", "with_approved_requests",
]  # fmt: skip

# The rules a new password is told about before it is typed (reuse and length caps come up
# only when they apply).
POLICY_SHOWN = ("length", "upper", "lower", "digit", "special", "sequence", "personal", "reuse")


def create_first_manager(store: Store, username: str, password: str) -> AccountInfo:
    """The app's first run on this machine: the manager's account, when there is none yet."""
    return add_account(store, username, "manager", password, by=username, first=True)


KIND_ZH = {"leave": "请假", "preference": "班次意愿", "swap": "换班"}
STATE_ZH = {
    "awaiting_partner": "待同事确认",
    "awaiting_manager": "待经理审批",
    "declined": "同事已拒绝",
    "approved": "已批准",
    "refused": "已拒绝",
    "withdrawn": "已撤回",
}
WISH_ZH = {"on": "希望上", "off": "希望不上"}
FINAL = ("declined", "approved", "refused", "withdrawn")
# A request covers at most a month: longer leave is planned with the manager, not filed here.
MAX_DAYS = 31


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class EventInfo:
    action: str  # accept, decline, approve, refuse, withdraw
    actor: str
    at: dt.datetime
    note: str
    record_id: int | None


@dataclass(frozen=True)
class RequestInfo:
    id: int
    kind: str
    staff_id: str
    other_staff_id: str | None
    start: dt.date
    end: dt.date
    shift: str | None
    wish: str | None
    reason: str  # personal data: shown to the requester and the manager only
    created_by: str
    created_at: dt.datetime
    events: tuple[EventInfo, ...] = field(default=())

    @property
    def state(self) -> str:
        actions = [e.action for e in self.events]
        for action, state in (
            ("withdraw", "withdrawn"),
            ("approve", "approved"),
            ("refuse", "refused"),
            ("decline", "declined"),
        ):
            if action in actions:
                return state
        if self.kind == "swap" and "accept" not in actions:
            return "awaiting_partner"
        return "awaiting_manager"

    @property
    def record_id(self) -> int | None:
        return next((e.record_id for e in self.events if e.record_id is not None), None)

    def involves(self, staff_id: str | None) -> bool:
        return staff_id is not None and staff_id in (self.staff_id, self.other_staff_id)

    def new_record(self, recorded_by: str) -> NewRecord:
        """The store record an approval makes (leave and swap only)."""
        assert self.kind in ("leave", "swap")
        return NewRecord(
            kind=self.kind,
            staff_id=self.staff_id,
            start=self.start,
            end=self.end,
            recorded_by=recorded_by,
            reason=f"申请 #{self.id}：{self.reason}".strip("："),
            other_staff_id=self.other_staff_id,
        )


def _request_info(row: TeamRequest, events: list[RequestEvent]) -> RequestInfo:
    return RequestInfo(
        id=row.id,
        kind=row.kind,
        staff_id=row.staff_id,
        other_staff_id=row.other_staff_id,
        start=row.start_date,
        end=row.end_date,
        shift=row.shift,
        wish=row.wish,
        reason=row.reason,
        created_by=row.created_by,
        created_at=_aware(row.created_at),
        events=tuple(EventInfo(e.action, e.actor, _aware(e.at), e.note, e.record_id) for e in events),
    )


def _load(session, query) -> list[RequestInfo]:
    rows = session.scalars(query).all()
    ids = [r.id for r in rows]
    events: dict[int, list[RequestEvent]] = {i: [] for i in ids}
    if ids:
        for e in session.scalars(
            sa.select(RequestEvent).where(RequestEvent.request_id.in_(ids)).order_by(RequestEvent.id)
        ):
            events[e.request_id].append(e)
    return [_request_info(r, events[r.id]) for r in rows]


def requests(store: Store, staff_id: str | None = None, state: str | None = None) -> list[RequestInfo]:
    """Every request (newest first), or those a person filed or is the partner of."""
    query = sa.select(TeamRequest).order_by(TeamRequest.id.desc())
    if staff_id is not None:
        query = query.where(sa.or_(TeamRequest.staff_id == staff_id, TeamRequest.other_staff_id == staff_id))
    with store.read() as session:
        found = _load(session, query)
    return [r for r in found if state is None or r.state == state]


def get_request(store: Store, request_id: int) -> RequestInfo:
    with store.read() as session:
        found = _load(session, sa.select(TeamRequest).where(TeamRequest.id == request_id))
    if not found:
        raise InputError(f"申请 #{request_id}: 不存在 (no such request)")
    return found[0]


# -- filing and answering ----------------------------------------------------------------------
def file_request(
    store: Store,
    account: AccountInfo,
    kind: str,
    start: dt.date,
    end: dt.date,
    *,
    other_staff_id: str | None = None,
    shift: str | None = None,
    wish: str | None = None,
    reason: str = "",
) -> RequestInfo:
    """File a request for the account's own staff id."""
    if account.staff_id is None:
        raise InputError(f"账户 {account.username}: 未关联工号，不能提交申请 (the account names no staff id)")
    if kind not in REQUEST_KINDS:
        raise InputError(f"申请类型 {kind}: 可选 {', '.join(REQUEST_KINDS)} (unknown kind)")
    if end < start:
        raise InputError(f"结束日期 {end} 早于开始日期 {start} (an impossible date range)")
    if (end - start).days + 1 > MAX_DAYS:
        raise InputError(f"{start} 至 {end}: 一次申请最多 {MAX_DAYS} 天 (at most {MAX_DAYS} days)")
    if kind == "swap":
        if not other_staff_id:
            raise InputError("换班须指定同事 (a swap names the colleague)")
        if other_staff_id == account.staff_id:
            raise InputError("不能与自己换班 (a swap needs two different people)")
    else:
        other_staff_id = None
    if kind == "preference":
        if wish not in WISH_ZH:
            raise InputError(f"意愿 {wish}: 可选 on（希望上）或 off（希望不上）")
    else:
        shift, wish = None, None
    if kind == "swap":
        if service.version_in_force(store, start) is None:
            raise InputError(f"{start}: 这一天还没有已发布的排班，无可交换 (nothing published to swap)")
        # Refuse at once what can never be recorded (nothing to swap, a missing skill).
        service.check_record(
            store, NewRecord("swap", account.staff_id, start, end, account.username, reason, other_staff_id)
        )
    with store.write() as session:
        row = TeamRequest(
            kind=kind,
            staff_id=account.staff_id,
            other_staff_id=other_staff_id,
            start_date=start,
            end_date=end,
            shift=shift,
            wish=wish,
            reason=reason,
            created_by=account.username,
            created_at=_now(),
        )
        session.add(row)
        session.flush()
        partner = f" with {other_staff_id}" if other_staff_id else ""
        log_event(
            session, account.username, "request_file", f"request #{row.id}", f"{kind} {start}..{end}{partner}"
        )
        return _request_info(row, [])


def _step(
    store: Store, account: AccountInfo, request_id: int, action: str, note: str, allowed: tuple[str, ...]
) -> RequestInfo:
    with store.write() as session:
        found = _load(session, sa.select(TeamRequest).where(TeamRequest.id == request_id))
        if not found:
            raise InputError(f"申请 #{request_id}: 不存在 (no such request)")
        current = found[0]
        if current.state not in allowed:
            raise InputError(
                f"申请 #{request_id}: 当前状态为「{STATE_ZH[current.state]}」，不能{ACTION_ZH[action]}"
            )
        session.add(
            RequestEvent(request_id=request_id, action=action, actor=account.username, at=_now(), note=note)
        )
        log_event(session, account.username, f"request_{action}", f"request #{request_id}", note[:200])
    return get_request(store, request_id)


ACTION_ZH = {"accept": "同意", "decline": "拒绝", "approve": "批准", "refuse": "驳回", "withdraw": "撤回"}


def answer(store: Store, account: AccountInfo, request_id: int, accept: bool, note: str = "") -> RequestInfo:
    """The named colleague accepts or declines a swap."""
    current = get_request(store, request_id)
    if current.kind != "swap" or account.staff_id != current.other_staff_id:
        raise InputError(
            f"申请 #{request_id}: 只有被邀请换班的同事可以答复 (only the named colleague answers)"
        )
    return _step(store, account, request_id, "accept" if accept else "decline", note, ("awaiting_partner",))


def withdraw(store: Store, account: AccountInfo, request_id: int) -> RequestInfo:
    current = get_request(store, request_id)
    if account.staff_id != current.staff_id:
        raise InputError(f"申请 #{request_id}: 只有申请人可以撤回 (only the requester withdraws)")
    return _step(store, account, request_id, "withdraw", "", ("awaiting_partner", "awaiting_manager"))


# -- the manager's check and decision ----------------------------------------------------------
@dataclass
class Assessment:
    """What approving a request would do to the actual roster."""

    published: bool  # a published roster covers the request's first date
    blocked: str | None = None  # why the change cannot be recorded at all
    new_violations: list[Violation] = field(default_factory=list)  # hard rules it would break
    lost_coverage: list[tuple[SlotResult, SlotResult]] = field(default_factory=list)  # (before, after)
    moved: int = 0  # assignments that change hands or go

    @property
    def clean(self) -> bool:
        return self.blocked is None and not self.new_violations and not self.lost_coverage


def _violation_key(v: Violation) -> tuple:
    return (v.rule, v.staff_id, v.date, v.shift, v.message)


def assess(store: Store, request: RequestInfo) -> Assessment:
    """Re-check with the validator the actual roster as it would be after approval."""
    if request.kind == "preference":
        return Assessment(published=service.version_in_force(store, request.start) is not None)
    version = service.version_in_force(store, request.start)
    if version is None:
        return Assessment(published=False)
    new = request.new_record("assessment")
    try:
        new = service.check_record(store, new)
    except InputError as exc:
        return Assessment(published=True, blocked=str(exc))
    scenario = service.version_scenario(store, version.id)
    actual = service.actual_roster(store, version.start, version.end)
    history = service.history_roster(store, scenario, version.start)
    proposed = RecordInfo(
        id=2**62,  # after every stored record
        version_id=version.id,
        kind=new.kind,
        staff_id=new.staff_id,
        other_staff_id=new.other_staff_id,
        start=max(new.start, version.start),
        end=min(new.end, version.end),
        shift=None,
        role=None,
        recorded_by="assessment",
        recorded_at=_now(),
        reason="",
    )
    after, _, _ = service.apply_records(actual.roster.assignments, actual.version_by_date, [proposed])

    def known(rows):
        return tuple(
            a for a in rows if a.staff_id in scenario.staff_by_id and a.shift in scenario.shifts_by_id
        )

    instance = Instance(scenario, version.start, version.end, history)
    before_report = validate(
        instance, actual.roster.model_copy(update={"assignments": known(actual.roster.assignments)})
    )
    after_report = validate(instance, actual.roster.model_copy(update={"assignments": known(after)}))
    seen = {_violation_key(v) for v in before_report.hard_violations}
    lost = [
        (b, a)
        for b, a in zip(before_report.slots, after_report.slots, strict=True)
        if a.shortfall > b.shortfall
    ]
    moved = len(set(actual.roster.assignments) ^ set(after)) // (2 if request.kind == "swap" else 1)
    return Assessment(
        published=True,
        new_violations=[v for v in after_report.hard_violations if _violation_key(v) not in seen],
        lost_coverage=lost,
        moved=moved,
    )


def decide(store: Store, manager: AccountInfo, request_id: int, approve: bool, note: str = "") -> RequestInfo:
    """Approve or refuse. An approved swap or leave on published dates is recorded in the store
    in the same transaction as the approval; the rest is approved for the next plan."""
    if manager.role != "manager":
        raise InputError(f"账户 {manager.username}: 只有服务经理可以审批 (only the manager decides)")
    if not approve:
        return _step(store, manager, request_id, "refuse", note, ("awaiting_manager",))
    with store.write() as session:
        found = _load(session, sa.select(TeamRequest).where(TeamRequest.id == request_id))
        if not found:
            raise InputError(f"申请 #{request_id}: 不存在 (no such request)")
        current = found[0]
        if current.state != "awaiting_manager":
            raise InputError(f"申请 #{request_id}: 当前状态为「{STATE_ZH[current.state]}」，不能批准")
        record_id = None
        if current.kind in ("leave", "swap") and _published(session, current.start):
            record_id = service.add_record_in(session, current.new_record(manager.username)).record.id
        session.add(
            RequestEvent(
                request_id=request_id,
                action="approve",
                actor=manager.username,
                at=_now(),
                note=note,
                record_id=record_id,
            )
        )
        target = f" -> record #{record_id}" if record_id else " (for the next plan)"
        log_event(
            session, manager.username, "request_approve", f"request #{request_id}", f"{current.kind}{target}"
        )
    return get_request(store, request_id)


def _published(session, date: dt.date) -> bool:
    return bool(service.published_on(session, date))


def approved_for_planning(store: Store, start: dt.date, end: dt.date) -> list[RequestInfo]:
    """Approved leave and preferences over start..end that no record carries: what the next
    plan of those dates must take in."""
    return [
        r
        for r in requests(store, state="approved")
        if r.record_id is None and r.start <= end and r.end >= start
    ]


# -- what each role sees -----------------------------------------------------------------------
@dataclass
class PersonMonth:
    """An engineer's own month: their rows of the actual roster, their calendar file, and whom
    they can propose a swap to. Nobody else's shifts, phone numbers or reasons."""

    staff_id: str
    name: str
    rows: list[dict[str, str]]
    ics: bytes | None  # None: nothing published for the month
    colleagues: list[tuple[str, str]]  # (staff id, name) of the others in the published scenario
    shifts: list[tuple[str, str]]  # (shift id, name), for a preference
    unpublished: list[dt.date]


WEEKDAY = "一二三四五六日"


def person_month(store: Store, staff_id: str, first: dt.date, last: dt.date) -> PersonMonth:
    actual, scenario = actual_with_scenario(store, first, last)
    if scenario is None or staff_id not in scenario.staff_by_id:
        return PersonMonth(staff_id, staff_id, [], None, [], [], actual.uncovered)
    instance = Instance(scenario, first, last, None)
    mine = [a for a in actual.roster.assignments if a.staff_id == staff_id]
    roles = {r.id: r.name for r in scenario.roles}
    rows = []
    for a in sorted(mine, key=lambda a: (a.date, a.shift)):
        shift = scenario.shifts_by_id[a.shift]
        rows.append(
            {
                "日期": a.date.isoformat(),
                "星期": "周" + WEEKDAY[a.date.weekday()],
                "班次": shift.name,
                "时间": f"{shift.start:%H:%M}-{shift.end:%H:%M}",
                "岗位": roles.get(a.role, a.role),
            }
        )
    own = actual.roster.model_copy(update={"assignments": tuple(mine)})
    return PersonMonth(
        staff_id=staff_id,
        name=scenario.staff_by_id[staff_id].name,
        rows=rows,
        ics=person_calendars(instance, own)[staff_id],
        colleagues=[(p.id, p.name) for p in scenario.staff if p.id != staff_id],
        shifts=[(s.id, s.name) for s in scenario.shifts],
        unpublished=actual.uncovered,
    )


@dataclass
class PublishedMonth:
    """The actual roster of a month as a grid (person x date): names and shift names only."""

    columns: list[str]
    rows: list[dict[str, str]]
    versions: list[int]
    unpublished: list[dt.date]
    names: dict[str, str]


def published_month(store: Store, first: dt.date, last: dt.date) -> PublishedMonth:
    actual, scenario = actual_with_scenario(store, first, last)
    if scenario is None:
        return PublishedMonth([], [], [], actual.uncovered, {})
    dates = actual.roster.dates()
    columns = [f"{d.day:02d}" for d in dates]
    cells: dict[str, dict[str, str]] = {p.id: {} for p in scenario.staff}
    for a in actual.roster.assignments:
        name = scenario.shifts_by_id[a.shift].name if a.shift in scenario.shifts_by_id else a.shift
        cell = cells.setdefault(a.staff_id, {})
        key = f"{a.date.day:02d}"
        cell[key] = f"{cell[key]}/{name}" if key in cell else name
    names = {p.id: p.name for p in scenario.staff}
    rows = [
        {"工号": sid, "姓名": names.get(sid, sid), **{c: cell.get(c, "") for c in columns}}
        for sid, cell in cells.items()
        if cell or any(scenario.staff_by_id[sid].employed_on(d) for d in dates)
    ]
    return PublishedMonth(columns, rows, [v.id for v in actual.versions], actual.uncovered, names)


def with_approved_requests(
    store: Store, scenario: Scenario, start: dt.date, end: dt.date
) -> tuple[Scenario, list[RequestInfo]]:
    """The scenario a plan of start..end should use: with the approved leave as absences
    (annual leave, no reason) and the approved preferences as requests, for those not yet
    carried by a record. Returns them too, so the page can say what it took in."""
    taken = [r for r in approved_for_planning(store, start, end) if r.staff_id in scenario.staff_by_id]
    if not taken:
        return scenario, []
    absences = tuple(
        Absence(staff=r.staff_id, start=max(r.start, start), end=min(r.end, end), kind="annual")
        for r in taken
        if r.kind == "leave"
    )
    wishes = tuple(
        Request(staff=r.staff_id, date=d, shift=r.shift or "any", want=r.wish)
        for r in taken
        if r.kind == "preference"
        and r.wish is not None
        and (r.shift is None or r.shift in scenario.shifts_by_id)
        for d in daterange(max(r.start, start), min(r.end, end))
    )
    updated = scenario.model_copy(
        update={"absences": scenario.absences + absences, "requests": scenario.requests + wishes}
    )
    return updated, taken
