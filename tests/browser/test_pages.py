"""The pages as a browser shows them: headless Chromium opens a buggy and a perfect
student's page and the dashboard, at desktop and phone width.

Needs chromium and chromedriver (`make test` installs them as root via `make browser-tools`);
without them this fails and says so, it never skips.
"""

import shutil
import tempfile
from pathlib import Path

import pytest

from autograder.batch import run_batch
from autograder.submissions import discover

pytestmark = pytest.mark.sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
WIDTHS = (1280, 375)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    subs = discover([EXAMPLES / "lee_younghee_ch04.ipynb", EXAMPLES / "park_jiwoo_ch04.ipynb"],
                    tmp_path_factory.mktemp("scratch"))
    run_batch(subs, out, jobs=1, lang="en")
    return out


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("headless Chromium is missing: install the 'chromium' and 'chromium-driver' packages "
                    "(make browser-tools, as root) to run the browser tests", pytrace=False)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is missing: pip install -r requirements-dev.txt", pytrace=False)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, path: Path, name: str) -> list[dict]:
    """Open `path` at each width; screenshots under tests/artifacts/; what the console said.
    (Not emulated as mobile: a mobile viewport widens innerWidth to fit wide content.)"""
    ARTIFACTS.mkdir(exist_ok=True)
    driver.get_log("browser")  # drop what earlier pages logged
    problems = []
    for width in WIDTHS:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        driver.get(path.as_uri())
        assert driver.execute_script("return document.readyState") == "complete"
        driver.save_screenshot(str(ARTIFACTS / f"{name}-{width}.png"))
        scroll, inner = driver.execute_script(
            "return [document.scrollingElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{name} scrolls sideways at {width}px: {scroll} > {inner}")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, problems
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def _count(driver, css: str) -> int:
    return len(driver.find_elements("css selector", css))


def test_a_buggy_students_page(graded, browser):
    errors = _open(browser, graded / "students" / "lee_younghee_ch04" / "feedback.html", "buggy")
    assert errors == []
    assert _count(browser, "#summary table tr") > 1
    assert _count(browser, "section.item") >= 2 and _count(browser, ".cause") >= 2
    assert _count(browser, "details.code div.highlight") >= 2        # the student's own code
    assert "cell 5, line 3" in browser.find_element("css selector", "#item-cross_entropy_error").text


def test_a_perfect_students_page(graded, browser):
    errors = _open(browser, graded / "students" / "park_jiwoo_ch04" / "feedback.html", "perfect")
    assert errors == []
    assert _count(browser, "ul.full-items li") >= 5
    assert _count(browser, "section.item") == 0 and _count(browser, "details.code") == 0


def test_the_dashboard(graded, browser):
    errors = _open(browser, graded / "dashboard.html", "dashboard")
    assert errors == []
    assert _count(browser, "svg.hist rect") > 0
    assert _count(browser, "table.matrix tr") == 3 and _count(browser, "table.students tr") == 3
    assert _count(browser, "table.failures tr") > 1
