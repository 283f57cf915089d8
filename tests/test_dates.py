"""Due-date phrases against calendar truth, for fixed meeting dates."""

from __future__ import annotations

from datetime import date

import pytest

from coach.followup.dates import find_due_phrase, is_asap, resolve_due_date

WED = date(2025, 3, 5)  # a Wednesday
FRI = date(2025, 8, 8)  # a Friday
AUTUMN = date(2025, 10, 2)  # a Thursday in Q4


def test_the_meeting_dates_are_the_weekdays_the_tests_assume() -> None:
    assert (WED.strftime("%A"), FRI.strftime("%A"), AUTUMN.strftime("%A")) == ("Wednesday", "Friday", "Thursday")


@pytest.mark.parametrize(("phrase", "expected"), [
    # end of a month: the next occurrence on or after the meeting
    ("end of March", date(2025, 3, 31)),
    ("by end of March", date(2025, 3, 31)),
    ("end of Feb", date(2026, 2, 28)),
    ("by the end of September", date(2025, 9, 30)),
    ("end of the month", date(2025, 3, 31)),
    ("before the end of the month", date(2025, 3, 31)),
    ("by end of month", date(2025, 3, 31)),
    ("EOM", date(2025, 3, 31)),
    ("this month", date(2025, 3, 31)),
    ("end of next month", date(2025, 4, 30)),
    ("next month", date(2025, 4, 30)),
    ("in May", date(2025, 5, 31)),
    ("mid-May", date(2025, 5, 15)),
    # relative spans
    ("within 3 weeks", date(2025, 3, 26)),
    ("in 3 weeks", date(2025, 3, 26)),
    ("in two weeks", date(2025, 3, 19)),
    ("in 6 weeks", date(2025, 4, 16)),
    ("within a month", date(2025, 4, 5)),
    ("in 10 days' time", date(2025, 3, 15)),
    ("in a fortnight", date(2025, 3, 19)),
    # quarters and years
    ("Q3", date(2025, 9, 30)),
    ("in Q1", date(2025, 3, 31)),
    ("end of Q4", date(2025, 12, 31)),
    ("end of the quarter", date(2025, 3, 31)),
    ("next quarter", date(2025, 6, 30)),
    ("end of year", date(2025, 12, 31)),
    ("EOY", date(2025, 12, 31)),
    ("before EOY", date(2025, 12, 31)),
    # weeks and weekdays (Wednesday meeting)
    ("this week", date(2025, 3, 7)),
    ("by EOW", date(2025, 3, 7)),
    ("end of the week", date(2025, 3, 7)),
    ("next week", date(2025, 3, 14)),
    ("end of next week", date(2025, 3, 14)),
    ("by Friday", date(2025, 3, 7)),
    ("next Friday", date(2025, 3, 14)),
    ("by next Friday", date(2025, 3, 14)),
    ("next Monday", date(2025, 3, 10)),
    ("by Wednesday", date(2025, 3, 12)),
    ("next Wednesday", date(2025, 3, 12)),
    # days
    ("today", WED),
    ("EOD", WED),
    ("tomorrow", date(2025, 3, 6)),
    ("tmrw", date(2025, 3, 6)),
    ("the 16th", date(2025, 3, 16)),
    ("by the 3rd", date(2025, 4, 3)),
    # calendar dates: dateparser, rolled forward past the meeting
    ("Sept 30", date(2025, 9, 30)),
    ("Nov 20", date(2025, 11, 20)),
    ("by Dec 1st", date(2025, 12, 1)),
    ("6 May", date(2025, 5, 6)),
    ("Feb 10", date(2026, 2, 10)),
    ("b4 feb 15", date(2026, 2, 15)),
    ("2026-12-01", date(2026, 12, 1)),
    ("3/4", date(2026, 3, 4)),
    ("12/31", date(2025, 12, 31)),
    ("26/3", date(2025, 3, 26)),
])
def test_phrases_resolve_to_calendar_truth(phrase: str, expected: date) -> None:
    assert resolve_due_date(phrase, WED) == expected


def test_a_friday_meeting_means_next_weeks_friday() -> None:
    assert resolve_due_date("by Friday", FRI) == date(2025, 8, 15)
    assert resolve_due_date("next week", FRI) == date(2025, 8, 15)
    assert resolve_due_date("this week", FRI) == FRI


def test_quarters_and_months_already_over_roll_to_next_year() -> None:
    assert resolve_due_date("Q1", AUTUMN) == date(2026, 3, 31)
    assert resolve_due_date("end of Q3", AUTUMN) == date(2026, 9, 30)
    assert resolve_due_date("end of March", AUTUMN) == date(2026, 3, 31)
    assert resolve_due_date("end of Q4", AUTUMN) == date(2025, 12, 31)
    assert resolve_due_date("Q2 2026", AUTUMN) == date(2026, 6, 30)


