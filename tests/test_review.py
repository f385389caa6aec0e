"""flashpoint review: the text-preserving writer, the validation, the security, and the
whole review loop driven in a real headless Chromium (Debian's ``chromium``).

Set FLASHPOINT_SCREENSHOTS=docs/screenshots to keep the README's screenshots, and
FLASHPOINT_BENCH=bench/review.md to write the timing note.
"""

from __future__ import annotations

import base64
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_repo_kb, run_cli
from flashpoint.project import Project
from flashpoint.review.session import Conflict, Invalid, Review
from flashpoint.review.yamledit import Edits, apply_edits, dump_claim

CHROMIUM = shutil.which("chromium")
SLUG = "nk-missile-launches"
NEW_CLAIM = {
    "sentence": 2, "quote": "North Korea views as provocative", "start": 464, "end": 496,
    "subject": "north-korea", "predicate": "perceivesAsProvocation",
    "object": {"event": "DefenseTalks", "agents": ["united-states", "south-korea"]},
    "modality": "asserted", "habitual": False, "extracted_by": "curated",
}


@pytest.fixture(scope="module")
def review_env(tmp_path_factory):
    """A copy of the seed project and a Review over it (tests that write use their own copy)."""
    project = copy_repo_kb(tmp_path_factory.mktemp("review"))
    return project, Review(Project(project))


