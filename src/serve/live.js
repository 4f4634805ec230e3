// standpoint serve: live reload. `standpoint serve` injects this script into every
// page it serves (never into a built site). It follows the server's state over
// server-sent events: a new build reloads the page (keeping the scroll position),
// a stylesheet-only change swaps the stylesheets, and a failed build shows the
// server's error overlay until a good build arrives.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__standpointLive) {
    return;
  }
  // Tells tests (and the curious) whether the event stream is up.
  var live = (window.__standpointLive = { connected: false });
  // Endpoints are relative to this script, so that the site works under any path
  // and on any host (IPv6 literals included).
  var here = new URL(".", script.src);
  var root = new URL("..", here);
  var pageBuild = script.getAttribute("data-build");
  var scrollKey = "standpoint-scroll:" + location.pathname;

  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var xy = JSON.parse(saved);
      var restore = function () {
        // At once: the theme may ask for smooth scrolling.
        window.scrollTo({ left: xy[0], top: xy[1], behavior: "instant" });
      };
      if (document.readyState === "complete") {
        restore();
      } else {
        window.addEventListener("load", restore);
      }
    }
  } catch (e) {
    // Storage may be disabled; reloading to the top is fine then.
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) {
      // See above.
    }
    location.reload();
  }

  function showOverlay(html) {
    var old = document.getElementById("standpoint-errors");
    if (!html) {
      if (old) {
        old.remove();
      }
      return;
    }
    // The server escaped every diagnostic in this HTML.
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    if (old) {
      old.replaceWith(fresh);
    } else {
      document.body.appendChild(fresh);
    }
  }

  function swapStylesheets(paths) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet"]'));
    paths.forEach(function (path) {
      var target = new URL(path, root).href;
      links.forEach(function (link) {
        if (link.href.split(/[?#]/)[0] !== target) {
          return;
        }
        var next = link.cloneNode();
        next.href = target + "?live=" + Date.now();
        // Remove the old sheet only once the new one applies: no flash of unstyled page.
        next.addEventListener("load", function () {
          link.remove();
        });
        next.addEventListener("error", function () {
          link.remove();
        });
        link.after(next);
      });
    });
  }

  function apply(state) {
    if (state.build !== pageBuild) {
      if (state.css && state.css.from === pageBuild) {
        swapStylesheets(state.css.paths);
        pageBuild = state.build;
      } else {
        reload();
        return;
      }
    }
    showOverlay(state.overlay);
  }

  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("[data-standpoint-close]")) {
      showOverlay(null);
    }
  });

  function receive(state) {
    live.connected = true;
    try {
      apply(state);
    } catch (err) {
      console.error("standpoint live reload:", err);
    }
  }

  // A browser opens at most six HTTP/1.1 connections to one server, and every event
  // stream holds one: with one stream per tab, a seventh tab would never load. So
  // the tabs elect one (Web Locks) to hold the stream and pass its messages on to
  // the others (BroadcastChannel). Without those APIs, each tab connects itself.
  var name = "standpoint-live:" + here.href;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel(name) : null;
  var leading = false;
  var lastState = null;

  function connect() {
    var source = new EventSource(new URL("events", here).href);
    source.addEventListener("state", function (event) {
      var state;
      try {
        state = JSON.parse(event.data);
      } catch (err) {
        console.error("standpoint live reload:", err);
        return;
      }
      lastState = state;
      if (channel) {
        channel.postMessage({ type: "state", state: state });
      }
      receive(state);
    });
    source.onerror = function () {
      live.connected = false;
      if (channel) {
        channel.postMessage({ type: "down" });
      }
      // The browser retries by itself unless it gave up (the server answered with
      // an error); then start over, so that a restarted server is found again.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 1000);
      }
    };
  }

  if (channel && navigator.locks) {
    channel.onmessage = function (event) {
      var message = event.data || {};
      if (message.type === "state") {
        receive(message.state);
      } else if (message.type === "down") {
        live.connected = false;
      } else if (message.type === "hello" && leading && lastState) {
        channel.postMessage({ type: "state", state: lastState });
      }
    };
    navigator.locks.request(name, function () {
      leading = true;
      connect();
      // Held until this page goes away; then another tab takes over.
      return new Promise(function () {});
    });
    // A tab that does not lead asks the leader for the current state.
    channel.postMessage({ type: "hello" });
  } else {
    connect();
  }
})();
