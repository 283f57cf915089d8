from tests.test_reliability import live, rel_store, rel_tokens  # noqa
def test_probe(live):
    with live.client("manager") as c:
        for path, body in [("/v1/development-maps", {"current_role": "data-analyst", "ratings": {"x": 7}, "target_role": "senior-data-analyst"}),
                           ("/v1/development-maps", {"current_role": "data-analyst", "ratings": {"sql-and-data": {"self": 9}}}),
                           ("/v1/development-maps", {"current_role": "data-analyst", "ratings": {"x": 3}}),
                           ("/v1/questions", {"role": "data-analyst", "ratings": {"x": 7}, "target_role": "senior-data-analyst"}),
                           ("/v1/questions", {"role": "data-analyst", "ratings": {"x": "a"}}),
                           ("/v1/questions", {"role": "data-analyst", "ratings": {"x": {"self": "zz"}}}),
                           ("/v1/questions", {"role": "data-analyst", "ratings": {"x": True}}),
                           ("/v1/development-maps", {"current_role": "data-analyst", "start": "0001-01-01", "horizon_months": 60, "target_role": "senior-data-analyst"}),
                           ("/v1/development-maps", {"current_role": "data-analyst", "start": "9999-12-01", "horizon_months": 60, "target_role": "senior-data-analyst"}),
                           ("/v1/summaries", {**__import__("tests.test_api", fromlist=["x"]).summary_body(), "meeting_date": "0001-01-01"}),
                           ("/v1/questions", {"role": "data-analyst", "open_commitments": [{"action": "x", "due": "0001-01-01"}]}),
                           ("/v1/questions", {"role": "data-analyst", "open_commitments": [{"action": "x", "due": "9999-12-31"}]}),
                           ("/v1/summaries", {**__import__("tests.test_api", fromlist=["x"]).summary_body(), "meeting_date": "9999-12-31"}),
                           ("/v1/summaries", {**__import__("tests.test_api", fromlist=["x"]).summary_body(), "notes": "Ana will ship it by 31.12.9999. Next check-in in 600 weeks. \ud800"}),
                           ("/v1/questions", {"role": "data-analyst", "ratings": {"x": None}}),
                           ("/v1/development-maps", {"current_role": "data-analyst", "target_role": "data-analyst"}),
                           ("/v1/development-maps", {"current_role": "data-analyst", "target_role": "head-of-data"}),
                           ]:
            r = c.post(path, json=body)
            print(path, str(body)[-120:], r.status_code, r.text[:200])
