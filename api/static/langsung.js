// Sinergi console: live updates (issue 14). A page that shows live figures carries an element
// with `data-langsung`, the address of a GraphQL subscription over SSE on this hub. When a change
// arrives, the page's <main> is fetched again and swapped in (at most once every 5 seconds, so a
// burst of changes costs one reload), keeping the reader's scroll position. Written for this hub,
// MIT like the rest of it. Without EventSource the page simply stays as it was loaded.
(function () {
  "use strict";
  var source = null;
  var address = null;
  var timer = null;
  var last = 0;
  var GAP = 5000;

  function note(text) {
    var el = document.querySelector("[data-langsung]");
    if (el) { el.querySelector(".langsung-status").textContent = text; }
  }

  function refresh() {
    timer = null;
    last = Date.now();
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        var main = document.querySelector("main");
        if (!fresh || !main) { return; }
        var y = window.scrollY;
        main.replaceWith(fresh);
        window.scrollTo(0, y);
        if (window.htmx) { window.htmx.process(fresh); }
        var at = new Date();
        note("Diperbarui otomatis pukul " + at.toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit", second: "2-digit" }));
      })
      .catch(function () { note("Pembaruan otomatis gagal; muat ulang halaman."); });
  }

  function changed() {
    if (timer !== null) { return; }
    timer = window.setTimeout(refresh, Math.max(0, GAP - (Date.now() - last)));
  }

  function setup() {
    var el = document.querySelector("[data-langsung]");
    var wanted = el ? el.getAttribute("data-langsung") : null;
    if (wanted === address) { return; }
    if (source) { source.close(); source = null; }
    address = wanted;
    if (!wanted || !window.EventSource) { return; }
    source = new EventSource(wanted);
    source.addEventListener("next", changed);
    source.addEventListener("complete", function () { source.close(); source = null; address = null; });
  }

  document.addEventListener("DOMContentLoaded", setup);
  // hx-boost swaps the page without reloading this script: follow it to the next page.
  document.addEventListener("htmx:afterSettle", setup);
})();
