// Sign-in: only when the learner ticks the consent box does the browser ask for the position; the
// form works without this script (no position is sent then).
(function () {
  var box = document.getElementById("consent");
  if (!box || !navigator.geolocation) return;
  box.addEventListener("change", function () {
    if (!box.checked) { document.getElementById("latitude").value = ""; document.getElementById("longitude").value = ""; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("latitude").value = p.coords.latitude.toFixed(5);
      document.getElementById("longitude").value = p.coords.longitude.toFixed(5);
    }, function () { /* refused or unavailable: sign in without a position */ }, {timeout: 8000});
  });
})();
