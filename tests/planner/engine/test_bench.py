"""The benchmark script's inputs exist where it looks for them (it runs outside pytest)."""

from planner.engine import bench


def test_bench_finds_the_contract_scenario():
    assert bench.CONTRACT.is_file(), bench.CONTRACT
