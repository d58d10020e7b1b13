/* Drawing on a photo from the checklist: the thumbnail's "Vẽ ghi chú" link opens a dialog,
 * a drag draws a circle (centre to edge) or an arrow (tail to head) with a short label, and
 * the whole list of shapes is queued as PUT /api/v1/photos/{id}/annotations/ in the
 * checklist's own queue (checklist.js, kept in IndexedDB): with no signal it waits on the
 * phone and is sent in order, after the photo it draws on. The server renders the copies;
 * the thumbnail is replaced once it has. Without this file the link opens the photo's page.
 * A photo taken in this session gets its link here too: its id is the one the phone chose
 * for the upload, so the drawing's PUT, queued after the photo, names the photo it will be.
 * A drawing the server refuses is shown beside its photo with a button that discards it
 * (checklist.js's [data-discard], as for a refused photo); the dialog then starts again
 * from what the server has (data-saved). */
(function (CSX) {
  "use strict";
  var dialog = document.querySelector("[data-annotate-dialog]");
  if (!dialog || !dialog.showModal || !window.PointerEvent) { return; }
  var image = dialog.querySelector("[data-annotate-image]");
  var canvas = dialog.querySelector("[data-annotate-canvas]");
  var label = dialog.querySelector("[data-annotate-label]");
  var status = dialog.querySelector("[data-annotate-status]");
  var RED = "#dc0000";
  var link = null; // the thumbnail's link being drawn on
  var shapes = []; // what the server has, or what waits in the queue for it
  var drawn = null; // the shape being dragged

  function current(a) {
    try { return JSON.parse(a.dataset.annotations || "[]"); } catch (e) { return []; }
  }
  function kind() {
    var checked = dialog.querySelector("[name='annotate-kind']:checked");
    return checked ? checked.value : "circle";
  }
  function clamp(v) { return Math.max(0, Math.min(1, v)); }
  function round(v) { return Math.round(v * 10000) / 10000; }

  function paint() {
    var w = canvas.width = image.clientWidth;
    var h = canvas.height = image.clientHeight;
    var ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = ctx.fillStyle = RED;
    ctx.lineWidth = 3;
    ctx.font = "bold 14px sans-serif";
    ctx.textAlign = "center";
    shapes.concat(drawn ? [drawn] : []).forEach(function (s) {
      var x1 = s.x1 * w, y1 = s.y1 * h, x2 = s.x2 * w, y2 = s.y2 * h;
      ctx.beginPath();
      if (s.kind === "circle") {
        var r = Math.max(4, Math.sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1)));
        ctx.arc(x1, y1, r, 0, 2 * Math.PI);
        ctx.stroke();
        if (s.label) { ctx.fillText(s.label, x1, Math.min(h - 4, y1 + r + 16)); }
      } else {
        var a = Math.atan2(y2 - y1, x2 - x1);
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(x2, y2);
        ctx.lineTo(x2 - 14 * Math.cos(a - 0.45), y2 - 14 * Math.sin(a - 0.45));
        ctx.lineTo(x2 - 14 * Math.cos(a + 0.45), y2 - 14 * Math.sin(a + 0.45));
        ctx.fill();
        if (s.label) { ctx.fillText(s.label, x1, Math.min(h - 4, y1 + 18)); }
      }
    });
  }

  function point(event) {
    var r = image.getBoundingClientRect();
    return { x: round(clamp((event.clientX - r.left) / r.width)), y: round(clamp((event.clientY - r.top) / r.height)) };
  }
  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    var p = point(event);
    drawn = { kind: kind(), x1: p.x, y1: p.y, x2: p.x, y2: p.y, label: "" };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawn || !canvas.hasPointerCapture(event.pointerId)) { return; }
    var p = point(event);
    drawn.x2 = p.x;
    drawn.y2 = p.y;
    paint();
  });
  canvas.addEventListener("pointerup", function () { label.focus(); });

  // The link of a thumbnail made on the phone (checklist.js), as web/criterion_html.py writes it.
  CSX.annotateLink = function (li, id) {
    if (li.querySelector("a[data-annotate]")) { return; }
    var a = document.createElement("a");
    var icon = document.createElement("span");
    a.className = "btn btn--quiet btn--small";
    a.href = dialog.dataset.urlPage.replace(dialog.dataset.slot, id);
    a.dataset.annotate = dialog.dataset.urlAnnotations.replace(dialog.dataset.slot, id);
    a.dataset.annotations = a.dataset.saved = "[]";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "✎ ";
    a.appendChild(icon);
    a.appendChild(document.createTextNode(dialog.dataset.tAnnotate));
    li.querySelector(".thumb").after(a);
  };
  document.querySelectorAll("a[data-annotate]").forEach(function (a) { a.dataset.saved = a.dataset.annotations; });
  document.querySelectorAll("[data-thumbs] li[data-photo]").forEach(function (li) { CSX.annotateLink(li, li.dataset.photo); });

  function queue(list) {
    var crit = link.closest(".crit");
    var refusal = link.closest("li").querySelector("[data-held]");
    if (refusal) { refusal.remove(); } // the queue replaces a refused drawing with this one
    link.dataset.annotations = JSON.stringify(list);
    CSX.checklistQueue.add({
      kind: "annotation", key: crit ? crit.dataset.code : "", method: "PUT",
      url: link.dataset.annotate, json: { annotations: list }
    });
    status.textContent = dialog.dataset.tQueued;
    shapes = list;
    drawn = null;
    paint();
  }

  dialog.querySelector("[data-annotate-save]").addEventListener("click", function () {
    if (!drawn) { status.textContent = dialog.dataset.tEmpty; return; }
    drawn.kind = kind();
    drawn.label = label.value.replace(/\s+/g, " ").trim().slice(0, 60);
    label.value = "";
    queue(shapes.concat([drawn]));
  });
  dialog.querySelector("[data-annotate-clear]").addEventListener("click", function () { queue([]); });
  dialog.querySelector("[data-annotate-close]").addEventListener("click", function () { dialog.close(); });
  image.addEventListener("load", paint);

  document.addEventListener("click", function (event) {
    var a = event.target.closest("a[data-annotate]");
    if (!a || !CSX.checklistQueue) { return; }
    event.preventDefault();
    link = a;
    shapes = current(a);
    drawn = null;
    status.textContent = "";
    if (!dialog.querySelector("[name='annotate-kind']:checked")) { dialog.querySelector("[name='annotate-kind']").checked = true; }
    var thumb = a.closest("li").querySelector("img");
    image.src = thumb ? thumb.src : "data:,";
    dialog.showModal();
    paint();
  });

  function refused(a, item, result) {
    a.dataset.annotations = a.dataset.saved || "[]";
    if (a.closest("li").querySelector("[data-held='" + item.id + "']")) { return; }
    var box = document.createElement("p");
    var discard = document.createElement("button");
    box.className = "msg msg--error";
    box.dataset.held = item.id;
    box.setAttribute("role", "alert");
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "⚠ ";
    box.appendChild(icon);
    box.appendChild(document.createTextNode((CSX.refusal ? CSX.refusal(result) : "") + " "));
    discard.type = "button";
    discard.className = "btn btn--quiet btn--small";
    discard.dataset.discard = item.id;
    discard.textContent = "✕ " + dialog.dataset.tDiscard;
    box.appendChild(discard);
    a.closest("li").appendChild(box);
  }

  // The server's new copy replaces the thumbnail once the drawing is stored.
  CSX.annotationChanged = function (item, state, result) {
    var a = document.querySelector("a[data-annotate='" + item.url + "']");
    if (a && state === "failed") { refused(a, item, result); }
    if (!a || state !== "saved" || !result || !result.data || !result.data.urls) { return; }
    a.dataset.saved = JSON.stringify(result.data.annotations || []);
    var img = a.closest("li").querySelector("img");
    if (img && result.data.urls.thumbnail) { img.src = result.data.urls.thumbnail; }
    if (img && result.data.urls.display) { img.parentNode.href = result.data.urls.display; }
  };

  // After a reload with drawings still waiting: start from what the phone will send.
  if (CSX.checklistQueue) {
    CSX.checklistQueue.pending().then(function (items) {
      items.forEach(function (item) {
        if (item.kind !== "annotation") { return; }
        var a = document.querySelector("a[data-annotate='" + item.url + "']");
        if (a) { a.dataset.annotations = JSON.stringify(item.json.annotations); }
        if (item.held) { CSX.annotationChanged(item, "failed", item.held); }
      });
    });
  }
}(window.CSX = window.CSX || {}));
