"""End to end in a real headless Chromium: the contract's December 2026 roster in the browser.

Starts `streamlit run ui/app.py` on a free localhost port, drives Debian's chromium through
chromedriver (Selenium, with the driver path given so nothing is downloaded), and checks what a
service manager would: the roster is generated, a pinned cell survives a re-solve, and the
roster downloads. Screenshots go to out/ui-screenshots/ for a person to look at.

Skipped only when Chromium or its driver cannot be installed on this machine, and then loudly.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "ui-screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1600,1200",
    "--lang=zh-CN",
)

pytestmark = [pytest.mark.ui, pytest.mark.slow]
# A password that meets 附件六 (tests/ui/conftest.py has the same one).
PASSWORD = "Ld8#qW3!zR6@tY1$uP4x"


def _skip_loudly(reason: str) -> None:
    message = f"浏览器端到端测试被跳过 / BROWSER END-TO-END TEST SKIPPED: {reason}"
    print("\n" + "!" * 100 + f"\nWARNING: {message}\n" + "!" * 100, file=sys.stderr)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webdriver_module():
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        _skip_loudly(
            f"{CHROMIUM} or {CHROMEDRIVER} is missing; install them with "
            "`apt-get install -y chromium chromium-driver` (make test tries this)"
        )
    # Selenium Manager must neither download a driver nor report usage: the driver path is given.
    os.environ.setdefault("SE_AVOID_STATS", "true")
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver

    return webdriver


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The app's roster store, with the service manager's account in it: the throwaway
    PostgreSQL of `make test` when there is one (the team server's own setup, issue 15), else
    a SQLite file of its own."""
    from planner.workflows import records, team

    url = os.environ.get("ROSTER_TEST_PG_URL")
    if url:
        from tests.planner.store.test_postgres import _empty

        _empty(url)
    else:
        url = records.store_url(str(tmp_path_factory.mktemp("store") / "roster.db"))
    team.add_account(records.open_store(url), "manager", "manager", PASSWORD, by="tests")
    print(f"the app's store: {records.store_location(url)}")
    return url


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, store_url: str) -> Iterator[str]:
    port = _free_port()
    home = tmp_path_factory.mktemp("planner-home")
    log_path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "ROSTER_PLANNER_HOME": str(home), "ROSTER_DB": store_url}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "ui/app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}"
                )
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start in 90 s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def browser(webdriver_module, tmp_path: Path):
    webdriver = webdriver_module
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-', dir=tmp_path)}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as exc:  # a broken browser install is a skip with the reason, not an error
        _skip_loudly(f"Chromium did not start: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


# -- driving Streamlit ------------------------------------------------------------------------
def _wait(driver, condition, timeout: float = 60, what: str = ""):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.25).until(condition, message=what)
    except TimeoutException:
        # What the page showed instead, for the person reading the failure.
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "timeout.png"))
        raise


def _button(driver, label: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    xpath = f"//button[not(@disabled)][.//p[normalize-space(text())='{label}']]"
    return _wait(driver, EC.element_to_be_clickable((By.XPATH, xpath)), what=f"button {label}")


def _click(driver, label: str, tries: int = 5) -> None:
    """Click the button `label`, finding it again when a rerun redraws it under the pointer (the
    solve panel redraws itself while a solve runs)."""
    from selenium.common.exceptions import StaleElementReferenceException

    for attempt in range(tries):
        try:
            _button(driver, label).click()
            return
        except StaleElementReferenceException:
            if attempt == tries - 1:
                raise


def _type(driver, label: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = _wait(
        driver,
        lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, f'input[aria-label="{label}"]')), None),
        60,
        f"the field {label}",
    )
    field.clear()
    field.send_keys(text)


def _log_in(driver, username: str = "manager", password: str = PASSWORD) -> None:
    """Fill the login form (every new browser session starts there) and wait for the sidebar."""
    _type(driver, "账户名", username)
    _type(driver, "口令", password)
    _click(driver, "登录")
    _wait(driver, lambda d: f"已登录：{username}" in d.find_element("tag name", "body").text, 60, "logged in")