def test_date_order_setting_decides_ambiguous_numeric_dates() -> None:
    assert resolve_due_date("3/4", WED, date_order="MDY") == date(2026, 3, 4)
    assert resolve_due_date("3/4", WED, date_order="DMY") == date(2025, 4, 3)
    assert resolve_due_date("24/7", WED) == date(2025, 7, 24)  # unambiguous: 24 cannot be a month
    assert resolve_due_date("13/13", WED) is None


def test_next_check_in_and_asap() -> None:
    check_in = date(2025, 4, 2)
    assert resolve_due_date("before the next check-in", WED, next_check_in=check_in) == check_in
    assert resolve_due_date("before next 1:1", WED, next_check_in=check_in) == check_in
    assert resolve_due_date("before the next check-in", WED) is None
    assert resolve_due_date("ASAP", WED) is None and is_asap("asap") and is_asap("as soon as possible")


def test_resolved_dates_are_never_before_the_meeting() -> None:
    assert resolve_due_date("2024-01-01", WED) is None
    assert resolve_due_date("in the next cycle", WED) is None
    assert resolve_due_date("", WED) is None


@pytest.mark.parametrize(("sentence", "phrase"), [
    ("Sam to write a design doc by end of Feb", "by end of Feb"),
    ("David will lead the Q3 vendor renewal and have a plan ready by 2026-05-15.", "by 2026-05-15"),
    ("AI: Kenji - reduce support rotation to 1 wk/month, by 3/21", "by 3/21"),
    ("Yara to get Lucas on the agenda in Q1", "in Q1"),
    ("Isabel to write one design per week for the next 4 weeks, first by end of next week", "by end of next week"),
    ("Next conversation: mid-May.", "mid-May"),
    ("Ines will build the API within 6 weeks, done when it's live", "within 6 weeks"),
    ("block 2 focus mornings on his calendar ASAP", "ASAP"),
    ("Clara to read the book before next check-in", "before next check-in"),
    ("nxt chk-in 2/4", "2/4"),
])
def test_find_due_phrase_in_running_text(sentence: str, phrase: str) -> None:
    found = find_due_phrase(sentence)
    assert found is not None and found[0] == phrase
    assert sentence[found[1]:found[2]] == phrase


@pytest.mark.parametrize("sentence", [
    "Sam felt the Q4 release went well",
    "Wei presents at the Oct engineering all-hands",
    "Sara to shadow planning meetings for the next month",
    "Ben will pair with Ana two afternoons a week",
    "Hugo gives her Fridays for learning",
    "She sat with the support team",
    "Last quarter she led the migration",
    "We offer 24/7 support to the payments team",
])
def test_no_due_phrase_where_there_is_none(sentence: str) -> None:
    assert find_due_phrase(sentence) is None


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    # a weekday that decorates a calendar date: the date counts, not the weekday's next occurrence
    ("send the deck by Thu 20 Mar", "by Thu 20 Mar", date(2025, 3, 20)),
    ("demo ready by tues 11th", "by tues 11th", date(2025, 3, 11)),
    ("book the venue by Friday the 28th", "by Friday the 28th", date(2025, 3, 28)),
    ("shadow the on-call handover this coming Mon (10 Mar)", "this coming Mon (10 Mar)", date(2025, 3, 10)),
    ("review the draft wed 3/19", "wed 3/19", date(2025, 3, 19)),
    # "for" before a specific day is a target date, not a duration
    ("reserve the room for the 21st", "for the 21st", date(2025, 3, 21)),
    # "during" a named period, and a date in brackets, are deadlines at the period's end
    ("run two brown-bags during Q2", "during Q2", date(2025, 6, 30)),
    ("own the hiring loop revamp (Q3)", "Q3", date(2025, 9, 30)),
])
def test_weekday_led_dates_targets_and_bracketed_periods(text: str, phrase: str, expected: date) -> None:
    found = find_due_phrase(text)
    assert found is not None and found[0] == phrase
    assert resolve_due_date(found[0], WED) == expected


