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
- The demo as the night stood: the ward's posts read silent since their last check-in, the blocks count
  as many inmates at large as the wanted list holds, and the armory count's missing items say so.
- Custody staff check in with a post's code, count a block and issue a weapon; a wrong code and a
  count that is not a number are said next to their fields. Signing out in another tab ends the
  live feed of the first, which says so.
- A checkpoint officer sees screening and the sighting form, not the fugitive board or the timeline.
- The fugitive board finds a person by a Latin or Cyrillic spelling (case and accents aside) and
  narrows by status, group and nationality with a count of those shown; its cards fit in two screens
  of 1280x800; each status menu starts on the current status, also after a change arrives live.
- Each alert's delivery panel leads with a summary (acknowledged, received, silent, escalated) that
  matches its rows, live or reloaded, and the re-send above the rows; silent rows first, longest first.
- After a screening query the results are in view with the focus on them, and the explanation is a
  short sentence per name part ("Гафуров matches the surname Gafurov by transliteration (1.00).").
- The map names the towns, draws the facility on top, groups Dushanbe's checkpoints into one marker with
  their count that lists them on click and on Enter, zooms (buttons, the group's list) and pans (arrow
  keys) until they separate, draws its legend from its own symbols, and places a sighting by the nearest
  town ("in Gharm") with the coordinates on hover.
- An analyst reads a Russian report (pasted) and an HTML page (a file read in the browser as UTF-8): the
  fugitive named in an inflected form is highlighted as an alert where the answer's offsets (Unicode
  scalars) put him, linked to his card, with the explanation on focus and in the list; an official who
  shares his surname does not alert; the HTML is shown as sent, its markup as text; the report is
  attached to the fugitive's timeline and shows there. Other roles have neither the link nor the page.
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
        ("/ui/read", "read-empty"),
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
    expect(hit.locator(".hit-explanation li").first).to_be_visible()
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
    # The escape's incident (the demo names incidents by when they were raised): else the first open one.
    incidents = alerts.eval_on_selector_all(
        "#alert-incident option", "os => os.filter(o => o.value).map(o => [o.value, o.textContent])")
    escape = next((value for value, label in incidents if "escape" in label.lower()), incidents[0][0])
    alerts.select_option("#alert-incident", escape)
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


