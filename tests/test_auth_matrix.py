"""Every personal endpoint against every kind of principal, own data versus other people's: each denial asserted."""

from __future__ import annotations

import pytest

from tests.servers import RunningApi
from tests.test_api import NOTES, PARTICIPANTS

# who -> employee ids they may act on. manager = daniel-kim (manages lena-fischer); employee = lena-fischer.
ALLOWED = {
    "admin": {"lena-fischer", "priya-raman", "daniel-kim"},
    "manager": {"lena-fischer", "daniel-kim"},
    "employee": {"lena-fischer"},
    "other_employee": {"priya-raman"},
}
TARGETS = ["lena-fischer", "priya-raman", "daniel-kim"]
ENDPOINTS = ["summaries", "commitments", "maps", "questions", "notes-list", "maps-list", "reflection-prompts",
             "reflections-list", "calendar"]


def _request(client, endpoint: str, employee: str):  # noqa: ANN001, ANN202
    if endpoint == "summaries":
        return client.post("/v1/summaries", json={"employee_id": employee, "notes": NOTES, "meeting_date": "2026-03-02",
                                                  "participants": PARTICIPANTS})
    if endpoint == "commitments":
        return client.get(f"/v1/employees/{employee}/commitments")
    if endpoint == "maps":
        return client.post("/v1/development-maps", json={"employee_id": employee, "current_role": "data-analyst",
                                                         "target_role": "senior-data-analyst", "horizon_months": 6})
    if endpoint == "notes-list":
        return client.get(f"/v1/employees/{employee}/notes")
    if endpoint == "maps-list":
        return client.get(f"/v1/employees/{employee}/development-maps")
    if endpoint == "questions":
        return client.post("/v1/questions", json={"employee_id": employee, "role": "data-analyst", "count": 3})
    if endpoint == "reflection-prompts":
        return client.get(f"/v1/employees/{employee}/reflection-prompts", params={"count": 2})
    if endpoint == "reflections-list":
        return client.get(f"/v1/employees/{employee}/reflections")
    if endpoint == "calendar":
        return client.get(f"/v1/people/{employee}/calendar.ics")
    raise AssertionError(endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", list(ALLOWED))
def test_matrix(api: RunningApi, who: str, endpoint: str) -> None:
    with api.client(who) as c:
        for employee in TARGETS:
            r = _request(c, endpoint, employee)
            if employee in ALLOWED[who]:
                assert r.status_code == 200, (who, endpoint, employee, r.text)
            else:
                assert r.status_code == 403, (who, endpoint, employee, r.text)
                assert r.json()["detail"] == "you may not access this employee's records"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_token_is_401(api: RunningApi, endpoint: str) -> None:
    with api.client() as c:
        assert _request(c, endpoint, "lena-fischer").status_code == 401


def test_commitment_status_change_follows_the_same_rules(api: RunningApi) -> None:
    with api.client("admin") as c:
        r = _request(c, "summaries", "priya-raman")
        commitment_id = r.json()["commitment_ids"][0]
    for who, status in (("manager", 403), ("employee", 403), ("other_employee", 200), ("admin", 200)):
        with api.client(who) as c:
            assert c.patch(f"/v1/commitments/{commitment_id}", json={"status": "open"}).status_code == status, who