def _diff(a: str, b: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(a.splitlines(), b.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


# ------------------------------------------------------------------ the writer


def test_writer_edits_only_what_changed(review_env):
    """Edit one key, delete a claim, append one, change a header value: every other byte
    (comments, quoting, blank lines, the other claims) stays as it was."""
    project, _ = review_env
    raw = (project / "kb/claims" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    edited = dict(data["claims"][3], modality="probable", accepted=True)
    new = apply_edits(raw, Edits(changed={3: edited}, deleted={5}, added=[NEW_CLAIM], header={"reviewed": False}))
    removed, added = _diff(raw, new)
    assert "reviewed: true" in removed and "reviewed: false" in added
    assert "    modality: probable" in added and "    accepted: true" in added
    assert added.count("    accepted: true") == 1
    new_block = dump_claim(NEW_CLAIM, 2).splitlines()
    assert all(line in added for line in new_block)
    # nothing else was added: the edited claim's two lines, the new block and the header value
    assert len(added) == 2 + len(new_block) + 1
    # removed: the header value, the old modality line and claim 5's lines, and nothing else
    assert [line for line in removed if line.strip().startswith("#")] == []
    assert all(line.startswith("  ") or line == "reviewed: true" for line in removed)
    reread = yaml.safe_load(new)
    assert reread["claims"][3]["modality"] == "probable" and reread["claims"][3]["accepted"] is True
    assert len(reread["claims"]) == len(data["claims"])  # one deleted, one added
    assert reread["claims"][-1] == NEW_CLAIM
    assert data["claims"][5] not in reread["claims"]
    # every comment line survives
    assert [l for l in raw.splitlines() if l.lstrip().startswith("#")] == [l for l in new.splitlines() if l.lstrip().startswith("#")]


def test_writer_on_an_extracted_file_and_empty_claims(tmp_path):
    """The extractor's layout (claims at column 0) and a file with `claims: []`."""
    empty = "format: flashpoint-claims/1\ndocument: x.txt\nsha256: " + "0" * 64 + "\nreviewed: false\nclaims: []\n"
    out = apply_edits(empty, Edits(added=[NEW_CLAIM]))
    assert yaml.safe_load(out)["claims"] == [NEW_CLAIM]
    assert out.startswith(empty.split("claims:")[0])
    # deleting the only claim leaves an empty list, not null
    back = apply_edits(out, Edits(deleted={0}))
    assert yaml.safe_load(back)["claims"] == []


def test_save_refuses_a_file_changed_on_disk(tmp_path):
    project = copy_repo_kb(tmp_path / "p")
    review = Review(Project(project))
    state = review.open(SLUG)
    path = project / "kb/claims" / f"{SLUG}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# someone else's edit\n", encoding="utf-8")
    before = path.read_bytes()
    claims = [{"id": c["id"], "data": c["data"], "deleted": c["id"] == 0} for c in state["claims"]]
    with pytest.raises(Conflict):
        review.save(SLUG, {"version": state["version"], "claims": claims})
    assert path.read_bytes() == before
    # opened again, the same edit saves, and only that claim's lines go
    state = review.open(SLUG)
    saved = review.save(SLUG, {"version": state["version"], "claims": claims})
    assert saved["saved"]["deleted"] == 1 and len(saved["claims"]) == len(state["claims"]) - 1
    removed, added = _diff(before.decode(), path.read_text(encoding="utf-8"))
    assert added == [] and 6 <= len(removed) <= 14


def test_a_document_edited_after_review_opens_reanchored(tmp_path):
    project = copy_repo_kb(tmp_path / "p")
    doc = project / "kb/documents" / f"{SLUG}.txt"
    doc.write_text("A new first sentence. " + doc.read_text(encoding="utf-8"), encoding="utf-8")
    review = Review(Project(project))
    state = review.open(SLUG)
    assert state["reanchored"] and all(c["moved"] for c in state["claims"])
    assert all(not c["errors"] for c in state["claims"])  # the offsets are already the new ones
    claims = [{"id": c["id"], "data": c["data"]} for c in state["claims"]]
    with pytest.raises(Invalid):  # not confirmed
        review.save(SLUG, {"version": state["version"], "claims": claims})
    saved = review.save(SLUG, {"version": state["version"], "claims": claims, "reanchor_confirmed": True})
    assert not saved["reanchored"] and saved["saved"]["edited"] == len(claims)
    assert run_cli("build", "--project", project).exit_code == 0


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("change, field, words", [
    ({"modality": "certain"}, "modality", "is not one of"),  # schema
    ({"start": 12}, "quote", "quote does not match"),  # provenance: offsets
    ({"sentence": 3}, "sentence", "not inside sentence"),  # provenance: the sentence
    ({"subject": "north-koria"}, "subject", "unknown actor"),  # gazetteer
    ({"object": {"event": "MissileLaunchh", "agents": ["north-korea"]}}, "object", "unknown event class"),  # ontology classes
    ({"object": {"policy": "bombing"}}, "object", "unknown policy option"),  # the controlled list
    ({"predicate": "trigers"}, "predicate", "unknown predicate"),
    ({"predicate": "increases", "subject": {"capability": "ICBMCapability", "holder": "north-korea"}}, "subject", "cannot hold"),  # domain
    ({"predicate": "holdsStance"}, "object", "holdsStance takes a stance object"),
])
def test_validation_names_the_field(review_env, change, field, words):
    _, review = review_env
    claim = dict(review.open(SLUG)["claims"][0]["data"])
    assert review.validate(SLUG, claim) == []
    claim.update(change)
    errors = review.validate(SLUG, claim)
    assert errors, change
    assert errors[0]["field"] == field and words in errors[0]["message"], errors


def test_vocabulary_offers_what_the_form_needs(review_env):
    _, review = review_env
    v = review.vocabulary
    assert any(a["id"] == "north-korea" and a["cls"] == "State" for a in v["actors"])
    assert any(c["name"] == "MissileLaunch" and c["definition"] for c in v["classes"]["event"])
    threat = next(p for p in v["properties"] if p["name"] == "perceivesAsThreat")
    assert "State" in threat["fits"]["subject"] and "MissileLaunch" not in threat["fits"]["subject"]
    assert next(p for p in v["properties"] if p["name"] == "holdsStance")["stance"]
    assert {p["slug"] for p in v["policies"]} >= {"sanctions", "dialogue"}
    assert any(a["value"] == {"government": "south-korea"} for a in v["project_actors"])


# ------------------------------------------------------------------ security


@pytest.fixture(scope="module")
def client(review_env):
    from starlette.testclient import TestClient

    from flashpoint.review.app import make_app

    _, review = review_env
    app = make_app(review, "sekrit-token", 45678)
    return TestClient(app, base_url="http://127.0.0.1:45678", follow_redirects=False)


def test_no_token_is_refused(client):
    for path in ("/", f"/doc/{SLUG}", "/api/documents", f"/api/doc/{SLUG}", "/static/review.js", "/api/vocabulary"):
        assert client.get(path).status_code == 403, path
    assert client.get("/api/documents", headers={"Authorization": "token wrong"}).status_code == 403
    assert client.post(f"/api/doc/{SLUG}/save", json={"claims": []}).status_code == 403


def test_the_token_url_sets_a_strict_cookie(client):
    response = client.get(f"/doc/{SLUG}?token=sekrit-token")
    assert response.status_code == 303 and response.headers["location"] == f"/doc/{SLUG}"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get(f"/doc/{SLUG}", headers={"Cookie": "flashpoint-review-45678=sekrit-token"})
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text and "unsafe-inline" not in page.headers["content-security-policy"]


def test_another_origin_or_host_is_refused(client):
    auth = {"Authorization": "token sekrit-token"}
    assert client.get("/api/documents", headers=auth).status_code == 200
    assert client.get("/api/documents", headers={**auth, "Origin": "http://evil.example"}).status_code == 403
    assert client.get("/api/documents", headers={**auth, "Origin": "http://127.0.0.1:9999"}).status_code == 403
    assert client.post(f"/api/doc/{SLUG}/validate", json={"claim": {}}, headers={**auth, "Origin": "null"}).status_code == 403
    assert client.get("/api/documents", headers={**auth, "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.get("/api/documents", headers={**auth, "Host": "attacker.example:45678"}).status_code == 403  # DNS rebinding


def test_paths_outside_the_project_are_refused(client):
    auth = {"Authorization": "token sekrit-token"}
    for slug in ("..%2F..%2Fetc%2Fpasswd", "..", "nosuch-doc", "NK-MISSILE-LAUNCHES", "%2Fetc%2Fpasswd"):
        assert client.get(f"/api/doc/{slug}", headers=auth).status_code in (403, 404), slug
        assert client.post(f"/api/doc/{slug}/save", json={"claims": []}, headers=auth).status_code in (403, 404), slug
    assert client.get("/static/../session.py", headers=auth).status_code == 404
    assert client.get("/static/..%2Fsession.py", headers=auth).status_code == 404


def test_no_cors_headers_ever(client):
    auth = {"Authorization": "token sekrit-token"}
    for response in (client.get("/api/documents", headers={**auth, "Origin": "http://127.0.0.1:45678"}),
                     client.options("/api/documents", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}),
                     client.get("/api/documents", headers={**auth, "Origin": "http://evil.example"})):
        assert not any(h.lower().startswith("access-control-") for h in response.headers), response.headers


# ------------------------------------------------------------------ the whole loop, in a browser


class Browser:
    """Headless Chromium driven over the DevTools protocol (as tests/test_web.py does)."""

    def __init__(self, ws):
        self.ws, self.ids, self.keystrokes = ws, iter(range(1, 1_000_000)), 0

    def call(self, method, **params):
        n = next(self.ids)
        self.ws.send(json.dumps({"id": n, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=60))
            if message.get("id") == n:
                assert "error" not in message, message
                return message.get("result", {})

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait(self, expression, seconds=20.0):
        deadline = time.monotonic() + seconds
        while True:
            value = self.js(f"(() => {{ try {{ return ({expression}); }} catch (e) {{ return null; }} }})()")  # null while a page loads
            if value:
                return value
            assert time.monotonic() < deadline, f"timed out waiting for {expression}"
            time.sleep(0.02)

    def key(self, key, count=True):
        specials = {"Enter": (13, "\r"), "Escape": (27, None), "Tab": (9, None), "ArrowDown": (40, None)}
        code, text = specials[key] if key in specials else (ord(key.upper()), key)
        down = {"type": "keyDown", "key": key, "windowsVirtualKeyCode": code}
        if text:
            down["text"] = text
        self.call("Input.dispatchKeyEvent", **down)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, windowsVirtualKeyCode=code)
        self.keystrokes += count

    def type(self, text):
        self.call("Input.insertText", text=text)
        self.keystrokes += len(text)

    def drag_select(self, phrase):
        """Select ``phrase`` in the text pane with the mouse: press before its first
        character, move, release after its last."""
        box = self.js("""(() => {
          const pane = document.getElementById('text'), phrase = %s;
          const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
          let nodes = [], all = '';
          while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
          const at = all.indexOf(phrase);
          const place = (i) => { for (let j = nodes.length - 1; j >= 0; j--) if (nodes[j][1] <= i) return [nodes[j][0], i - nodes[j][1]]; };
          const rect = (i) => { const [n, o] = place(i); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1); return r.getBoundingClientRect(); };
          rect(at).top; document.getElementById('text').scrollTop += rect(at).top - 200;
          const a = rect(at), b = rect(at + phrase.length - 1);
          return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
        })()""" % json.dumps(phrase))
        x1, y1, x2, y2 = box
        self.call("Input.dispatchMouseEvent", type="mousePressed", x=x1, y=y1, button="left", clickCount=1)
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=(x1 + x2) / 2, y=(y1 + y2) / 2, button="left")
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x2, y=y2, button="left")
        self.call("Input.dispatchMouseEvent", type="mouseReleased", x=x2, y=y2, button="left", clickCount=1)

    def screenshot(self, path: Path):
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        keep = os.environ.get("FLASHPOINT_SCREENSHOTS")
        if keep:
            target = Path(keep) if Path(keep).is_absolute() else REPO / keep
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.name)