def check_demo_night(browser, server, shots):
    """The demo as the night stood: what custody shows agrees with the API and with itself."""
    commander = api_token(server.url, "demo-commander", server.passwords["demo-commander"])
    request = urllib.request.Request(
        server.url + "/v1/persons?limit=500", headers={"Authorization": f"Bearer {commander}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        persons = json.load(answer)["items"]
    at_large = sum(1 for person in persons if (person.get("wanted") or {}).get("history", [{}])[-1].get("status") == "at_large")
    assert at_large > 0, "the demo's night should have people at large"
    context = browser.new_context(timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, server.url, "demo-custody-officer", server.passwords["demo-custody-officer"])
        page.goto(server.url + "/ui/custody")
        ward = page.locator("section", has=page.locator("#facility-fac-gknb-ward"))
        # The ward's posts fell silent: each says since when.
        silent = ward.locator('table.posts tr[data-state="silent"]')
        assert silent.count() >= 1, "no post of the ward reads silent"
        for index in range(silent.count()):
            expect(silent.nth(index)).to_contain_text("silent since")
        # The blocks count those at large, as many as the wanted list has.
        badges = ward.locator("table.blocks td.at-large").all_inner_texts()
        assert sum(int(text) for text in badges) == at_large, f"blocks say {badges} at large, the list {at_large}"
        # The count after the escape: what was taken is missing, what the guards drew is issued.
        missing = ward.locator("table.armory tr.armory-missing")
        assert missing.count() >= 1, "the armory count found everything"
        for index in range(missing.count()):
            expect(missing.nth(index)).to_contain_text("missing since the count at")
        assert ward.locator("table.armory tr.armory-out").count() >= 1, "nothing issued to the guards"
        assert_accessible(page, "custody on the night")
        shoot(page, shots, "custody-night")
    finally:
        context.close()


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


# --- The fugitive board, the delivery panel and screening in view (pages for 01:10) -------------------

BOARD_LATIN = ("Mirzoyev", "p-mirzoyev-abdurasul")  # a spelling the card shows, in Latin letters
BOARD_CYRILLIC = ("Гофуров", FUGITIVE_ID)  # and one in Cyrillic
BOARD_FOLDED = ("gofurov sherzod", FUGITIVE_ID)  # the card writes Gʻofurov: case and marks do not count


def api_call(server, token, method, path, body=None):
    request = urllib.request.Request(
        server.url + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def visible_people(page):
    return page.eval_on_selector_all(
        "#cards > li.card", "cards => cards.filter(c => !c.hidden).map(c => c.dataset.person)")


def check_fugitive_board(page, server, shots):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.url + "/ui/fugitives")
    page.evaluate("window.__notReloaded = true")
    cards = page.locator("#cards > li.card")
    total = cards.count()
    assert total >= 2, f"the board shows {total} card(s)"
    count = page.locator("#board-count")
    expect(count).to_have_text(f"{total} of {total} shown")
    # Compact: the board of every card fits in two screens of 1280x800.
    height = page.locator("#cards").bounding_box()["height"]
    assert height <= 2 * 800, f"the board of {total} cards is {height:.0f} px high, more than two 800-px screens"
    # Every status menu starts on the person's current status.
    wrong = page.evaluate("""() => [...document.querySelectorAll('#cards > li.card')]
        .map(c => [c, c.querySelector('select[name=status]')])
        .filter(([c, menu]) => menu && menu.value !== c.dataset.status)
        .map(([c, menu]) => `${c.dataset.person}: menu on ${menu.value}, status ${c.dataset.status}`)""")
    assert not wrong, f"status menus not on the current status: {wrong[:5]}"
    # Every filter has a label; the keyboard goes from the search to the filters.
    page.focus("#board-search")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "board-status", f"Tab from the search reaches {focused!r}, not the status filter"
    # A name in Latin letters, in Cyrillic, and without its modifier letter or capitals, finds the one person.
    for typed, person in (BOARD_LATIN, BOARD_CYRILLIC, BOARD_FOLDED):
        page.fill("#board-search", typed)
        expect(count).to_have_text(f"1 of {total} shown")
        assert visible_people(page) == [person], f"searching {typed!r} shows {visible_people(page)}, not {person}"
    page.fill("#board-search", "no such name at all")
    expect(count).to_have_text(f"0 of {total} shown")
    expect(page.locator("#board-empty")).to_be_visible()
    page.fill("#board-search", "")
    expect(count).to_have_text(f"{total} of {total} shown")
    # Each filter narrows the board to the cards that have what was chosen.
    statuses = page.eval_on_selector_all("#cards > li.card", "cards => cards.map(c => c.dataset.status)")
    for status in sorted(set(statuses)):
        page.select_option("#board-status", status)
        expect(count).to_have_text(f"{statuses.count(status)} of {total} shown")
        shown = page.eval_on_selector_all("#cards > li.card:not([hidden])", "cards => cards.map(c => c.dataset.status)")
        assert set(shown) == {status}, f"filtering on {status} shows {set(shown)}"
    page.select_option("#board-status", "")
    for select, attribute in (("#board-group", "groups"), ("#board-nationality", "nationalities")):
        options = page.eval_on_selector_all(f"{select} option", "options => options.map(o => o.value)")
        values = [value for value in options if value and value != "-"]
        assert values, f"{select} offers nothing to choose"
        value = values[0]
        expected = page.eval_on_selector_all(
            "#cards > li.card",
            f"(cards, v) => cards.filter(c => (c.dataset.{attribute} || '').split(' ').includes(v)).length",
            value,
        )
        page.select_option(select, value)
        expect(count).to_have_text(f"{expected} of {total} shown")
        assert 0 < expected < total or len(values) == 1, \
            f"{select}={value} should narrow the board ({expected} of {total})"
        page.select_option(select, "")
    # Combined: a status and a name; the filters go in the address.
    page.select_option("#board-status", "at_large")
    page.fill("#board-search", BOARD_LATIN[0])
    expect(count).to_have_text(f"1 of {total} shown")
    assert "status=at_large" in page.url, f"the filters are not in the address: {page.url}"
    assert_accessible(page, "the fugitive board, filtered")
    page.fill("#board-search", "")
    # A status changed elsewhere arrives by the live feed: the card leaves the filtered board, the count
    # follows and its menu starts on the new status; nothing reloads.
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    at_large = page.eval_on_selector_all("#cards > li.card:not([hidden])", "cards => cards.map(c => c.dataset.person)")
    person = next(p for p in reversed(at_large) if p != FUGITIVE_ID)
    token = api_token(server.url, "demo-commander", server.passwords["demo-commander"])
    api_call(server, token, "POST", f"/v1/persons/{person}/status", {"status": "captured", "note": "board check"})
    card = page.locator(f'li[data-person="{person}"]')
    expect(card).to_have_attribute("data-status", "captured")
    expect(card).to_be_hidden()
    expect(count).to_have_text(f"{len(at_large) - 1} of {total} shown")
    expect(card.locator("select[name=status]")).to_have_value("captured")
    page.select_option("#board-status", "")
    expect(card).to_be_visible()
    # The menu starts on the current status: sending it unchanged is refused in the page.
    card.locator("form.status-form button[type=submit]").click()
    expect(card.locator(f"#status-{person}-error")).to_contain_text("other than the current one")
    api_call(server, token, "POST", f"/v1/persons/{person}/status",
             {"status": "at_large", "note": "board check undone"})
    expect(card).to_have_attribute("data-status", "at_large")
    expect(card.locator("select[name=status]")).to_have_value("at_large")
    assert page.evaluate("window.__notReloaded === true"), "the board reloaded"
    page.goto(server.url + "/ui/fugitives")
    shoot(page, shots, "fugitives-board")
    page.fill("#board-search", BOARD_CYRILLIC[0])
    shoot(page, shots, "fugitives-search")


def delivery_panel_faults(page, block):
    """What is wrong with one alert's delivery panel: counts against rows, order, the re-send's place."""
    return page.evaluate("""(block) => {
        const faults = [];
        const rows = [...block.querySelectorAll('table.deliveries tbody tr')];
        const number = (name) => Number(block.querySelector('.delivery-summary .n-' + name)?.textContent ?? NaN);
        const counts = {
            acknowledged: rows.filter(r => r.dataset.state === 'acknowledged').length,
            delivered: rows.filter(r => r.dataset.state === 'delivered').length,
            silent: rows.filter(r => r.dataset.state === 'silent').length,
            escalated: rows.filter(r => r.dataset.escalated === 'true').length,
        };
        for (const [name, count] of Object.entries(counts)) {
            if (number(name) !== count) faults.push(`summary says ${number(name)} ${name}, the rows ${count}`);
        }
        const order = { silent: 0, delivered: 1, acknowledged: 2 };
        for (let i = 1; i < rows.length; i++) {
            const [a, b] = [rows[i - 1], rows[i]];
            if (order[a.dataset.state] > order[b.dataset.state]) {
                faults.push(`${b.dataset.recipient} (${b.dataset.state}) after ${a.dataset.recipient}`);
            } else if (a.dataset.state === b.dataset.state && a.dataset.state !== 'acknowledged'
                && Date.parse(a.dataset.since) > Date.parse(b.dataset.since)) {
                faults.push(`${b.dataset.recipient}, since ${b.dataset.since}, after one since ${a.dataset.since}`);
            }
        }
        const button = block.querySelector('form.resend button');
        const table = block.querySelector('table.deliveries');
        if (button && table && button.getBoundingClientRect().bottom > table.getBoundingClientRect().top) {
            faults.push('the re-send button is not above the rows');
        }
        if (!button && rows.some(r => r.dataset.state !== 'acknowledged')) faults.push('no re-send');
        return faults.slice(0, 8);
    }""", block.element_handle())


def check_delivery_panel(alerts, server, shots):
    """Runs after check_acknowledgement, on its alerts page: the live rows, then the page anew."""
    blocks = alerts.locator(".alert-block", has=alerts.locator("table.deliveries"))
    expect(blocks.first).to_be_visible()
    faults = delivery_panel_faults(alerts, blocks.first)
    assert not faults, f"after live updates, the latest alert's panel: {faults}"
    expect(blocks.first.locator(".delivery-summary .n-acknowledged")).not_to_have_text("0")
    alerts.goto(server.url + "/ui/alerts")
    states = []
    for index in range(blocks.count()):
        block = blocks.nth(index)
        faults = delivery_panel_faults(alerts, block)
        assert not faults, f"alert {block.get_attribute('data-alert')}: {faults}"
        states += block.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.state)")
    assert "silent" in states, "no alert has a silent recipient to put first"
    first = blocks.first
    silent = first.locator('tbody tr[data-state="silent"]')
    if silent.count():
        assert first.locator("tbody tr").first.get_attribute("data-state") == "silent", "silent rows come first"
    assert_accessible(alerts, "the delivery panels")
    shoot(alerts, shots, "alerts-delivery")


def check_screening_in_view(page, server, shots):
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(server.url + "/ui/screen")
        page.fill("#screen-name", CYRILLIC_SPELLING)
        page.focus("#screen-name")
        page.keyboard.press("Enter")
        hit = page.locator("#screen-results .hit").first
        expect(hit.locator(".hit-name")).to_contain_text(FUGITIVE)
        # In view, and the keyboard's focus on the results.
        expect(page.locator("#screen-results .summary")).to_be_in_viewport()
        expect(hit.locator(".hit-name")).to_be_in_viewport()
        expect(page.locator("#screen-results")).to_be_focused()
        # The explanation: a short sentence per name part, saying what part of the listed name it matched.
        sentences = hit.locator(".hit-explanation li").all_inner_texts()
        assert sentences, "no explanation"
        for text in sentences:
            assert re.fullmatch(r"[^\n↔]{8,160}[.]", text), f"not a short plain sentence: {text!r}"
        parts = [text for text in sentences if " matches " in text and re.search(r"\(\d\.\d\d\)\.$", text)]
        assert len(parts) == 2, f"one sentence per name part of {CYRILLIC_SPELLING!r}, got {sentences}"
        assert any(text.startswith("Гафуров matches the surname ") for text in parts), f"the surname: {parts}"
        assert any(text.startswith("Шерзод matches the given name ") for text in parts), f"given name: {parts}"
        assert any("patronymic" in text and "not in the query" in text for text in sentences), sentences
        page.screenshot(path=str(Path(shots) / f"screening-in-view-{width}x{height}.png"))
    assert_accessible(page, "screening, results in view")
    page.set_viewport_size({"width": 1280, "height": 800})


def check_map(page, server, shots):
    page.goto(server.url + "/ui/")
    figure = page.locator("#map-figure")
    expect(figure).to_have_class(re.compile(r"\bjs-map\b"))
    # Town names: the capital is named at every zoom.
    expect(page.locator("#map-places .place:not(.hidden) text", has_text=re.compile(r"^Dushanbe$"))).to_be_visible()
    # The facility is drawn last, and nothing covers it: the topmost element at its centre is its own.
    facility = page.locator("#map-facility-groups .marker.facility").first
    expect(facility).to_be_visible()
    on_top = facility.evaluate("""marker => {
        const shown = [...document.querySelectorAll('#map .marker, #map-sightings .sighting')];
        const box = marker.querySelector('use').getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return { last: shown.at(-1) === marker, hit: hit?.closest('.marker') === marker };
    }""")
    assert on_top == {"last": True, "hit": True}, f"the facility is not the topmost marker: {on_top}"
    # Dushanbe's checkpoints are one marker with their count, coloured by the worst state in it.
    airport = f'checkpoints/{CHECKPOINT}'
    group = page.locator(f'#map-groups .marker.group[data-ids~="{airport}"]')
    expect(group).to_have_count(1)
    count = int(group.get_attribute("data-count"))
    assert count >= 5, f"the Dushanbe group holds {count} checkpoints"
    expect(group.locator(".marker-count")).to_have_text(str(count))
    expect(group).to_have_attribute("aria-label", re.compile(rf"^{count} checkpoints near Dushanbe"))
    ids = group.get_attribute("data-ids").split()
    states = [page.locator(f'#map-checkpoints [data-id="{id}"]').get_attribute("data-state") for id in ids]
    worst = next(state for state in ("silent", "delivered", "acknowledged", "none") if state in states + ["none"])
    expect(group).to_have_attribute("data-state", worst)
    # A click lists them, each with where it is and its coordinates on hover.
    group.click()
    popup = page.locator("#map-popup")
    expect(popup).to_be_visible()
    expect(page.locator("#map-popup-title")).to_have_text(f"{count} checkpoints near Dushanbe")
    expect(popup.locator("li")).to_have_count(count)
    expect(popup.locator(f'li[data-id="{airport}"]')).to_contain_text("Dushanbe International Airport")
    expect(popup.locator(f'li[data-id="{airport}"] .where')).to_have_attribute("title", "38.5433, 68.8250")
    assert_accessible(page, "the operations page with a group's list open")
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    # Enter opens it from the keyboard.
    group.focus()
    page.keyboard.press("Enter")
    expect(popup).to_be_visible()
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    # The legend draws the map's own symbols.
    symbols = page.locator("#map defs symbol").evaluate_all("nodes => nodes.map(node => '#' + node.id)")
    legend = page.locator(".legend use").evaluate_all("nodes => nodes.map(node => node.getAttribute('href'))")
    drawn = page.locator("#map .marker use, #map-sightings use").evaluate_all(
        "nodes => [...new Set(nodes.map(node => node.getAttribute('href')))]")
    assert legend and set(legend) <= set(symbols), f"the legend uses {legend}, the map defines {symbols}"
    assert set(drawn) <= set(legend), f"the map draws {drawn}, the legend shows {legend}"
    fills = page.evaluate("""() => {
        const fill = (node) => node && getComputedStyle(node).fill;
        return ['silent', 'delivered', 'acknowledged', 'none'].map(state => [
            fill(document.querySelector(`.legend use.state-${state}[href="#sym-checkpoint"]`)),
            fill(document.querySelector(`#map .marker.state-${state}`)) ?? null]);
    }""")
    assert all(marker is None or marker == key for key, marker in fills), f"legend and map colours differ: {fills}"
    shoot(page, shots, "map")
    # Zooming changes the view and separates the group's markers; the view moves with the arrow keys.
    whole = page.locator("#map").get_attribute("viewBox")
    group.click()
    page.locator("#map-popup-zoom").click()
    expect(popup).to_be_hidden()
    expect(page.locator("#map")).not_to_have_attribute("viewBox", whole)
    for _ in range(6):
        if page.locator(f'#map-groups .marker.single[data-ids="{airport}"]').count():
            break
        page.get_by_role("button", name="Zoom in", exact=True).click()
    expect(page.locator(f'#map-groups .marker.single[data-ids="{airport}"]')).to_have_count(1)
    markers = page.locator("#map-groups .marker").evaluate_all("nodes => nodes.map(node => node.dataset.ids)")
    holding = [marker for marker in markers if set(marker.split()) & set(ids)]
    assert len(holding) > 1, f"zoomed in, Dushanbe's checkpoints are still one marker: {holding}"
    expect(page.locator("#map-places .place:not(.hidden) text", has_text=re.compile(r"^Dushanbe$"))).to_be_visible()
    zoomed = page.locator("#map").get_attribute("viewBox")
    page.locator("#map").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#map")).not_to_have_attribute("viewBox", zoomed)
    # And by dragging.
    moved = page.locator("#map").get_attribute("viewBox")
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] - 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + box["height"] - 90, steps=5)
    page.mouse.up()
    expect(page.locator("#map")).not_to_have_attribute("viewBox", moved)
    assert page.locator("#map-popup").is_hidden(), "a drag opened a marker's list"
    assert_accessible(page, "the operations page with the map zoomed in")
    shoot(page, shots, "map-zoomed")
    page.get_by_role("button", name="Whole country").click()
    expect(page.locator("#map")).to_have_attribute("viewBox", whole)
    # A group's colour follows its members as the live feed changes them (live.js sets data-state).
    group = page.locator(f'#map-groups .marker.group[data-ids~="{airport}"]')
    for state in ("acknowledged", "delivered"):
        page.evaluate("""([ids, state, first]) => ids.forEach(id => document.querySelector(
            `#map-checkpoints [data-id="${id}"]`).dataset.state = id === first ? state : 'acknowledged')""",
                      [group.get_attribute("data-ids").split(), state, airport])
        expect(group).to_have_attribute("data-state", state)
    # A sighting away from any checkpoint is placed by the nearest town, with its coordinates on hover.
    token = api_token(server.url, "demo-commander", server.passwords["demo-commander"])
    observed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
    request = urllib.request.Request(
        server.url + "/v1/sightings", method="POST",
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
        data=json.dumps({"id": "s-map-gharm", "observed_at": observed, "location": {"lat": 39.03, "lon": 70.375},
                         "person": FUGITIVE_ID, "source": "patrol", "confidence": "medium",
                         "note": "Seen with a guide above the town"}).encode())
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201, f"POST /v1/sightings answered {answer.status}"
    place = page.locator("#tl-sighting-s-map-gharm .place")
    expect(place).to_have_text("in Gharm")
    expect(place).to_have_attribute("title", "39.0300, 70.3750")
    expect(page.locator('#map-sightings [data-id="sighting-s-map-gharm"] title')).to_contain_text(
        "in Gharm (patrol, medium confidence): Seen with a guide above the town — 39.0300, 70.3750")
    page.reload()
    expect(page.locator("#tl-sighting-s-map-gharm .place")).to_have_attribute("title", "39.0300, 70.3750")
    named = page.locator("#timeline li.kind-sighting .place").evaluate_all(
        "nodes => nodes.map(node => [node.textContent, node.title])")
    nearest = re.compile(r"^(at .+|in .+|\d+ km (north|south|east|west|(north|south)-(east|west)) of .+)$")
    coordinates = re.compile(r"^-?\d+\.\d{4}, -?\d+\.\d{4}")
    wrong = [(text, title) for text, title in named if not (nearest.match(text) and coordinates.match(title))]
    assert not wrong, f"sightings not placed by a town or checkpoint with coordinates on hover: {wrong}"
    bare = re.compile(r"\bat -?\d+\.\d{4}, -?\d+\.\d{4}")
    assert not bare.search(page.locator("#main").inner_text()), "a place is still written as bare coordinates"


