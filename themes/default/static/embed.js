// Embeds for other sites (embed.html): tells the parent page the height of the
// content, on load and whenever it changes, so the host can size its <iframe>:
// parent.postMessage({"standpoint-height": N}, "*"). On question and actor pages:
// a Copy button for the "Embed" disclosure's code (embed_code.html).
(function () {
  "use strict";

  function reportHeight() {
    var main = document.querySelector("main.embed-page");
    if (!main || window.parent === window) return;
    var last = -1;
    function report() {
      // The root element, not the body: its box takes in the body's margins.
      var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (h === last) return;
      last = h;
      window.parent.postMessage({ "standpoint-height": h }, "*");
    }
    report();
    window.addEventListener("load", report);
    if ("ResizeObserver" in window) {
      new ResizeObserver(report).observe(document.documentElement);
    } else {
      window.addEventListener("resize", report);
    }
  }

  function copyButtons() {
    var boxes = document.querySelectorAll(".embed-code");
    Array.prototype.forEach.call(boxes, function (box) {
      var text = box.querySelector("textarea");
      var status = box.querySelector(".embed-code-status");
      if (!text || !status) return;
      /* The theme's words in the page's language, from the template. */
      var say = function (name, fallback) { return status.getAttribute("data-t-" + name) || fallback; };
      var button = document.createElement("button");
      button.type = "button";
      button.className = "embed-code-copy";
      button.textContent = say("copy", "Copy");
      text.insertAdjacentElement("afterend", button);
      button.addEventListener("click", function () {
        var done = function () { status.textContent = say("copied", "Copied"); };
        var fallback = function () {
          text.select();
          try {
            if (document.execCommand("copy")) { done(); return; }
          } catch (e) { /* shown below */ }
          status.textContent = say("press", "Press Ctrl+C (or Cmd+C) to copy the selected code");
        };
        status.textContent = "";
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  reportHeight();
  copyButtons();
})();
