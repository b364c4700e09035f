#!/usr/bin/env python3
"""Drives the web dashboard in a real browser (Debian's Chromium, through Playwright) against a real
demo server, and checks what an officer would check by hand.

- Signs in with the keyboard, after two mistakes that each show a message next to the field and keep
  the username typed; times are then written in the browser's zone (Asia/Kabul here, UTC+04:30, not
  the server's), with the zone named in the header.
- Screens a fugitive by a Cyrillic spelling and sees the hit with its explanation; bad input (birth
  year, nationality, an MRZ of the wrong shape, an empty plate) shows a message next to the field and
  keeps what was typed.
- Reports a sighting on one page and sees it appear on another page's timeline and map without that
  page reloading; bad input first, with nothing typed lost.
- Sends an alert from the dashboard: every checkpoint starts silent; a real checkpoint client
  (`cordon checkpoint listen`) acknowledges it, and the checkpoint's row and its dot on the map turn
  to acknowledged without a reload.
- Custody staff check in with a post's code, count a block and issue a weapon; a wrong code and a
  count that is not a number are said next to their fields. Signing out in another tab ends the
  live feed of the first, which says so.
- A checkpoint officer sees screening and the sighting form, not the fugitive board or the timeline.
- Every page passes axe-core (axe-playwright-python) with no serious or critical violation.
- Saves screenshots of the main pages at 1280x800 and 390x844 (folder given by --screenshots, by
  default screenshots/ at the top of the repository, which git ignores).

Usage: check_dashboard.py PATH/TO/cordon [--screenshots DIR]
Prints one line per check and exits non-zero when any fails.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_harness import (  # noqa: E402
    api_token,
    axe_serious,
    describe_violations,
    launch_browser,
    screenshot,
    start_demo_server,
)
from playwright.sync_api import expect, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BROWSER_ZONE = "Asia/Kabul"
CHECKPOINT = "cp-air-dushanbe"
FUGITIVE = "ofurov Sherzod Akmalovich"  # the list writes Gʻofurov with a modifier letter
FUGITIVE_ID = "p-gofurov-sherzod"
CYRILLIC_SPELLING = "Гафуров Шерзод"
SCREENS = ((1280, 800), (390, 844))


class Checks:
    """Counts checks; each is a named block whose failure is reported and counted, not raised."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, function, *args):
        start = time.monotonic()
        try:
            function(*args)
        except Exception as error:  # noqa: BLE001 - every failure is reported the same way
            self.failed += 1
            message = str(error).strip().splitlines()
            print(f"FAIL {name} ({time.monotonic() - start:.1f} s): {' | '.join(message[:12])}", flush=True)
            return False
        self.passed += 1
        print(f"ok   {name} ({time.monotonic() - start:.1f} s)", flush=True)
        return True


def assert_accessible(page, name):
    violations = axe_serious(page)
    if violations:
        raise AssertionError(f"axe on {name}: {describe_violations(violations)}")


def shoot(page, folder, name):
    size = page.viewport_size
    for width, height in SCREENS:
        screenshot(page, folder, name, width, height)
    page.set_viewport_size(size)


