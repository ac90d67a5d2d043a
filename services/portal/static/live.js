// Follows an initiative's state on its page (progressive: without this script the page is
// complete, and reloading it shows the state). Every 10 s while the tab is visible, the
// portal is asked for the state's version; when it has moved on (a council seated, a
// decision, a return), the page is read again, or, if the person has typed into one of its
// forms, a notice with a reload link is shown instead so nothing typed is lost.
(function () {
  "use strict";
  var section = document.querySelector("[data-live-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-live-url");
  var version = section.getAttribute("data-live-version");
  var typing = false;
  var timer = null;
  document.addEventListener("input", function () {
    typing = true;
  });

  function changed() {
    if (typing) {
      document.getElementById("state-changed").hidden = false;
      window.clearInterval(timer);
    } else {
      window.location.reload();
    }
  }

  function poll() {
    if (document.visibilityState !== "visible") {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) {
        // Signed out, or the initiative no longer visible: stop asking.
        if (!answer.ok || answer.redirected) {
          window.clearInterval(timer);
          return null;
        }
        return answer.json();
      })
      .then(function (state) {
        if (state && state.version !== version) {
          changed();
        }
      })
      .catch(function () {
        // The portal is unreachable for a moment: the next tick asks again.
      });
  }

  timer = window.setInterval(poll, 10000);
})();
