/*
 * The page of a document in preparation follows it without a reload: it asks the server for the
 * state (the `etat/` fragment) every few seconds and swaps the message and the actions in place.
 * The message is a live region, so a screen reader says "Bilan prêt" when it changes. Without
 * this script, a <noscript> refresh reloads the whole page instead.
 */
(function () {
  "use strict";

  var root = document.getElementById("document-state");
  if (!root || root.dataset.done === "1" || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = root.dataset.pollUrl;
  var delay = 2000;
  var MAX_DELAY = 15000;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("document-state");
    if (!fresh) {
      return;
    }
    ["document-state-message", "document-state-actions"].forEach(function (id) {
      var now = document.getElementById(id);
      var next = fresh.querySelector("#" + id);
      if (now && next && now.innerHTML !== next.innerHTML) {
        now.innerHTML = next.innerHTML;
        now.className = next.className;
      }
    });
    root.dataset.done = fresh.dataset.done;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        swap(html);
        delay = Math.min(delay + 1000, MAX_DELAY);
      })
      .catch(function () {
        delay = Math.min(delay * 2, MAX_DELAY); // the server is busy or away: ask less often
      })
      .then(function () {
        if (root.dataset.done !== "1") {
          window.setTimeout(poll, delay);
        }
      });
  }

  window.setTimeout(poll, delay);
})();