def sign_in(page, url, username, password):
    page.goto(url + "/ui/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda address: "/ui/login" not in address)


# --- The checks ----------------------------------------------------------------------------------------


def check_sign_in(page, server, shots):
    page.goto(server.url + "/ui/")
    page.wait_for_url(re.compile(r"/ui/login\?next=/ui/$"))
    assert_accessible(page, "the sign-in page")
    shoot(page, shots, "login")
    # A username without a password: the message is next to the password field.
    page.fill("#username", "demo-commander")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#password-error")).to_have_text("Enter your password.")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#username")).to_have_value("demo-commander")
    # A wrong password: said next to the password field, the username still there.
    page.fill("#password", "not-the-password")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#password-error")).to_contain_text("Wrong username or password")
    expect(page.locator("#username")).to_have_value("demo-commander")
    assert "/ui/login" in page.url, "a wrong password must not sign in"
    assert_accessible(page, "the sign-in page with errors")
    # Signed in with the keyboard alone.
    page.fill("#password", "")
    page.focus("#username")
    page.keyboard.press("Tab")
    page.keyboard.type(server.passwords["demo-commander"])
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/ui/")
    expect(page.locator("#zone")).to_have_text(f"{BROWSER_ZONE} (UTC+04:30)")
    first = page.locator("#timeline time").first.get_attribute("datetime")
    assert first.endswith("+04:30"), f"timeline times should be in {BROWSER_ZONE}, got {first}"


def check_pages_accessible(page, server, shots):
    for path, name in (
        ("/ui/", "operations"),
        ("/ui/fugitives", "fugitives"),
        ("/ui/alerts", "alerts"),
        ("/ui/screen", "screening"),
        ("/ui/report", "report"),
        ("/ui/custody", "custody"),
    ):
        page.goto(server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, name)
        shoot(page, shots, name)


def check_screening(page, server, shots):
    page.goto(server.url + "/ui/screen")
    # Bad input first: a birth year that is not one and an unknown country.
    page.fill("#screen-name", CYRILLIC_SPELLING)
    page.fill("#screen-birth-year", "19x3")
    page.click("#screen-name-form button[type=submit]")
    expect(page.locator("#screen-birth-year-error")).to_contain_text("four digits")
    expect(page.locator("#screen-name")).to_have_value(CYRILLIC_SPELLING)
    expect(page.locator("#screen-birth-year")).to_have_value("19x3")
    page.fill("#screen-birth-year", "1983")
    page.fill("#screen-nationality", "QQ")
    page.click("#screen-name-form button[type=submit]")
    expect(page.locator("#screen-nationality-error")).not_to_be_empty()
    expect(page.locator("#screen-nationality")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#screen-name")).to_have_value(CYRILLIC_SPELLING)
    # Now right: the fugitive is found, and why is said.
    page.fill("#screen-nationality", "UZ")
    page.click("#screen-name-form button[type=submit]")
    hit = page.locator("#screen-results .hit").first
    expect(hit.locator(".hit-name")).to_contain_text(FUGITIVE)
    expect(hit.locator(".hit-explanation")).not_to_be_empty()
    expect(hit.locator("table.parts tbody tr").first).to_be_visible()
    expect(hit.locator(".evidence")).to_contain_text("1983")
    expect(page.locator("#screen-nationality-error")).to_be_empty()
    assert_accessible(page, "screening with a result")
    shoot(page, shots, "screening-result")
    # A zone of the wrong shape is refused next to the zone; a plate is required.
    page.fill("#screen-mrz", "P<TJKNOT<A<ZONE\nSHORT")
    page.click("#screen-mrz-form button[type=submit]")
    expect(page.locator("#screen-mrz-error")).not_to_be_empty()
    expect(page.locator("#screen-mrz")).to_have_value("P<TJKNOT<A<ZONE\nSHORT")
    page.click("#screen-plate-form button[type=submit]")
    expect(page.locator("#screen-plate-error")).to_have_text("Enter the plate as read.")


def check_sighting(page, report, server, shots):
    page.goto(server.url + "/ui/")
    page.evaluate("window.__notReloaded = true")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    sightings_before = page.locator("#map-sightings .sighting").count()
    report.goto(server.url + "/ui/report")
    # Nothing named, no place: each message next to its field; the note typed is kept.
    report.fill("#sighting-lat", "")
    report.fill("#sighting-note", "Seen buying bread, heading east")
    report.click("#sighting-form button[type=submit]")
    expect(report.locator("#sighting-person-error")).not_to_be_empty()
    expect(report.locator("#sighting-lat-error")).not_to_be_empty()
    expect(report.locator("#sighting-note")).to_have_value("Seen buying bread, heading east")
    # A latitude out of range is the server's to refuse, next to the latitude.
    report.select_option("#sighting-person", FUGITIVE_ID)
    report.fill("#sighting-lat", "95")
    report.fill("#sighting-lon", "69.5")
    report.click("#sighting-form button[type=submit]")
    expect(report.locator("#sighting-lat-error")).not_to_be_empty()
    expect(report.locator("#sighting-lat")).to_have_attribute("aria-invalid", "true")
    expect(report.locator("#sighting-note")).to_have_value("Seen buying bread, heading east")
    assert_accessible(report, "the sighting form with errors")
    # A checkpoint fills in the place; the report goes through.
    report.select_option("#sighting-checkpoint", CHECKPOINT)
    report.select_option("#sighting-confidence", "high")
    report.click("#sighting-form button[type=submit]")
    expect(report.locator("#sighting-form .result")).to_contain_text("Reported")
    shoot(report, shots, "report")
    # The other page, never reloaded, shows it on the timeline and the map.
    line = page.locator("#timeline li.kind-sighting", has_text="Seen buying bread, heading east")
    expect(line).to_have_count(1)
    expect(line).to_contain_text(FUGITIVE)
    expect(page.locator("#map-sightings .sighting")).to_have_count(sightings_before + 1)
    assert page.evaluate("window.__notReloaded === true"), "the operations page reloaded"


def check_acknowledgement(page, alerts, server, shots, binary, folder):
    page.goto(server.url + "/ui/")
    page.evaluate("window.__notReloaded = true")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    alerts.goto(server.url + "/ui/alerts")
    # Bad input: no incident chosen.
    alerts.fill("#alert-headline", "Watch for the two in the grey Niva")
    alerts.click("#send-alert-form button[type=submit]")
    expect(alerts.locator("#alert-incident-error")).not_to_be_empty()
    expect(alerts.locator("#alert-headline")).to_have_value("Watch for the two in the grey Niva")
    alerts.select_option("#alert-incident", "inc-escape-2010-08-22")
    alerts.click("#send-alert-form button[type=submit]")
    expect(alerts.locator("#send-alert-form .result")).to_contain_text("sent to")
    recipient = f"checkpoints/{CHECKPOINT}"
    row = alerts.locator(f'.alert-block >> nth=0 >> tr[data-recipient="{recipient}"]')
    expect(row).to_have_attribute("data-state", "silent")
    dot = page.locator(f'#map-checkpoints circle[data-id="{recipient}"]')
    expect(dot).to_have_attribute("data-state", "silent")
    shoot(alerts, shots, "alerts-silent")
    # A real checkpoint client receives and acknowledges it.
    token = api_token(server.url, "demo-checkpoint-officer", server.passwords["demo-checkpoint-officer"])
    listener = subprocess.run(
        [str(binary), "checkpoint", "listen", "--server", server.url, "--token", token, "--checkpoint", CHECKPOINT,
         "--count", "1", "--seconds", "60", "--state", str(Path(folder) / "listen.state")],
        capture_output=True, text=True, timeout=90,
    )
    assert listener.returncode == 0, f"checkpoint listen failed: {listener.stderr[-500:]}"
    expect(row).to_have_attribute("data-state", "acknowledged")
    expect(row.locator(".badge")).to_have_text("acknowledged")
    expect(dot).to_have_attribute("data-state", "acknowledged")
    expect(page.locator("#timeline li.kind-alert", has_text="Watch for the two in the grey Niva")).to_have_count(1)
    expect(page.locator("#map-alert")).to_contain_text("Watch for the two in the grey Niva")
    expect(page.locator("#timeline li.kind-ack").first).to_contain_text("acknowledged")
    assert page.evaluate("window.__notReloaded === true"), "the operations page reloaded"
    assert_accessible(alerts, "alerts after acknowledgement")
    shoot(alerts, shots, "alerts")
    shoot(page, shots, "operations-live")


def check_capture(page, board, server, shots):
    page.goto(server.url + "/ui/")
    page.evaluate("window.__notReloaded = true")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    board.goto(server.url + "/ui/fugitives")
    card = board.locator(f'li[data-person="{FUGITIVE_ID}"]')
    expect(card).to_have_attribute("data-status", "at_large")
    card.locator("select[name=status]").select_option("captured")
    card.locator("input[name=note]").fill("Detained at the airport gate")
    card.locator("form.status-form button[type=submit]").click()
    expect(card.locator(".result")).to_contain_text("captured")
    expect(card).to_have_attribute("data-status", "captured")
    expect(card.locator(".status-badge")).to_have_text("captured")
    line = page.locator("#timeline li.kind-capture", has_text="Detained at the airport gate")
    expect(line).to_have_count(1)
    assert page.evaluate("window.__notReloaded === true"), "the operations page reloaded"
    shoot(board, shots, "fugitives-after-capture")


def check_custody(browser, server, shots):
    """Custody staff: check in with the post's code, count a block, issue a weapon."""
    commander = api_token(server.url, "demo-commander", server.passwords["demo-commander"])
    request = urllib.request.Request(
        server.url + "/v1/posts/post-ward-corridor-a/codes",
        data=json.dumps({"code": "river42", "duress_code": "stone17"}).encode(),
        headers={"Authorization": f"Bearer {commander}", "Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status in (200, 204), f"setting the post's codes gave {answer.status}"
    context = browser.new_context(timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, server.url, "demo-custody-officer", server.passwords["demo-custody-officer"])
        page.goto(server.url + "/ui/custody")
        ward = page.locator("section", has=page.locator("#facility-fac-gknb-ward"))
        expect(ward.locator('tr[data-post="post-ward-corridor-a"]')).to_have_attribute("data-state", "on_watch")
        # A wrong code: the message is next to the code field; the post chosen stays chosen.
        page.fill("#check-in-code-fac-gknb-ward", "wrong1")
        page.click("form.check-in button[type=submit]")
        expect(page.locator("#check-in-code-fac-gknb-ward-error")).not_to_be_empty()
        expect(page.locator("#check-in-post-fac-gknb-ward")).to_have_value("post-ward-corridor-a")
        page.fill("#check-in-code-fac-gknb-ward", "river42")
        page.click("form.check-in button[type=submit]")
        expect(ward.locator("form.check-in .result")).to_contain_text("Checked in")
        # A count that is not a number: said next to the count, the block kept.
        page.select_option("#roll-block-fac-gknb-ward", "blk-b")
        page.fill("#roll-count-fac-gknb-ward", "about ten")
        ward.locator("form.roll-call button[type=submit]").click()
        expect(page.locator("#roll-count-fac-gknb-ward-error")).not_to_be_empty()
        expect(page.locator("#roll-count-fac-gknb-ward")).to_have_value("about ten")
        expect(page.locator("#roll-block-fac-gknb-ward")).to_have_value("blk-b")
        # An issue from the armory shows who holds the item.
        serial = page.locator("#armory-item-fac-gknb-ward option").first.get_attribute("value")
        page.select_option("#armory-event-fac-gknb-ward", "issue")
        ward.locator("form.armory-entry button[type=submit]").click()
        expect(ward.locator("form.armory-entry .result")).to_contain_text("Recorded")
        expect(ward.locator(f'tr[data-item="{serial}"] .where')).to_contain_text("issued to")
        assert_accessible(page, "custody after entries")
        shoot(page, shots, "custody-entries")
        # Signing out in another tab ends this page's live feed at its next check, and the page says so.
        expect(page.locator("body")).to_have_attribute("data-live-state", "open")
        other = context.new_page()
        other.goto(server.url + "/ui/custody")
        other.locator("form.logout button").click()
        other.wait_for_url("**/ui/login")
        expect(page.locator("#live-banner")).to_contain_text("Live updates stopped", timeout=30_000)
        expect(page.locator("body")).to_have_attribute("data-live-state", "closed")
    finally:
        context.close()


def check_roles(browser, server, shots):
    context = browser.new_context(timezone_id=BROWSER_ZONE)
    page = context.new_page()
    try:
        sign_in(page, server.url, "demo-checkpoint-officer", server.passwords["demo-checkpoint-officer"])
        assert page.url.endswith("/ui/screen"), f"a checkpoint officer starts at screening, not {page.url}"
        menu = page.locator("nav[aria-label=Main] a").all_inner_texts()
        assert menu == ["Screening", "Report a sighting"], f"checkpoint officer's menu: {menu}"
        for path in ("/ui/", "/ui/fugitives", "/ui/alerts", "/ui/custody", "/ui/audit"):
            response = page.goto(server.url + path)
            assert response.status == 403, f"{path} gave {response.status} to a checkpoint officer"
        assert_accessible(page, "a page refused")
        page.goto(server.url + "/ui/report")
        assert_accessible(page, "the checkpoint officer's sighting form")
        shoot(page, shots, "checkpoint-officer-report")
        sign_out = page.locator("form.logout button")
        sign_out.click()
        page.wait_for_url("**/ui/login")
        response = page.goto(server.url + "/ui/screen")
        assert "/ui/login" in page.url, "signed out, the pages send the browser to sign in"
        # The auditor reads the audit log, and the sign-ins are in it.
        sign_in(page, server.url, "demo-auditor", server.passwords["demo-auditor"])
        assert page.url.endswith("/ui/audit"), f"an auditor starts at the audit log, not {page.url}"
        expect(page.locator("table.audit")).to_contain_text("auth.token")
        assert_accessible(page, "the audit log")
        shoot(page, shots, "audit")
    finally:
        context.close()


def check_no_errors(errors):
    # The API's answers to the bad input these checks type on purpose are not faults.
    expected = re.compile(r"^Failed to load resource: the server responded with a status of (401|422) ")
    unexpected = [error for error in errors if not expected.match(error)]
    assert not unexpected, f"errors in the pages: {unexpected}"


def check_stops(page, server):
    page.goto(server.url + "/ui/")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    start = time.monotonic()
    status = server.stop(timeout=20)
    elapsed = time.monotonic() - start
    assert status == 0, f"the server exited with {status} (killed after waiting?); log: {server.log_tail(5)}"
    assert elapsed < 10, f"the server took {elapsed:.1f} s to stop with an event stream open"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", type=Path)
    parser.add_argument("--screenshots", type=Path, default=ROOT / "screenshots")
    arguments = parser.parse_args()
    started = time.monotonic()
    checks = Checks()
    folder = tempfile.mkdtemp(prefix="cordon-dashboard-")
    server = start_demo_server(arguments.binary, folder)
    try:
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            context = browser.new_context(timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 800})
            context.set_default_timeout(15_000)
            expect.set_options(timeout=15_000)
            page = context.new_page()
            errors = []

            def watch(target):
                # Script errors, refused content (the pages' Content-Security-Policy) and failed loads.
                target.on("pageerror", lambda error: errors.append(str(error)))
                target.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

            watch(page)
            shots = arguments.screenshots
            if checks.run("sign in: messages next to the fields, keyboard, the browser's zone",
                          check_sign_in, page, server, shots):
                checks.run("every page passes axe-core; screenshots", check_pages_accessible, page, server, shots)
                checks.run("screening by a Cyrillic spelling, explained; bad input kept", check_screening,
                           page, server, shots)
                other = context.new_page()
                watch(other)
                checks.run("a sighting appears on another page's timeline and map without reload",
                           check_sighting, page, other, server, shots)
                checks.run("a checkpoint turns from silent to acknowledged when its client acknowledges",
                           check_acknowledgement, page, other, server, shots, arguments.binary, folder)
                checks.run("a capture on the board reaches the timeline without reload", check_capture,
                           page, other, server, shots)
            checks.run("custody: check-in, roll call and armory, bad input kept", check_custody, browser, server, shots)
            checks.run("roles: a checkpoint officer, signing out, the auditor", check_roles, browser, server, shots)
            checks.run("no script errors, refused content or failed loads in the pages", check_no_errors, errors)
            checks.run("the server stops at once on SIGTERM with a live page open", check_stops, page, server)
            browser.close()
    finally:
        server.stop()
    print(f"check_dashboard: {checks.passed} checks held, {checks.failed} failed, "
          f"in {time.monotonic() - started:.0f} s; screenshots in {arguments.screenshots}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