def _choose(driver, label: str, text: str) -> None:
    """Pick the option of the selectbox labelled `label` that contains `text` (typed to filter)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    field = driver.find_element(By.CSS_SELECTOR, f'[data-testid="stSelectbox"] input[aria-label="{label}"]')
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)
    option = _wait(
        driver,
        lambda d: next(
            (o for o in d.find_elements(By.CSS_SELECTOR, '[role="option"]') if text in o.text), None
        ),
        10,
        f"an option {text!r} of {label}",
    )
    option.click()
    _wait(driver, lambda d: text in (field.get_attribute("value") or ""), 10, f"{label} shows {text}")


def _screenshot(driver, name: str) -> Path:
    """A full-length screenshot of the page (the window grows to the page's height)."""
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]');"
        "return Math.max(document.body.scrollHeight, m ? m.scrollHeight : 0);"
    )
    driver.set_window_size(1600, min(max(int(height) + 120, 1200), 9000))
    time.sleep(1.5)  # let plotly redraw at the new size
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(1600, 1200)
    print(f"screenshot: {path}")
    return path


def _cell(driver, staff: str, date: str):
    from selenium.webdriver.common.by import By

    cells = driver.find_elements(
        By.CSS_SELECTOR, f'#roster-grid td[data-staff="{staff}"][data-date="{date}"]'
    )
    return cells[0] if cells else None


def required_december() -> int:
    """People needed over December 2026 by the contract scenario (its coverage and calendar). The
    desk phone is a side duty met by people already on a shift, so it needs no cell of its own."""
    import datetime as dt

    from models.loader import load_scenario
    from planner.problem.instance import Instance

    inst = Instance(
        load_scenario(ROOT / "scenarios" / "contract-2026.yaml"), dt.date(2026, 12, 1), dt.date(2026, 12, 31)
    )
    return sum(s.required for s in inst.slots if s.role not in inst.side_roles)