# --- Reading a report (analysts, commanders, admins) ---------------------------------------------------

READ_FUGITIVE = "p-mirzoyev-abdurasul"
# A pin (one scalar, two UTF-16 units) first, so a highlight placed by UTF-16 units would be off by one;
# the fugitive in the genitive, his surname alone referring back to him (weaker), then a deputy minister
# who shares his surname and must not alert.
READ_REPORT = (
    "📌 ДУШАНБЕ, 24 августа. Пограничники продолжают розыск Абдурасула Мирзоева, бежавшего из "
    "следственного изолятора ГКНБ. По словам источника, утром Мирзоев был замечен в Вахдате.\n\n"
    "Заместитель министра внутренних дел Рустам Мирзоев заявил, что посты на трассе Душанбе — Вахдат усилены."
)
READ_SOURCE = "Wire, 24 August (check)"
READ_HTML = (
    "<!doctype html><html><head><title>Хроника</title><style>p { color: red }</style></head><body>"
    "<p>Свидетели видели <b>Давлатова</b> Хикматулло на рынке в Гарме.</p>"
    "<script>var name = 'Абдурасул Мирзоев';</script></body></html>"
)


def check_lead(page, server, shots):
    """Looking back: a checkpoint screened a man before he was wanted again; his being declared at large
    turns that query into a lead on the operations timeline, live, and one button makes it a sighting."""
    page.goto(server.url + "/ui/")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    officer = api_token(server.url, "demo-checkpoint-officer", server.passwords["demo-checkpoint-officer"])
    commander = api_token(server.url, "demo-commander", server.passwords["demo-commander"])
    person = api_call(server, commander, "GET", f"/v1/persons/{FUGITIVE_ID}")
    history = (person.get("wanted") or {}).get("history") or [{}]
    if history[-1].get("status") == "at_large":
        api_call(server, commander, "POST", f"/v1/persons/{FUGITIVE_ID}/status",
                 {"status": "captured", "note": "Held at the airport"})
    # Screened while he is off the list: no alert then.
    api_call(server, officer, "POST", "/v1/screen", {"name": "Sherzod Gofurrov"})
    api_call(server, commander, "POST", f"/v1/persons/{FUGITIVE_ID}/status",
             {"status": "at_large", "note": "Left the airport holding cell"})
    line = page.locator("#timeline li.kind-lead", has_text="Sherzod Gofurrov")
    expect(line).to_have_count(1, timeout=30_000)
    action = line.locator(".lead-action")
    if action.locator("select.lead-checkpoint").count():
        action.locator("select.lead-checkpoint").select_option(index=0)
    assert_accessible(page, "the operations page with a lead")
    action.get_by_role("button", name="Make a sighting").click()
    expect(action.locator(".lead-result")).to_contain_text("Sighting s-")
    expect(action.get_by_role("button", name="Make a sighting")).to_have_count(0)
    sightings = api_call(server, commander, "GET", f"/v1/sightings?person={FUGITIVE_ID}")
    items = sightings if isinstance(sightings, list) else sightings.get("items", sightings.get("sightings", []))
    assert any(str(item.get("lead", "")).strip() for item in items), f"no sighting from the lead: {items}"
    shoot(page, shots, "operations-lead")


