"""The web app in a real browser: sign-in, the manager's prepare → notes → confirm → follow-up loop, an employee
who cannot open a peer's page, CSRF refusal, keyboard use, a phone-width layout and the axe-core check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coach.store.web import create_signin_code
from tests.web_browser import screenshot

pytestmark = pytest.mark.slow

NOTES = """Career check-in with Lena

Talked about the payments migration: went well, the rollback plan impressed the on-call team.
Lena wants to lead a small team within a year but worries about losing touch with the code.

Actions
- Lena will write the design doc for the dead-letter queue by next Friday
- Daniel to introduce Lena to the staff engineers' guild by end of month
- Lena will pair with Mei on the on-call runbook

Next check-in in four weeks.
"""


def _sign_in_with_link(browser, api, store, role: str, person: str | None):
    code = create_signin_code(store, role, person, valid_for=timedelta(minutes=5))
    context = browser.new_context(base_url=api.base_url)
    page = context.new_page()
    page.goto(f"/signin/link?code={code}")
    page.get_by_role("button", name="Continue to Coach").click()
    return page


def _sign_in_with_token(browser, api, who: str):
    context = browser.new_context(base_url=api.base_url)
    page = context.new_page()
    page.goto("/")
    assert "/signin" in page.url  # not signed in: sent to the sign-in page
    page.get_by_label("Token").fill(api.tokens[who])
    page.get_by_role("button", name="Sign in").click()
    return page


def test_manager_prepares_files_notes_confirms_and_the_employee_follows_up(browser, api, store) -> None:  # noqa: F811
    page = _sign_in_with_link(browser, api, store, "manager", "daniel-kim")
    assert page.url.endswith("/team")
    assert page.get_by_role("heading", name="Your team").is_visible()
    screenshot(page, "team")
    page.get_by_role("link", name="Lena Fischer", exact=True).click()
    page.get_by_role("link", name="Prepare a conversation").click()
    page.get_by_label("What Lena wants").fill("Lead a small team within a year, but I'm scared of losing touch "
                                               "with the code")
    page.get_by_label("Recent context").fill("Shipped the payments migration with a rollback plan.")
    page.get_by_role("button", name="Suggest questions").click()
    page.wait_for_url("**/agendas/**")
    questions = page.locator("ol.agenda > li .question").all_inner_texts()
    assert 5 <= len(questions) <= 15 and all(q.endswith("?") for q in questions)
    assert page.locator("ol.agenda > li .sources").count() >= 1  # each question shows what it draws on
    screenshot(page, "prepare")
    # Swap the first question that has alternatives for one of them.
    swap = page.locator("ol.agenda > li details").first
    if swap.count():
        before = page.locator("ol.agenda > li .question").all_inner_texts()
        swap.locator("summary").click()
        chosen = swap.locator("form").first.inner_text().replace("Use this", "").split(" instead of")[0].strip()
        swap.get_by_role("button").first.click()
        after = page.locator("ol.agenda > li .question").all_inner_texts()
        assert after != before and any(chosen.startswith(q[:40]) or q.startswith(chosen[:40]) for q in after)
    page.get_by_label("Question", exact=False).first.fill("What would make the next six months feel worthwhile?")
    page.get_by_label("Where in the conversation").select_option("aspire")
    page.get_by_role("button", name="Add", exact=True).click()
    assert "What would make the next six months feel worthwhile?" in page.locator("ol.agenda").inner_text()
    assert "What would make the next six months" in page.get_by_label("Copy it into the calendar").input_value()

    page.get_by_role("link", name="After the conversation: add notes").click()
    page.get_by_label("Notes", exact=False).last.fill(NOTES)
    page.get_by_label("Date of the conversation").fill("2026-11-30")
    page.get_by_role("button", name="Draft the summary").click()
    page.wait_for_url("**/notes/**")
    body = page.locator("main").inner_text()
    assert "design doc for the dead-letter queue" in body.lower()
    screenshot(page, "summary")
    # Correct the draft: reject one, edit one, add a missed one, then confirm.
    items = page.locator("#commitments ~ ol > li")
    runbook = items.filter(has_text="runbook")
    if runbook.count():
        runbook.get_by_role("button", name=re.compile("^Reject")).click()
    review = page.locator("#commitments ~ ol > li").filter(has_text="guild")
    review.locator("summary").click()
    review.get_by_label("Success indicator").fill("Lena attends two review sessions")
    review.get_by_role("button", name="Save changes").click()
    page.locator("details").filter(has_text="Add a commitment Coach missed").locator("summary").click()
    page.get_by_label("Action").last.fill("Share the team-lead reading list")
    page.locator("#new-owner").select_option("Daniel Kim")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("button", name="Confirm the summary and track its commitments").click()
    assert "confirmed" in page.locator("main .sub").inner_text()
    assert "Lena attends two review sessions" in page.locator("main").inner_text()
    assert page.get_by_label("Follow-up e-mail").input_value().strip()

    # The employee sees her commitments and marks one done with a comment.
    lena = _sign_in_with_token(browser, api, "employee")
    assert lena.url.endswith("/people/lena-fischer")
    assert "My commitments" in lena.locator("main").inner_text()
    row = lena.locator("tr").filter(has_text="dead-letter queue")
    row.locator("summary").click()
    row.get_by_label("Comment").fill("Doc reviewed by the team")
    row.get_by_role("button", name="Save").click()
    lena.locator("details").filter(has_text="Closed commitments").locator("summary").first.click()
    assert "dead-letter queue" in lena.locator("details").filter(has_text="Closed commitments").inner_text()
    # The manager's own commitment cannot be closed by the employee.
    assert "the manager's to close" in lena.locator("tr").filter(has_text="guild").inner_text()
    screenshot(lena, "employee-home")

    # Back on the team page the manager sees the next check-in the notes agreed.
    page.goto("/team")
    assert re.search(r"\d+ \w{3} 20\d\d", page.locator("tr").filter(has_text="Lena Fischer").inner_text())


def test_an_employee_cannot_open_a_peers_page(browser, api) -> None:  # noqa: F811
    page = _sign_in_with_token(browser, api, "other_employee")
    response = page.goto("/people/lena-fischer")
    assert response is not None and response.status == 403
    text = page.locator("main").inner_text()
    assert "You can see your own page" in text and "Traceback" not in text
    page.get_by_role("link", name="go to your page").click()
    assert page.url.endswith("/people/priya-raman")
    assert page.goto("/team").status == 403
    assert page.goto("/notes/00000000-0000-0000-0000-000000000000").status == 404


def test_a_form_without_this_sessions_token_is_refused(browser, api, store) -> None:  # noqa: F811
    page = _sign_in_with_link(browser, api, store, "manager", "daniel-kim")
    page.goto("/people/lena-fischer/notes/new")
    page.get_by_label("Notes", exact=False).last.fill("Lena will send the slides by Friday.")
    page.evaluate("document.querySelector('form[action$=\"/notes\"] input[name=csrf]').value = 'forged'")
    page.get_by_role("button", name="Draft the summary").click()
    assert "This form has expired" in page.locator("h1").inner_text()
    # Nothing was filed.
    page.goto("/people/lena-fischer")
    assert "send the slides" not in page.locator("main").inner_text()


def test_keyboard_and_phone_width(browser, api, store) -> None:  # noqa: F811
    page = _sign_in_with_link(browser, api, store, "manager", "daniel-kim")
    page.goto("/team")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    phone = browser.new_context(base_url=api.base_url, viewport={"width": 375, "height": 800})
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    for path in ("/team", "/people/lena-fischer", "/people/lena-fischer/prepare", "/people/lena-fischer/paths"):
        small.goto(path)
        overflow = small.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 375px"
    screenshot(small, "phone-paths")
    # Reading needs no script: the same pages with JavaScript off.
    no_js = browser.new_context(base_url=api.base_url, java_script_enabled=False)
    no_js.add_cookies(page.context.cookies())
    plain = no_js.new_page()
    plain.goto("/people/lena-fischer")
    assert plain.get_by_role("heading", name="Lena Fischer").is_visible()
    plain.goto("/people/lena-fischer/paths")
    assert plain.locator("svg.chart").count() == 1 and plain.locator("main ol > li").count() >= 1
    # Words that match nothing (here only emoji) get a question to ask first, above the usual directions.
    page.goto("/people/lena-fischer/paths")
    page.get_by_label("What energises").fill("🚀🚀🚀")
    page.get_by_role("button", name="Show paths").click()
    assert page.get_by_role("note").filter(has_text="Ask first").is_visible()
    screenshot(page, "paths-clarify")


def test_no_serious_or_critical_accessibility_violations(browser, api, store) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    admin = _sign_in_with_link(browser, api, store, "admin", None)
    manager = _sign_in_with_link(browser, api, store, "manager", "daniel-kim")
    manager.goto("/people/lena-fischer/map?new=1")
    manager.locator("#aspiration").fill("Become an engineering manager of a small team")
    manager.get_by_role("button", name="Make the map").click()
    manager.wait_for_url("**/maps/**")
    map_url = manager.url
    manager.goto("/people/lena-fischer/prepare")
    manager.get_by_role("button", name="Suggest questions").click()
    manager.wait_for_url("**/agendas/**")
    agenda_url = manager.url
    manager.goto("/people/lena-fischer")
    note_links = manager.locator("main ul a[href^='/notes/']")
    pages = [(manager, p) for p in ("/team", "/people/lena-fischer", "/people/lena-fischer/prepare", agenda_url,
                                    "/people/lena-fischer/notes/new", map_url, "/people/lena-fischer/paths")]
    if note_links.count():
        pages.append((manager, note_links.first.get_attribute("href")))
    pages += [(admin, "/knowledge"), (admin, "/knowledge/roles/engineering-manager"), (admin, "/nowhere")]
    employee = _sign_in_with_link(browser, api, store, "employee", "lena-fischer")
    pages += [(employee, "/people/lena-fischer/reflect"), (employee, "/people/lena-fischer/opportunities"),
              (manager, "/people/lena-fischer/reflect")]
    signed_out = browser.new_context(base_url=api.base_url).new_page()
    pages.append((signed_out, "/signin"))
    found = []
    for page, path in pages:
        page.goto(path)
        results = axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                found.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} at "
                             f"{[n['target'] for n in v['nodes']][:3]}")
    assert not found, "\n".join(found)
    manager.goto(map_url)
    screenshot(manager, "development-map")
    admin.goto("/knowledge")
    screenshot(admin, "knowledge")


def test_the_manager_checks_and_gives_feedback_in_the_browser(browser, api, store) -> None:  # noqa: F811
    page = _sign_in_with_link(browser, api, store, "manager", "daniel-kim")
    page.goto("/people/lena-fischer")
    page.get_by_role("link", name="Feedback").click()
    page.get_by_label("Your feedback").fill("You're a slacker who never pulls their weight.")
    page.get_by_role("button", name="Check the wording").click()
    verdict = page.locator("#verdict")
    assert "judges the person" in verdict.inner_text() and "leave the label out" in verdict.inner_text()
    screenshot(page, "feedback-check")
    page.get_by_label("Your feedback").fill(
        "In yesterday's planning meeting, you walked the team through the trade-offs of the two designs. "
        "It cut the decision to one meeting. Next time, please send the options a day ahead.")
    page.get_by_role("button", name="Give it and link it to the map").click()
    assert "Linked to the map" in page.locator("#verdict").inner_text()
    screenshot(page, "feedback-given")