# -- the test ---------------------------------------------------------------------------------
def test_december_roster_solve_pin_resolve_download(app_url: str, browser) -> None:
    """The README's main job in the browser: generate, pin, re-solve and download December."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    driver = browser
    driver.get(f"{app_url}/?limit=60")
    _log_in(driver)
    _button(driver, "求解")
    scenario = driver.find_element(By.CSS_SELECTOR, 'input[aria-label="场景文件"]').get_attribute("value")
    month = driver.find_element(By.CSS_SELECTOR, 'input[aria-label="月份"]').get_attribute("value")
    assert (scenario, month) == ("scenarios/contract-2026.yaml", "2026-12")
    _button(driver, "求解").click()

    grid = _wait(driver, EC.presence_of_element_located((By.ID, "roster-grid")), 180, "the roster grid")
    people = grid.find_elements(By.CSS_SELECTOR, "tbody tr[data-staff]")
    cells = grid.find_elements(By.CSS_SELECTOR, "td.rg-cell")
    assert [r.get_attribute("data-staff") for r in people] == [f"S{i:02d}" for i in range(1, 14)]
    assert len(cells) == 13 * 31
    shifts = [c.get_attribute("data-shift") for c in cells]
    assert set(shifts) == {"D", "N", ""}
    # The manager's night stays (附件八 附件1 1.1), at most 10 in the month (the scenario's limit).
    stays = [c.get_attribute("data-staff") for c in cells if c.get_attribute("data-presence") == "NS"]
    assert stays == ["S01"] * 10
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "校验通过：没有违反硬性规则" in body
    # What is on the page adds up: shifts worked + people missing covers what the contract needs.
    short = int(re.search(r"共缺 (\d+) 人次", body).group(1))
    short_row = grid.find_elements(By.CSS_SELECTOR, "tr.rg-short td")[1:]
    assert sum(int(td.text or 0) for td in short_row) == short
    assert sum(1 for x in shifts if x) + len(stays) + short >= required_december()
    _screenshot(driver, "1-december-solved.png")

    # Pin S05 姜尚君 to the night of Christmas Day, then re-solve around the pin.
    before = _cell(driver, "S05", "2026-12-25").get_attribute("data-shift")
    _choose(driver, "人员", "S05")
    _choose(driver, "日期", "2026-12-25")
    _choose(driver, "固定为", "N 夜班")
    _button(driver, "固定").click()
    confirmation = "已固定：S05 姜尚君 2026-12-25 → N 夜班"
    _wait(
        driver, lambda d: confirmation in d.find_element(By.TAG_NAME, "body").text, 30, "the pin confirmation"
    )
    old_grid = driver.find_element(By.ID, "roster-grid")
    _button(driver, "求解").click()
    _wait(driver, EC.staleness_of(old_grid), 180, "a new roster grid")

    def pinned_night(d) -> bool:
        try:
            cell = _cell(d, "S05", "2026-12-25")
            return cell is not None and cell.get_attribute("data-shift") == "N" and "◆" in cell.text
        except StaleElementReferenceException:
            return False

    _wait(driver, pinned_night, 180, "S05 pinned to N on 2026-12-25")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "校验通过：没有违反硬性规则" in body
    worked = [
        c
        for c in driver.find_elements(By.CSS_SELECTOR, "#roster-grid td.rg-cell")
        if c.get_attribute("data-shift")
    ]
    print(f"S05 on 2026-12-25: {before!r} before the pin, 'N' after")
    _screenshot(driver, "2-december-pinned-resolved.png")

    # Download the re-solved roster as CSV and check the pinned row is in it.
    _button(driver, "roster.csv").click()
    target = driver.downloads / "roster-2026-12.csv"
    _wait(driver, lambda d: target.exists() and target.stat().st_size > 0, 30, "the downloaded roster.csv")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {"date": "2026-12-25", "shift": "N", "staff_id": "S05"}.items() <= next(
        r for r in rows if r["staff_id"] == "S05" and r["date"] == "2026-12-25"
    ).items()
    stays_now = [
        c
        for c in driver.find_elements(By.CSS_SELECTOR, "#roster-grid td.rg-cell")
        if c.get_attribute("data-presence")
    ]
    # One row per worked cell of the grid on the page, and one per night stay.
    assert len([r for r in rows if r["shift"] != "NS"]) == len(worked)
    assert len([r for r in rows if r["shift"] == "NS"]) == len(stays_now) == 10
    shutil.copy(target, SHOTS / "roster-2026-12.csv")


# The contract's own December now proves in about a second in the app, so there is nothing to stop
# 3 s in. The buyer's reading of December (the tender's 24-hour floors) takes about 6 s on 2 cores,
# its fairness level most of it. (February's Spring Festival what-if used to be a second case; it
# now proves in under 2 s on a warm app, and a test that depends on being slower is no test.) If the
# month finishes before the stop, the stop button is gone and the test fails: it never passes
# without a stop.
@pytest.mark.parametrize(
    ("scenario", "month", "shot"),
    [("scenarios/whatif/tender-floors.yaml", "2026-12", "3-december-stopped.png")],
)
def test_stop_three_seconds_in_keeps_a_roster(
    app_url: str, browser, scenario: str, month: str, shot: str
) -> None:
    """issue 13: the stop button threw the result away. A solve stopped 3 s in shows a roster
    that passes the validator, marked as stopped and not proven."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    driver = browser
    driver.get(f"{app_url}/?scenario={scenario}&month={month}&limit=60")
    _log_in(driver)
    _button(driver, "求解").click()
    _button(driver, "停止求解")  # the solve is running
    time.sleep(3)
    _click(driver, "停止求解")

    _wait(driver, EC.presence_of_element_located((By.ID, "roster-grid")), 90, "the roster grid")

    # Streamlit draws the page element by element, and may redraw it while we read: wait for the
    # caption line of the kept roster, then read the page again.
    def caption_line(d) -> str | None:
        try:
            lines = d.find_element(By.TAG_NAME, "body").text.splitlines()
        except StaleElementReferenceException:
            return None
        return next((line for line in lines if line.startswith("求解于")), None)

    head = _wait(driver, caption_line, 30, "the caption of the kept roster")
    time.sleep(1)  # the rest of the run's page after its caption
    grid = driver.find_element(By.ID, "roster-grid")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "求解失败" not in body
    assert head.endswith("未证明最优（已停止或超时，保留了找到的最好排班）"), head
    assert "校验通过：没有违反硬性规则" in body
    worked = [c for c in grid.find_elements(By.CSS_SELECTOR, "td.rg-cell") if c.get_attribute("data-shift")]
    assert len(worked) > 100  # a month of a 13-person team, not an empty page
    _screenshot(driver, shot)