def _start_review(project: Path) -> tuple[subprocess.Popen, str]:
    flashpoint = Path(sys.executable).with_name("flashpoint")
    proc = subprocess.Popen([str(flashpoint), "review", SLUG, "--project", str(project), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:") and "token=" in url, (url, proc.stderr.read() if proc.poll() is not None else "")
    return proc, url


def _start_chromium(profile: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "--window-size=1500,900", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _devtools_page(port: int) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5) as response:
                return next(t for t in json.load(response) if t["type"] == "page")["webSocketDebuggerUrl"]
        except (OSError, StopIteration):
            assert time.monotonic() < deadline, "chromium's DevTools did not answer"
            time.sleep(0.2)


STATE = "window.fpReview.state()"
UNICODE_DOC = "Rocket \U0001F680 launches worry Seoul. South Korea perceives the missile launch as a threat.\n"


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)")
def test_review_loop_in_a_browser(tmp_path):
    """Open the extractor's proposals, accept, reject, change a modality with one key, add a
    claim by selecting a phrase and picking its terms, save, mark reviewed; then build and
    check pass and the file's diff is exactly those edits."""
    ws_client = pytest.importorskip("websockets.sync.client")
    from test_web import free_port

    project = copy_repo_kb(tmp_path / "p")
    claims_path = project / "kb/claims" / f"{SLUG}.yaml"
    claims_path.unlink()
    assert run_cli("extract", project / "kb/documents" / f"{SLUG}.txt", "--project", project).exit_code == 0
    (project / "kb/documents/unicode-note.txt").write_text(UNICODE_DOC, encoding="utf-8")
    original = claims_path.read_text(encoding="utf-8")
    proposals = yaml.safe_load(original)["claims"]
    assert proposals and all(c["extracted_by"] != "curated" for c in proposals)

    proc, url = _start_review(project)
    port = free_port()
    times: dict[str, list[float]] = {"accept": [], "reject": [], "edit (modality key)": [], "add by selection": []}
    keys: dict[str, int] = {}
    shots = tmp_path
    with tempfile.TemporaryDirectory(prefix="fp-chromium-", ignore_cleanup_errors=True) as profile:
        browser_proc = _start_chromium(profile, port)
        try:
            with ws_client.connect(_devtools_page(port), max_size=None) as ws:
                b = Browser(ws)
                b.call("Page.navigate", url=url)
                b.wait("document.body && document.body.dataset.state === 'ready' && !!window.fpReview && window.fpReview.state().claims.length > 0")
                assert b.js("location.search") == ""  # the token left the URL for a cookie
                total = b.js(f"{STATE}.pending")
                assert total == len(proposals)
                b.screenshot(shots / "review-document.png")

                def current():
                    return b.js("(() => { const r = document.querySelector('.claim-row.current'); return r ? +r.dataset.key : null; })()")

                def do(kind, key, check):
                    before, t0 = b.keystrokes, time.perf_counter()
                    b.key(key)
                    b.wait(check)
                    times[kind].append(time.perf_counter() - t0)
                    keys[kind] = keys.get(kind, 0) + b.keystrokes - before

                # accept three proposals, reject one, change one's modality with m
                accepted = []
                for _ in range(3):
                    accepted.append(current())
                    pending = b.js(f"{STATE}.pending")
                    do("accept", "a", f"{STATE}.pending === {pending - 1}")
                rejected = current()
                pending = b.js(f"{STATE}.pending")
                do("reject", "x", f"{STATE}.pending === {pending - 1}")
                assert b.js(f"{STATE}.claims.find(c => c.key === {rejected}).status") == "rejected"
                rejected_id = b.js(f"{STATE}.claims.find(c => c.key === {rejected}).id")
                modal = current()
                old_modality = b.js(f"{STATE}.claims.find(c => c.key === {modal}).data.modality")
                do("edit (modality key)", "m", f"{STATE}.claims.find(c => c.key === {modal}).data.modality !== {json.dumps(old_modality)} && document.querySelector('.claim-row.current .error') === null")
                new_modality = b.js(f"{STATE}.claims.find(c => c.key === {modal}).data.modality")
                assert new_modality == {"asserted": "probable", "probable": "possible", "possible": "negated", "negated": "asserted"}[old_modality]
                modal_id = b.js(f"{STATE}.claims.find(c => c.key === {modal}).id")

                # add a claim by selecting a phrase: the quote and offsets come from the selection
                before, t0 = b.keystrokes, time.perf_counter()
                b.drag_select(NEW_CLAIM["quote"])
                b.wait("!document.getElementById('form').hidden")
                assert b.js("document.getElementById('f-quote').textContent") == NEW_CLAIM["quote"]
                assert b.js("document.getElementById('f-where').textContent") == f"sentence 2 · characters {NEW_CLAIM['start']}–{NEW_CLAIM['end']}"
                b.type("North Ko")
                b.wait("!!document.querySelector('.ac-item.active')")
                assert b.js("document.querySelector('.ac-item.active span').textContent") == "North Korea"
                b.key("Enter")
                b.wait("document.activeElement && document.activeElement.id === 'f-predicate'")
                options = b.js("[...document.querySelectorAll('#f-predicate option')].map(o => o.value)")
                assert "perceivesAsProvocation" in options and "increases" not in options  # the domain drives the list
                b.js("(() => { const s = document.getElementById('f-predicate'); s.value = 'perceivesAsProvocation'; s.dispatchEvent(new Event('change')); })()")
                b.keystrokes += len("perceives as p")  # typed into the focused <select> by a person
                b.wait("document.activeElement && document.activeElement.id === 'f-object'")
                b.type("defense t")
                b.wait("!!document.querySelector('.ac-item.active') && document.querySelector('.ac-item.active span').textContent === 'defense talks'")
                b.screenshot(shots / "review-add.png")
                b.key("Enter")
                for actor in ("United St", "South Kor"):
                    b.wait("document.activeElement && document.activeElement.classList.contains('slot-input')")
                    b.type(actor)
                    b.wait("!!document.querySelector('.ac-item.active')")
                    b.key("Enter")
                b.wait("document.getElementById('form').dataset.valid === 'true'")
                assert b.js("document.getElementById('f-preview').textContent") == \
                    "North Korea — perceives as provocation — defense talks of South Korea and United States · asserted"
                b.wait("document.activeElement && document.activeElement.classList.contains('slot-input')")
                b.key("Enter")  # keep the claim
                b.wait(f"{STATE}.claims.some(c => c.status === 'new')")
                times["add by selection"].append(time.perf_counter() - t0)
                keys["add by selection"] = b.keystrokes - before

                # accept the rest, one key each (a jumps to the next unreviewed)
                assert b.js("document.getElementById('mark-reviewed').disabled") is True
                b.key("n", count=False)
                while (pending := b.js(f"{STATE}.pending")) > 0:
                    do("accept", "a", f"{STATE}.pending === {pending - 1}")
                assert b.js("document.getElementById('mark-reviewed').disabled") is False

                before, t0 = b.keystrokes, time.perf_counter()
                b.key("s")
                b.wait("document.body.dataset.state === 'ready' && !!document.body.dataset.saved && document.getElementById('status').dataset.dirty === 'false'", 60)
                times["save"] = [time.perf_counter() - t0]
                saved_once = claims_path.read_text(encoding="utf-8")
                assert "reviewed: false" in saved_once
                t0 = time.perf_counter()
                b.key("r")
                b.wait("document.getElementById('status').textContent.includes('reviewed')", 60)
                times["mark reviewed"] = [time.perf_counter() - t0]
                b.screenshot(shots / "review-reviewed.png")

                # a character outside the BMP before the selection: offsets stay code points
                b.call("Page.navigate", url=url.split("/doc/")[0] + "/doc/unicode-note")
                b.wait("document.body.dataset.state === 'ready' && location.pathname === '/doc/unicode-note' && !!document.querySelector('#text .seg')")
                phrase = "South Korea perceives the missile launch as a threat"
                b.drag_select(phrase)
                b.wait("!document.getElementById('form').hidden")
                start = UNICODE_DOC.index(phrase)
                assert b.js("document.getElementById('f-where').textContent") == f"sentence 1 · characters {start}–{start + len(phrase)}"
                assert b.js("document.getElementById('f-quote').textContent") == phrase
                b.key("Escape")
        finally:
            browser_proc.terminate()
            browser_proc.wait(10)
            proc.terminate()
            proc.wait(10)

    # the file: exactly the edits
    final = claims_path.read_text(encoding="utf-8")
    data = yaml.safe_load(final)
    assert data["reviewed"] is True
    removed, added = _diff(original, final)
    assert removed.count("reviewed: false") == 1 and "reviewed: true" in added
    assert data["claims"][-1] == NEW_CLAIM
    assert len(data["claims"]) == len(proposals)  # one rejected, one added
    for claim in data["claims"][:-1]:
        assert claim.pop("accepted") is True
    expected = [dict(c) for c in proposals]
    expected[modal_id]["modality"] = new_modality
    assert sum(1 for c in expected if c not in data["claims"][:-1]) == 1  # the rejected one
    assert all(c in expected for c in data["claims"][:-1])
    # the text, line by line (as multisets, which no diff alignment can blur): gone are the
    # rejected claim's lines, the old modality and `reviewed: false`; new are one
    # `accepted: true` per accepted proposal, the new modality, `reviewed: true`, the new claim
    from collections import Counter

    items = yaml.compose(original).value[[k.value for k, _ in yaml.compose(original).value].index("claims")][1].value
    node = items[rejected_id]
    lines = original.splitlines()
    rejected_lines = lines[node.start_mark.line: node.value[-1][1].end_mark.line + 1]
    gone = Counter(rejected_lines + [f"  modality: {old_modality}", "reviewed: false"])
    new = Counter(["  accepted: true"] * (len(proposals) - 1) + [f"  modality: {new_modality}", "reviewed: true"] + dump_claim(NEW_CLAIM, 0).splitlines())
    assert not gone - Counter(original.splitlines())
    assert Counter(final.splitlines()) == Counter(original.splitlines()) - gone + new
    # and in place: the file is the original with exactly these edits spliced in
    changed = {i: dict(c, accepted=True) for i, c in enumerate(proposals) if i != rejected_id}
    changed[modal_id]["modality"] = new_modality
    assert final == apply_edits(original, Edits(changed=changed, deleted={rejected_id}, added=[NEW_CLAIM], header={"reviewed": True}))

    assert run_cli("build", "--project", project).exit_code == 0
    check = run_cli("check", "--project", project)
    assert check.exit_code == 0, check.stdout + check.stderr

    bench = os.environ.get("FLASHPOINT_BENCH")
    summary = {k: (len(v), sum(v) / len(v)) for k, v in times.items() if v}
    (tmp_path / "times.json").write_text(json.dumps({"times": summary, "keys": keys, "proposals": len(proposals)}, indent=1))
    print(json.dumps({"times": summary, "keys": keys, "proposals": len(proposals)}, indent=1))
    if bench:
        shutil.copyfile(tmp_path / "times.json", (Path(bench) if Path(bench).is_absolute() else REPO / bench).with_suffix(".json"))
