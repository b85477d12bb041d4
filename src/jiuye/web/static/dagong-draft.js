/* 打工直通车: a half-filled sign-up form is not lost when the connection drops.
   Every form marked <form data-draft="KEY"> keeps what is typed in the browser's own storage
   (localStorage, this device only) as it is typed, and fills it back in when the page is opened
   again. The form's one-time key (client_token) is kept with it, so sending the same form again
   after a dropped connection is the same sign-up, never a second one. The confirmation page marks
   <div data-draft-clear="KEY">: the draft is then removed. While the phone is offline, the element
   [data-offline-note] says so. No inline script (the site's Content-Security-Policy); no network. */
(function (root) {
  "use strict";
  var PREFIX = "jiuye-draft:";

  function fields(form) {
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || el.name === "csrf_token" || el.type === "submit" || el.type === "button" || el.type === "password") { continue; }
      out.push(el);
    }
    return out;
  }

  function read(storage, key) {
    try { return JSON.parse(storage.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }

  function save(storage, form) {
    var data = {};
    fields(form).forEach(function (el) { data[el.name] = el.value; });
    try { storage.setItem(PREFIX + form.getAttribute("data-draft"), JSON.stringify(data)); } catch (e) { /* full or blocked: nothing to do */ }
  }

  function restore(storage, form) {
    var data = read(storage, form.getAttribute("data-draft"));
    if (!data) { return false; }
    var restored = false;
    fields(form).forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(data, el.name) && typeof data[el.name] === "string") {
        // the server's answer wins where it has a value (an error page sends back what was typed)
        if (el.type === "hidden" && el.name !== "client_token") { return; }
        if (el.value === "" || el.name === "client_token") { el.value = data[el.name]; restored = restored || (el.type !== "hidden" && data[el.name] !== ""); }
      }
    });
    return restored;
  }

  function init(doc, storage, win) {
    if (!storage) { return; }
    var forms = doc.querySelectorAll("form[data-draft]");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        if (restore(storage, form)) {
          var note = doc.querySelector("[data-draft-note]");
          if (note) { note.hidden = false; }
        }
        form.addEventListener("input", function () { save(storage, form); });
        form.addEventListener("submit", function () { save(storage, form); });
      })(forms[i]);
    }
    var clears = doc.querySelectorAll("[data-draft-clear]");
    for (var j = 0; j < clears.length; j++) {
      try { storage.removeItem(PREFIX + clears[j].getAttribute("data-draft-clear")); } catch (e) { /* ignore */ }
    }
    var offline = doc.querySelector("[data-offline-note]");
    if (offline && win && win.addEventListener) {
      var show = function () { offline.hidden = win.navigator && win.navigator.onLine !== false; };
      win.addEventListener("online", show);
      win.addEventListener("offline", show);
      show();
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {init: init, PREFIX: PREFIX};
  } else {
    var start = function () {
      var storage = null;
      try { storage = root.localStorage; } catch (e) { storage = null; }
      init(root.document, storage, root);
    };
    if (root.document.readyState === "loading") { root.document.addEventListener("DOMContentLoaded", start); } else { start(); }
  }
})(typeof window !== "undefined" ? window : this);
