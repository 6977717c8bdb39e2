"""Every page loads with the outside network blocked, and asks nothing of it (issue 17).

The README promises that nothing leaves the machine: staff names and leave reasons are
personal data (PIPL). A real Chromium opens the app with every host name except the loopback
ones made unresolvable, solves December, and visits every page in the same session; the
browser's own network log must then hold requests to the app's address only (no font CDN,
no usage statistics, no map tiles), and every page must have rendered.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.ui.test_browser import (  # noqa: F401  (pytest fixtures)
    CHROMEDRIVER,
    CHROMIUM,
    CHROMIUM_FLAGS,
    _button,
    _log_in,
    _screenshot,
    _skip_loudly,
    _wait,
    app_url,
    store_url,
    webdriver_module,
)

pytestmark = [pytest.mark.ui, pytest.mark.slow]

# Every host name resolves to nothing, except the app's own.
BLOCK_OUTSIDE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
# page title in the sidebar -> a text the page shows once it has rendered
PAGES = {
    "解释": "缺口原因",
    "日历": "日历",
    "人员": "人员",
    "人员配置": "人员配置",
    "情景对比": "情景对比",
    "排班": "排班",
    "申请审批": "申请审批",
    "已发布排班": "已发布排班",
    "账户与审计": "账户与审计",
}


@pytest.fixture
def offline_browser(webdriver_module, tmp_path: Path):  # noqa: F811
    webdriver = webdriver_module
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, BLOCK_OUTSIDE):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-', dir=tmp_path)}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as exc:  # a broken browser install is a skip with the reason, not an error
        _skip_loudly(f"Chromium did not start: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    try:
        yield driver
    finally:
        driver.quit()


def _requested(driver) -> list[str]:
    """Every URL the page asked for since the last call (Chrome's DevTools network events)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def _outside(urls: list[str], app: str) -> list[str]:
    """Network requests to anywhere but the app (chrome://, data: and blob: are not network)."""
    own = urlsplit(app).netloc
    network = [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    return [u for u in network if urlsplit(u).netloc != own]


def test_every_page_loads_with_the_outside_network_blocked(app_url: str, offline_browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    driver = offline_browser
    driver.get(f"{app_url}/?limit=20")
    _log_in(driver)
    _button(driver, "求解").click()
    _wait(driver, lambda d: d.find_elements(By.ID, "roster-grid"), 120, "the roster grid after solving")
    seen = _requested(driver)
    for n, (title, text) in enumerate(PAGES.items()):
        xpath = f'//*[@data-testid="stSidebarNav"]//a[.//span[@label="{title}"]]'
        link = _wait(driver, lambda d, x=xpath: d.find_elements(By.XPATH, x), 20, f"the link to {title}")[0]
        link.click()
        _wait(
            driver,
            lambda d, t=text: t in d.find_element(By.CSS_SELECTOR, '[data-testid="stMain"]').text,
            30,
            f"page {title} showing {text!r}",
        )
        time.sleep(1.5)  # charts and fonts load after the text
        main = driver.find_element(By.CSS_SELECTOR, '[data-testid="stMain"]').text
        assert "Traceback" not in main, (title, main[:500])
        assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), title
        _screenshot(driver, f"offline-{n}.png")
        seen += _requested(driver)
    assert any(urlsplit(u).scheme == "ws" for u in seen), "the app's websocket was not seen"
    assert len(seen) > 10, seen  # the log really recorded the page's requests
    assert _outside(seen, app_url) == []
