/* Drawn signatures at the end of the visit: strokes on a canvas, scaled to a 600 × 200 box,
 * sent through the same ordered queue as the answers (queue.js, kept in IndexedDB by
 * offline-store.js under the inspection's API address), so a signature given with no signal
 * waits on the phone, after the answers it covers, and is sent when the network returns.
 * Without this file the page offers "ký trên bản giấy" only. */
(function (CSX) {
  "use strict";
  var main = document.querySelector("[data-signatures]");
  if (!main || !CSX.createQueue || !window.crypto || !crypto.randomUUID || !window.fetch) { return; }
  var t = main.dataset;
  var api = t.api;
  var W = 600;
  var H = 200;

  function status(role, state, text) {
    var node = document.querySelector(".sign[data-role='" + role + "'] [data-sign-status]");
    node.dataset.state = state;
    node.textContent = text;
  }

  var storage = CSX.indexedStorage ? CSX.indexedStorage(api) : CSX.memoryStorage();
  var queue = CSX.createQueue({
    storage: storage,
    onChange: function (item, state, result) {
      if (item.kind !== "signature") { return; }
      if (state === "auth") { status(item.key, "failed", t.tAuth); return; }
      if (state === "saving") { status(item.key, "saving", navigator.onLine === false ? t.tQueued : t.tSaving); }
      else if (state === "retrying") { status(item.key, "saving", t.tQueued); }
      else if (state === "failed") { status(item.key, "failed", t.tFailed + ": " + ((result.data && result.data.detail) || result.status)); }
      else if (state === "saved") { status(item.key, "saved", t.tSaved); }
    }
  });

  function pad(form) {
    var box = form.querySelector("[data-pad]");
    var canvas = box.querySelector("canvas");
    var ctx = canvas.getContext("2d");
    var strokes = [];
    var current = null;
    box.hidden = false;
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#1a237e";

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      var x = Math.round((event.clientX - rect.left) * W / rect.width);
      var y = Math.round((event.clientY - rect.top) * H / rect.height);
      return [Math.max(0, Math.min(W, x)), Math.max(0, Math.min(H, y))];
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      current = point(event);
      strokes.push(current);
      ctx.beginPath();
      ctx.moveTo(current[0], current[1]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current) { return; }
      var p = point(event);
      current.push(p[0], p[1]);
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
    });
    function end() { current = null; }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);

    form.querySelector("[data-sign-clear]").addEventListener("click", function () {
      strokes = [];
      ctx.clearRect(0, 0, W, H);
    });
    form.querySelector("[data-sign-save]").addEventListener("click", function () {
      var role = form.querySelector("input[name=role]").value;
      if (!strokes.length) { status(role, "failed", t.tEmpty); return; }
      queue.add({
        kind: "signature", key: role, method: "POST", url: api + "signatures/",
        json: {
          id: crypto.randomUUID(), role: role,
          name: form.querySelector("input[name=name]").value,
          position: form.querySelector("input[name=position]").value,
          strokes: strokes, signed_at: new Date().toISOString()
        }
      });
    });
  }

  document.querySelectorAll("form[data-sign-form]").forEach(pad);
  queue.pending().then(function (items) {
    items.forEach(function (item) {
      if (item.kind === "signature") { status(item.key, item.held ? "failed" : "saving", item.held ? t.tFailed : t.tQueued); }
    });
    queue.resume();
  });
}(window.CSX || {}));
