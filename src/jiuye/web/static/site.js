/* Jiuye site behaviour. No inline scripts or handlers in the pages (the Content-Security-Policy
   allows scripts from this site only): each page marks its elements, this file wires them. */
(function () {
  "use strict";

  function ready(fn) {
    // A deferred script runs before DOMContentLoaded (and before later deferred scripts such as plotly).
    if (document.readyState === "complete") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // <select data-autosubmit>: choosing an option submits its form (the policy page's district).
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { if (el.form) { el.form.submit(); } });
    });

    // <button data-print>: print the page (the screening result).
    document.querySelectorAll("[data-print]").forEach(function (el) {
      el.addEventListener("click", function () { window.print(); });
    });

    // The screening result's share link: full address, copy button.
    var box = document.getElementById("share-link"), btn = document.getElementById("copy-link"), done = document.getElementById("copy-done");
    if (box && btn && done) {
      box.value = location.origin + box.getAttribute("data-path");
      btn.addEventListener("click", function () {
        box.select();
        var ok = function () { done.textContent = "已复制，可粘贴到微信发送"; };
        if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(box.value).then(ok, function () { document.execCommand("copy"); ok(); }); }
        else { document.execCommand("copy"); ok(); }
      });
    }

    // A roster screening job that is still running: poll its status, reload when finished.
    var job = document.getElementById("job-progress");
    if (job) {
      var bar = document.getElementById("bar"), text = document.getElementById("progress-text");
      var poll = function () {
        fetch(job.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.json(); })
          .then(function (st) {
            if (st.finished) { window.location.reload(); return; }
            if (st.percent !== null) { bar.value = st.percent; bar.textContent = st.percent + "%"; }
            text.textContent = st.state === "queued" ? "排队中，等待前面的筛查完成……"
              : "已处理 " + st.done_rows + (st.total_rows ? " / 约 " + st.total_rows : "") + " 行";
            setTimeout(poll, 1000);
          })
          .catch(function () { setTimeout(poll, 3000); });
      };
      setTimeout(poll, 500);
    }

    // The console dashboard: draw the charts whose data the page carries as JSON.
    var data = document.getElementById("chart-data");
    if (data && window.Plotly) {
      JSON.parse(data.textContent).forEach(function (c) {
        var el = document.getElementById("chart-" + c.id);
        if (el) { window.Plotly.newPlot(el, c.data, c.layout, {displayModeBar: false, responsive: true}); }
      });
    }
  });
})();