@pytest.mark.parametrize("text", [
    "pair with Omar on the billing fixes thurs afternoons",  # a recurring slot
    "take over the tues standups",  # a weekday naming a meeting
    "reply within 3 days of getting the survey results",  # counted from another event
    "mentor the intern starting in June",  # a start, not a deadline
])
def test_recurring_weekdays_and_spans_from_other_events_are_no_deadlines(text: str) -> None:
    assert find_due_phrase(text) is None


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    # "same time next week" is a week after the meeting, not next week's Friday
    ("next sync same time next week", "same time next week", date(2025, 3, 12)),
    ("catch up a week today", "a week today", date(2025, 3, 12)),
    # "latest on Friday" is a deadline, its "latest" part of the phrase
    ("I will ask Omar latest on Friday", "latest on Friday", date(2025, 3, 7)),
    # "aim for" names a target, not a duration
    ("first pass at the templates (aim for end of month)", "end of month", date(2025, 3, 31)),
    # "Weds" is Wednesday, also before a calendar date
    ("demo at the guild meeting (Weds 12 March)", "Weds 12 March", date(2025, 3, 12)),
])
def test_a_week_on_latest_on_aim_for_and_weds(text: str, phrase: str, expected: date) -> None:
    found = find_due_phrase(text)
    assert found is not None and found[0] == phrase
    assert resolve_due_date(found[0], WED) == expected


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    # the end of the business day names that day
    ("send me the rota by COB Weds", "by COB Weds", date(2025, 3, 12)),
    ("EOD Friday", "EOD Friday", date(2025, 3, 7)),
    # a weekday "next week" is that weekday in the week after the meeting's
    ("share the draft by Thursday next week", "by Thursday next week", date(2025, 3, 13)),
    # a loose deadline pinned by a date in brackets: the bracketed date counts
    ("draft due end of sprint (Fri 14th)", "due end of sprint (Fri 14th)", date(2025, 3, 14)),
    ("send it by Friday next week (21 Mar)", "by Friday next week (21 Mar)", date(2025, 3, 21)),
    ("shadow a ward round by the end of term (Fri 28th)", "by the end of term (Fri 28th)", date(2025, 3, 28)),
])
def test_end_of_day_weekday_next_week_and_a_loose_phrase_pinned_in_brackets(text: str, phrase: str,
                                                                            expected: date) -> None:
    found = find_due_phrase(text)
    assert found is not None and found[0] == phrase
    assert resolve_due_date(found[0], WED) == expected


def test_a_week_of_a_month_has_no_date_and_a_possessive_period_is_no_deadline() -> None:
    found = find_due_phrase("start the course in the first week of April")
    assert found is not None and found[0] == "in the first week of April"
    assert resolve_due_date(found[0], WED) is None
    assert find_due_phrase("ask whether it fits in this year's training budget") is None
    found = find_due_phrase("finish it by next month's offsite")
    assert found is not None and resolve_due_date(found[0], WED) == date(2025, 4, 30)


def test_the_notes_own_numeric_dates_settle_the_date_order() -> None:
    from coach.followup.dates import infer_date_order

    assert infer_date_order("Thu 24/09: send the list. 06/10: next 1:1") == "DMY"
    assert infer_date_order("by 9/24, then 10/6") == "MDY"
    assert infer_date_order("by 3/4") == "MDY"  # nothing settles it: the default
    assert resolve_due_date("06/10", date(2026, 9, 22), date_order="DMY") == date(2026, 10, 6)


def test_our_next_one_on_one_is_the_next_check_in_and_slots_in_a_month_are_no_deadline() -> None:
    found = find_due_phrase("report back by our next 1:1")
    assert found is not None and found[0] == "by our next 1:1"
    assert resolve_due_date(found[0], WED, next_check_in=date(2025, 3, 19)) == date(2025, 3, 19)
    assert find_due_phrase("we talked about our next 1:1") is None  # named, not a deadline
    # a month after recurring slots says when they fall: no deadline
    assert find_due_phrase("free up his Friday afternoons in April for the pilot") is None
    assert find_due_phrase("cover the weekends during May") is None
    found = find_due_phrase("cover two weekend shifts in April")
    assert found is not None and resolve_due_date(found[0], WED) == date(2025, 4, 30)


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("shadow Mei's discovery interviews over the next month", "over the next month", date(2025, 4, 5)),
    ("keep a decision log over the next two weeks", "over the next two weeks", date(2025, 3, 19)),
    ("review the docs over the coming fortnight", "over the coming fortnight", date(2025, 3, 19)),
    ("try three mentors over the next few weeks", "over the next few weeks", date(2025, 3, 26)),
])
def test_over_the_next_span_is_due_at_its_end(text: str, phrase: str, expected: date) -> None:
    found = find_due_phrase(text)
    assert found is not None and found[0] == phrase
    assert resolve_due_date(found[0], WED) == expected


def test_a_span_with_no_length_or_a_duration_is_no_deadline() -> None:
    assert find_due_phrase("keep an estimation log over the next sprint") is None
    assert find_due_phrase("shadow planning meetings for the next month") is None


@pytest.mark.parametrize("text", [
    "apply for a rotation in Q2",
    "register for the conference in March",
    "book travel for the offsite on the 12th",
    "do a rotation on the platform team in Q3",
    "ask about the promotion cycle in October",
])
def test_a_date_that_says_when_an_event_happens_is_no_deadline(text: str) -> None:
    assert find_due_phrase(text) is None


@pytest.mark.parametrize(("text", "phrase"), [
    ("sign up for the conference in March by Friday", "by Friday"),  # the deadline form wins
    ("present at the all-hands on the 18th", "on the 18th"),  # done at the event: its date
    ("draft the battlecard before the offsite on 30 July", "on 30 July"),  # done before it
    ("send the deck on Friday", "on Friday"),
    ("submit the paper for the 12th", "for the 12th"),
])
def test_deadline_forms_and_actions_done_at_an_event_keep_their_date(text: str, phrase: str) -> None:
    found = find_due_phrase(text)
    assert found is not None and found[0] == phrase