def check_reading(browser, server, shots, folder):
    context = browser.new_context(timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, server.url, "demo-analyst", server.passwords["demo-analyst"])
        page.get_by_role("link", name="Read a report").click()
        page.wait_for_url("**/ui/read")
        assert_accessible(page, "the reading page, empty")
        # Nothing to read: said next to the box.
        page.get_by_role("button", name="Read the report").click()
        expect(page.locator("#read-text-error")).to_have_text("Paste a report or choose a file.")
        expect(page.locator("#read-text")).to_have_attribute("aria-invalid", "true")
        page.fill("#read-text", READ_REPORT)
        page.fill("#read-source", READ_SOURCE)
        page.get_by_role("button", name="Read the report").click()
        results = page.locator("#read-results")
        expect(results.locator(".read-text")).to_be_visible()
        expect(results).to_be_focused()
        # The fugitive, inflected, is highlighted as an alert where the offsets (in scalars) put him, and
        # links to his card; the official who shares his surname does not alert.
        alerting = results.locator(f'.read-text a.mention[data-entity="{READ_FUGITIVE}"][data-alert="true"]')
        expect(alerting.first).to_have_text("Абдурасула Мирзоева")
        expect(alerting.first).to_have_attribute("href", f"/ui/fugitives#person-{READ_FUGITIVE}")
        marked = results.locator(".read-text a.mention").evaluate_all(
            "links => links.map(link => [link.firstChild.textContent, link.dataset.alert, link.className])")
        assert [text for text, _, _ in marked] == ["Абдурасула Мирзоева", "Мирзоев"], \
            f"the fugitive and the surname referring back to him are marked, the official is not: {marked}"
        strong = [text for text, _, classes in marked if "strong" in classes.split()]
        assert strong == ["Абдурасула Мирзоева"], f"only the full name is marked strongly: {marked}"
        earlier = results.locator('.read-text a.mention.weak[data-basis="earlier_mention"]')
        expect(earlier).to_have_count(1)
        expect(earlier.locator(".mention-tag")).to_have_text(" [earlier mention]")
        expect(results.locator(".read-mention")).to_have_count(2)
        # The explanation on focus, and in the list beside the text.
        alerting.first.focus()
        tip = page.locator("#" + alerting.first.get_attribute("aria-describedby"))
        expect(tip).to_be_visible()
        expect(tip).to_contain_text("alert")
        entity = results.locator(f"#entity-{READ_FUGITIVE}")
        expect(entity.locator(".badge")).to_have_text("ALERT")
        expect(entity.locator(".explanation").first).not_to_be_empty()
        expect(entity.locator(".read-mention").nth(1)).to_contain_text("Refers back to “Абдурасула Мирзоева”")
        assert_accessible(page, "the reading page with a report read")
        shoot(page, shots, "read-explained")
        results.focus()
        shoot(page, shots, "read")
        page.set_viewport_size({"width": 1280, "height": 800})
        # Attached to his timeline as a source, and there on his card.
        entity.get_by_role("button", name=re.compile("^Attach to the timeline of")).click()
        expect(entity.locator(".result")).to_contain_text("Attached to the timeline of")
        entity.locator(".result a").click()
        page.wait_for_url(f"**/ui/fugitives#person-{READ_FUGITIVE}")
        card = page.locator(f"#person-{READ_FUGITIVE}")
        expect(card.locator("details.more")).to_have_attribute("open", "")
        line = card.locator(".person-timeline li.kind-report")
        expect(line).to_have_count(1)
        expect(line).to_contain_text("Report attached")
        expect(line).to_contain_text(READ_SOURCE)
        expect(line).to_contain_text("demo-analyst")
        assert_accessible(page, "the fugitive board with a card's timeline open")
        shoot(page, shots, "fugitives-report-attached")
        page.set_viewport_size({"width": 1280, "height": 800})
        # An HTML file, read in the browser as UTF-8: its markup is shown as text with the name found in
        # its text highlighted on the markup's offsets; the script is not read, nothing is injected.
        page.goto(server.url + "/ui/read")
        html = Path(folder) / "chronicle.html"
        html.write_text(READ_HTML, encoding="utf-8")
        page.set_input_files("#read-file", str(html))
        expect(page.locator("#read-text")).to_have_value(READ_HTML)
        expect(page.locator("#read-format")).to_have_value("html")
        expect(page.locator("#read-source")).to_have_value("chronicle.html")
        page.get_by_role("button", name="Read the report").click()
        view = page.locator("#read-results .read-text")
        expect(view).to_contain_text("<script>var name")
        mention = view.locator('a.mention[data-entity="p-davlatov-hikmatullo"]')
        expect(mention).to_have_count(1)
        expect(mention).to_contain_text("Давлатова</b> Хикматулло")
        expect(view.locator('a.mention[data-entity="p-mirzoyev-abdurasul"]')).to_have_count(0)
        expect(view.locator("b, script, style, p")).to_have_count(0)
        expect(page.locator("#read-results")).to_contain_text("shown as it was sent")
        assert_accessible(page, "the reading page with an HTML file read")
        shoot(page, shots, "read-html")
        # A file that is not UTF-8 is refused next to its field.
        latin = Path(folder) / "latin1.txt"
        latin.write_bytes("Mirzoyev à Vahdat".encode("latin-1"))
        page.set_input_files("#read-file", str(latin))
        expect(page.locator("#read-file-error")).to_contain_text("not UTF-8")
        assert not errors, f"errors in the reading page: {errors}"
    finally:
        context.close()
    # Other roles have neither the link nor the page.
    context = browser.new_context(timezone_id=BROWSER_ZONE)
    page = context.new_page()
    try:
        sign_in(page, server.url, "demo-custody-officer", server.passwords["demo-custody-officer"])
        expect(page.get_by_role("link", name="Read a report")).to_have_count(0)
        response = page.goto(server.url + "/ui/read")
        assert response.status == 403, f"/ui/read gave {response.status} to a custody officer"
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
            checks.run("the demo's night: silent posts, inmates at large, armory items missing", check_demo_night,
                       browser, server, shots)
            if checks.run("sign in: messages next to the fields, keyboard, the browser's zone",
                          check_sign_in, page, server, shots):
                checks.run("every page passes axe-core; screenshots", check_pages_accessible, page, server, shots)
                checks.run("screening by a Cyrillic spelling, explained; bad input kept", check_screening,
                           page, server, shots)
                checks.run("screening: results in view and focused, explained in sentences",
                           check_screening_in_view, page, server, shots)
                other = context.new_page()
                watch(other)
                checks.run("a sighting appears on another page's timeline and map without reload",
                           check_sighting, page, other, server, shots)
                checks.run("a checkpoint turns from silent to acknowledged when its client acknowledges",
                           check_acknowledgement, page, other, server, shots, arguments.binary, folder)
                checks.run("the delivery panel: summary matches the rows, re-send first, silent first",
                           check_delivery_panel, other, server, shots)
                checks.run("a capture on the board reaches the timeline without reload", check_capture,
                           page, other, server, shots)
                checks.run("the fugitive board: search, filters, compact, menus on the current status",
                           check_fugitive_board, other, server, shots)
                checks.run("the map: towns, facility on top, groups that open, zoom and pan, the legend's symbols",
                           check_map, page, server, shots)
            checks.run("custody: check-in, roll call and armory, bad input kept", check_custody, browser, server, shots)
            checks.run("a lead from a past screening made a sighting in one step", check_lead, page, server, shots)
            checks.run("roles: a checkpoint officer, signing out, the auditor", check_roles, browser, server, shots)
            checks.run("reading a report: highlights on scalar offsets, the official not alerting, an HTML file, "
                       "attached to the timeline", check_reading, browser, server, shots, folder)
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
