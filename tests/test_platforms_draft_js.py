"""static/dagong-draft.js, run in Node with a minimal page: what is typed is kept in the browser's
storage as it is typed; a page opened again (the connection dropped) gets it back — the form's
one-time key included, so sending it again is the same sign-up; what the server sent back (an error
page with the typed values) is not overwritten; the confirmation page removes the draft; the CSRF
token and passwords are never stored."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "src" / "jiuye" / "web" / "static" / "dagong-draft.js"
NODE = shutil.which("node") or shutil.which("nodejs")

HARNESS = r"""
const draft = require(process.argv[2]);
function storage() { const m = {}; return {getItem: k => (k in m ? m[k] : null), setItem: (k, v) => { m[k] = String(v); },
  removeItem: k => { delete m[k]; }, dump: () => m}; }
function el(name, type, value) { return {name, type, value}; }
function form(key, values) {
  const handlers = {};
  const elements = [el("csrf_token", "hidden", "csrf-1"), el("client_token", "hidden", values.client_token || ""),
    el("station", "hidden", values.station || ""), el("name", "text", values.name || ""), el("phone", "tel", values.phone || ""),
    el("password", "password", values.password || ""), el("go", "submit", "")];
  return {elements, getAttribute: a => (a === "data-draft" ? key : null), addEventListener: (e, f) => { handlers[e] = f; },
    fire: e => handlers[e](), get: n => elements.find(x => x.name === n)};
}
function page(forms, clears) {
  const note = {hidden: true};
  return {note, querySelectorAll: sel => (sel === "form[data-draft]" ? forms : sel === "[data-draft-clear]" ?
      clears.map(k => ({getAttribute: () => k})) : []),
    querySelector: sel => (sel === "[data-draft-note]" ? note : null)};
}
const out = {};
const st = storage();
// 1. a fresh form: typing is saved
const f1 = form("dagong-7", {client_token: "tok-first-0000000000", station: "DEMO"});
draft.init(page([f1], []), st, null);
f1.get("name").value = "额尔敦"; f1.get("phone").value = "1390482"; f1.get("password").value = "secret";
f1.fire("input");
out.saved = JSON.parse(st.getItem(draft.PREFIX + "dagong-7"));
// 2. the connection dropped; the page is opened again with a new token from the server: all comes back
const f2 = form("dagong-7", {client_token: "tok-second-000000000", station: "DEMO"});
const p2 = page([f2], []);
draft.init(p2, st, null);
out.restored = {name: f2.get("name").value, phone: f2.get("phone").value, token: f2.get("client_token").value,
  csrf: f2.get("csrf_token").value, note_shown: !p2.note.hidden};
// 3. an error page that sent back what was typed: the server's values stay
const f3 = form("dagong-7", {client_token: "tok-first-0000000000", name: "额尔敦巴特尔", phone: "13904821234"});
draft.init(page([f3], []), st, null);
out.server_wins = {name: f3.get("name").value, phone: f3.get("phone").value};
// 4. another post's form is not filled from this draft
const f4 = form("dagong-8", {client_token: "tok-other-0000000000"});
draft.init(page([f4], []), st, null);
out.other = f4.get("name").value;
// 5. the confirmation page clears it
draft.init(page([], ["dagong-7"]), st, null);
out.after_clear = st.getItem(draft.PREFIX + "dagong-7");
// 6. no storage (private mode, blocked): nothing breaks
draft.init(page([form("dagong-9", {})], []), null, null);
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_draft_survives_a_dropped_connection(tmp_path):
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    run = subprocess.run([NODE, str(harness), str(SCRIPT)], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["saved"] == {"client_token": "tok-first-0000000000", "station": "DEMO", "name": "额尔敦", "phone": "1390482"}
    assert out["restored"] == {"name": "额尔敦", "phone": "1390482", "token": "tok-first-0000000000", "csrf": "csrf-1",
                               "note_shown": True}
    assert out["server_wins"] == {"name": "额尔敦巴特尔", "phone": "13904821234"}
    assert out["other"] == "" and out["after_clear"] is None


def test_the_script_is_local_and_has_no_network():
    js = SCRIPT.read_text(encoding="utf-8")
    assert "http://" not in js and "https://" not in js and "fetch(" not in js and "XMLHttpRequest" not in js and "//cdn" not in js
