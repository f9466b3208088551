"""The test launcher (LMS side) on its own: fetch once, documents, CORS, auth, strict cmi5 rules, outages."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.support.launcher import Launcher

pytestmark = pytest.mark.lrs
ACTOR = {
    "objectType": "Agent",
    "name": "Ana Lopez",
    "account": {"homePage": "https://lms.example.org", "name": "alopez"},
}
AU = "https://lms.example.org/au/1"
CMI5 = "https://w3id.org/xapi/cmi5/context/"


@pytest.fixture()
def launcher(fresh_lrs, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>AU</title>", encoding="utf-8")
    la = Launcher(fresh_lrs, tmp_path).start()
    yield la
    la.stop()


def call(method: str, url: str, body=None, headers=None) -> tuple[int, dict, bytes]:
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


def stmt(verb: str, sess, **extra) -> dict:
    cats = [{"id": CMI5 + "categories/cmi5"}] if verb in ("initialized", "completed", "terminated") else []
    if verb == "completed":
        cats.append({"id": CMI5 + "categories/moveon"})
    s = {
        "id": str(uuid.uuid4()),
        "actor": ACTOR,
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"objectType": "Activity", "id": AU},
        "timestamp": "2026-11-23T17:00:00.000Z",
        "context": {
            "registration": sess.registration,
            "contextActivities": {"category": cats} if cats else {},
            "extensions": {CMI5 + "extensions/sessionid": sess.session_id},
        },
    }
    s.update(extra)
    return s


def test_cmi5_launch_fetch_once_documents_and_strict_order(launcher, fresh_lrs):
    url = launcher.launch_cmi5("index.html", ACTOR, AU, mastery_score=0.8, language="fr-CA")
    p = params(url)
    assert json.loads(p["actor"]) == ACTOR and p["activityId"] == AU
    status, _, body = call("POST", p["fetch"])
    token = json.loads(body)["auth-token"]
    assert status == 200 and token
    assert json.loads(call("POST", p["fetch"])[2]) == {"error-code": "1", "error-text": "Already in Use"}
    auth = {"Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3"}
    sess = launcher.sessions[0]
    init = stmt("initialized", sess)
    # 11.0.0.0-3: statements before the learner preferences were read are refused
    assert call("POST", p["endpoint"] + "statements", [init], auth)[0] == 400
    q = urllib.parse.urlencode({"agent": json.dumps(ACTOR), "profileId": "cmi5LearnerPreferences"})
    status, _, body = call("GET", p["endpoint"] + "agents/profile?" + q, headers=auth)
    assert (status, json.loads(body)) == (200, {"languagePreference": "fr-CA"})
    q = urllib.parse.urlencode(
        {
            "activityId": AU,
            "agent": json.dumps(ACTOR),
            "registration": sess.registration,
            "stateId": "LMS.LaunchData",
        }
    )
    launch_data = json.loads(call("GET", p["endpoint"] + "activities/state?" + q, headers=auth)[2])
    assert launch_data["masteryScore"] == 0.8 and launch_data["launchMode"] == "Normal"
    # the first statement must be initialized; a batch is refused whole at its first violation
    page = stmt("experienced", sess, object={"objectType": "Activity", "id": AU + "/page/p"})
    assert call("POST", p["endpoint"] + "statements", [page, init], auth)[0] == 400
    assert call("POST", p["endpoint"] + "statements", [init, page], auth)[0] == 200
    done = stmt("completed", sess, result={"completion": True})  # no duration
    assert call("POST", p["endpoint"] + "statements", [done], auth)[0] == 400
    term = stmt("terminated", sess, result={"duration": "PT1S"})
    assert call("POST", p["endpoint"] + "statements", [term], auth)[0] == 200
    late = stmt("experienced", sess, object={"objectType": "Activity", "id": AU + "/page/q"})
    assert call("POST", p["endpoint"] + "statements", [late], auth)[0] == 400
    assert [v.split(":")[0] for v in launcher.violations] == [
        "11.0.0.0-3",
        "experienced",
        "completed",
        "experienced",
    ]
    stored = fresh_lrs.get_all(registration=sess.registration, ascending="true")
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in stored] == [
        "launched",
        "initialized",
        "experienced",
        "terminated",
    ]


def test_xapi_launch_auth_cors_state_and_outages(launcher):
    url = launcher.launch_xapi("index.html", ACTOR, AU)
    p = params(url)
    auth = {"Authorization": p["auth"], "X-Experience-API-Version": "1.0.3"}
    status, headers, _ = call(
        "OPTIONS", p["endpoint"] + "statements", headers={"Origin": launcher.content_url.rstrip("/")}
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == launcher.content_url.rstrip("/")
    assert "Authorization" in headers["Access-Control-Allow-Headers"]
    wrong = {**auth, "Authorization": "Basic d3Jvbmc6d3Jvbmc="}
    assert call("POST", p["endpoint"] + "statements", [], wrong)[0] == 401
    no_version = {"Authorization": p["auth"]}
    assert call("GET", p["endpoint"] + "statements", headers=no_version)[0] == 400
    q = urllib.parse.urlencode(
        {
            "activityId": AU,
            "agent": json.dumps(ACTOR),
            "registration": p["registration"],
            "stateId": "https://example.org/state",
        }
    )
    assert call("GET", p["endpoint"] + "activities/state?" + q, headers=auth)[0] == 404
    assert call("PUT", p["endpoint"] + "activities/state?" + q, b"abc", auth)[0] == 204
    assert call("GET", p["endpoint"] + "activities/state?" + q, headers=auth)[2] == b"abc"
    launcher.mode = "503"
    assert call("GET", p["endpoint"] + "activities/state?" + q, headers=auth)[0] == 503
    launcher.mode = "offline"
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(urllib.request.Request(p["endpoint"] + "statements", headers=auth), timeout=5)
