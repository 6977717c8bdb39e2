"""planner.engine.tasks: what travels with a task, the local engines, failures that stay in their row."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import calendars.cn as cn
from models.loader import load_scenario
from planner.engine.tasks import (
    InProcess,
    LocalPool,
    Portable,
    TaskFailed,
    make_engine,
    run_calls,
    run_task,
    without_personal_data,
)
from planner.problem.instance import Instance
from planner.problem.results import TaskError

DEC1, DEC7 = dt.date(2026, 12, 1), dt.date(2026, 12, 7)


def double(x: int) -> int:
    return 2 * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def with_extra(x: int, extra: object) -> tuple[int, object]:
    return x, extra


def test_personal_data_never_travels(contract):
    with_absence = contract.model_copy(
        update={
            "absences": (
                *contract.absences,
                *load_scenario_absence(contract),
            )
        }
    )
    clean = without_personal_data(with_absence)
    assert [p.name for p in clean.staff] == [p.id for p in contract.staff]
    assert all(p.phone is None for p in clean.staff)
    assert all(a.reason is None for a in clean.absences)
    wire = pickle.dumps(Portable.of(Instance(with_absence, DEC1, DEC7)))
    for p in contract.staff:
        assert p.name.encode("utf-8") not in wire, p.name
        if p.phone:
            assert p.phone.encode("utf-8") not in wire
    assert "看病".encode() not in wire


def load_scenario_absence(scenario):
    from models.scenario import Absence

    person = scenario.staff[1].id
    return (Absence(staff=person, start=DEC1, end=DEC1, kind="sick", reason="看病"),)


def test_a_portable_instance_is_the_same_instance_without_its_files(tmp_path, write_yaml):
    """The override file travels as content: the worker rebuilds the instance with the file gone."""
    override = write_yaml(
        """
        year: 2026
        notice: {title: 测试通知, date: 2025-11-01}
        holidays: {2026-12-02: 测试假日}
        """,
        "cn-2026.yaml",
    )
    scenario_file = write_yaml(
        f"""
        version: 1
        name: 日历随任务
        calendar: {{overrides: [{override.name}]}}
        roles: [{{id: video, name: 视频会议}}]
        shifts: [{{id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}}]
        staff: [{{id: V1, name: 甲, role: video, phone: "13800000000"}}]
        coverage: [{{role: video, shift: D, days: all, min: 1}}]
        """,
        "s.yaml",
    )
    inst = Instance(load_scenario(scenario_file), DEC1, DEC7)
    assert inst.day[dt.date(2026, 12, 2)].kind == "holiday"
    wire = pickle.dumps(Portable.of(inst))
    override.unlink()
    cn._read_override_file.cache_clear()
    cn._CARRIED.clear()
    rebuilt = pickle.loads(wire).restore()
    assert rebuilt.day[dt.date(2026, 12, 2)].kind == "holiday"
    assert [d.kind for d in rebuilt.days] == [d.kind for d in inst.days]
    assert [p.id for p in rebuilt.staff] == ["V1"] and rebuilt.staff[0].name == "V1"
    cn._CARRIED.clear()


def test_a_worker_with_other_versions_refuses_the_task():
    with pytest.raises(RuntimeError, match=r"other versions than the driver: ortools 9\S* \(driver 0.0\)"):
        run_task(double, (2,), {"ortools": "0.0"})


def test_in_process_reports_a_failing_task_and_goes_on():
    seen = []
    results = dict(
        InProcess().run(fail_on_three, [(1,), (3,), (5,)], on_progress=lambda c: seen.append(c.zh()))
    )
    assert results[0] == 1 and results[2] == 5
    assert isinstance(results[1], TaskFailed) and "three is not allowed" in results[1].message
    assert seen[-1] == "完成 2 · 运行中 0 · 失败 1 · 等待 0"


@pytest.mark.slow
def test_a_local_pool_runs_tasks_in_processes_and_isolates_a_failure():
    seen = []
    results = dict(LocalPool(2).run(fail_on_three, [(1,), (3,), (5,)], on_progress=seen.append))
    assert results[0] == 1 and results[2] == 5
    assert isinstance(results[1], TaskFailed) and "ValueError: three is not allowed" in results[1].message
    assert (seen[-1].done, seen[-1].failed, seen[-1].running, seen[-1].waiting) == (2, 1, 0, 0)


def test_run_calls_keeps_order_appends_what_cannot_travel_and_raises_on_failure():
    assert run_calls(double, [(1,), (2,), (3,)]) == [2, 4, 6]
    marker = object()
    assert run_calls(with_extra, [(1,)], here=(marker,)) == [(1, marker)]
    with pytest.raises(TaskError, match="task 2 of 3 failed: ValueError: three is not allowed"):
        run_calls(fail_on_three, [(1,), (3,), (5,)])


def test_engine_names_and_address_are_checked():
    from models.errors import InputError

    with pytest.raises(InputError, match="--engine spark: must be one of local, ray"):
        make_engine("spark")
    with pytest.raises(InputError, match="--address is for --engine ray"):
        make_engine("local", "10.0.0.1:6379")
    assert isinstance(make_engine("local", jobs=3), LocalPool)
    assert isinstance(make_engine("local", in_process=True), InProcess)