# -- issue 15: each role in the browser -------------------------------------------------------
@pytest.fixture(scope="module")
def team_store(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The app's store with the tiny team published (S04's phone, S07's sick reason in it) and
    accounts for an engineer, the buyer's reviewer, and an engineer whose password is 31 days old."""
    import datetime as dt

    import sqlalchemy as sa

    from planner.store.db import Store
    from planner.store.schema import Account
    from planner.workflows import records, team
    from tests.ui.conftest import publish_tiny

    store = records.open_store(store_url)
    publish_tiny(store, tmp_path_factory.mktemp("team"))
    team.add_account(store, "S04", "engineer", PASSWORD, by="tests", staff_id="S04")
    team.add_account(store, "buyer", "reviewer", PASSWORD, by="tests")
    old = team.add_account(store, "S03", "engineer", PASSWORD, by="tests", staff_id="S03")
    with Store(store_url).write() as session:
        session.execute(
            sa.update(Account)
            .where(Account.id == old.id)
            .values(password_set_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
        )
    return store_url


def _body(driver) -> str:
    return driver.find_element("tag name", "body").text


def test_before_login_no_page_shows_a_staff_name(app_url: str, browser) -> None:
    from models.loader import load_scenario

    names = [p.name for p in load_scenario(ROOT / "scenarios" / "contract-2026.yaml").staff]
    for path in ("", "roster", "staff", "published", "mine", "audit"):
        browser.get(f"{app_url}/{path}")
        _wait(browser, lambda d: "排班系统登录" in _body(d), 60, "the login form")
        time.sleep(1)  # anything the page would draw after the form
        source = browser.page_source
        assert [n for n in names if n in source] == [], path
    _screenshot(browser, "issue15-login.png")


def test_an_engineer_sees_only_their_own_row_and_cannot_publish(app_url: str, browser, team_store) -> None:
    from selenium.webdriver.common.by import By

    browser.get(app_url)
    _log_in(browser, "S04")
    table = _wait(
        browser, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, '[data-testid="stTable"]')), None)
    )
    rows = [r.text for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) == 3 and all("白班" in r for r in rows), rows
    nav = [a.text for a in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a')]
    assert nav in ([], ["我的排班"]), nav
    body = _body(browser)
    assert "发烧住院" not in browser.page_source and "13912345678" not in browser.page_source
    for word in ("求解", "发布", "申请审批", "账户与审计"):
        assert not browser.find_elements(By.XPATH, f"//button[.//p[normalize-space(text())='{word}']]"), word
    assert "排班" in body
    _screenshot(browser, "issue15-engineer.png")


def test_the_reviewer_sees_no_phone_numbers_or_reasons(app_url: str, browser, team_store) -> None:
    browser.get(app_url)
    _log_in(browser, "buyer")
    _wait(browser, lambda d: "已发布排班" in _body(d), 60, "the published roster")
    _click(browser, "生成覆盖证明")
    _wait(browser, lambda d: "覆盖证明，生成于" in _body(d), 120, "the proof")
    source = browser.page_source
    assert "13912345678" not in source and "发烧住院" not in source
    assert "下载 PDF" in _body(browser)
    _screenshot(browser, "issue15-reviewer.png")


def test_an_expired_password_forces_a_change_and_a_weak_one_is_refused(
    app_url: str, browser, team_store
) -> None:
    browser.get(app_url)
    _type(browser, "账户名", "S03")
    _type(browser, "口令", PASSWORD)
    _click(browser, "登录")
    _wait(browser, lambda d: "口令已使用超过 30 天" in _body(d), 60, "the forced change")
    _type(browser, "当前口令", PASSWORD)
    _type(browser, "新口令", "weakpassword")
    _type(browser, "再次输入新口令", "weakpassword")
    _click(browser, "更换口令")
    _wait(browser, lambda d: "须包含大写字母（附件六 一）" in _body(d), 30, "the policy's words")
    assert "须包含特殊字符" in _body(browser)
    _screenshot(browser, "issue15-weak-password.png")
    strong = "Vb7%nM2^kQ9&jH5*gF3e"
    _type(browser, "新口令", strong)
    _type(browser, "再次输入新口令", strong)
    _click(browser, "更换口令")
    _wait(
        browser,
        lambda d: "我的排班" in _body(d) and "口令已使用超过" not in _body(d),
        60,
        "the engineer's page",
    )
