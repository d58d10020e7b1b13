/* Drag on the photo instead of typing percentages: a rectangle for the blur form, a circle
 * (centre to edge) or an arrow (tail to head) for the drawing form. The drag only fills the
 * form's number inputs, shown in a preview box; the form posts as it does without this file. */
(function () {
  "use strict";
  var stage = document.querySelector("[data-overlay-stage]");
  if (!stage || !window.PointerEvent) { return; }
  var image = stage.querySelector("[data-overlay-image]");
  var box = stage.querySelector("[data-overlay-box]");
  var forms = document.querySelectorAll("[data-overlay-form]");
  if (!image || !box || !forms.length) { return; }
  // Which form a drag fills: the last one the user touched, else the first on the page.
  var active = forms[0];
  Array.prototype.forEach.call(forms, function (form) {
    var hint = form.querySelector("[data-overlay-hint]");
    if (hint) { hint.hidden = false; }
    form.addEventListener("focusin", function () { active = form; });
    form.addEventListener("pointerdown", function () { active = form; });
  });
  stage.classList.add("overlay-stage--drag");

  function clamp(v) { return Math.max(0, Math.min(100, v)); }
  function round(v) { return Math.round(v * 100) / 100; }
  function point(event) {
    var r = image.getBoundingClientRect();
    return {
      x: clamp((event.clientX - r.left) / r.width * 100),
      y: clamp((event.clientY - r.top) / r.height * 100)
    };
  }
  function set(form, name, value) {
    var input = form.querySelector("[name='" + name + "']");
    if (input) { input.value = round(value); }
  }
  function kind(form) {
    var checked = form.querySelector("[name='kind']:checked");
    return checked ? checked.value : "circle";
  }

  function show(start, end) {
    var r = image.getBoundingClientRect();
    var w = r.width / 100;
    var h = r.height / 100;
    box.hidden = false;
    box.className = "overlay-box";
    box.style.transform = "";
    if (active.dataset.overlayForm === "blur") {
      box.classList.add("overlay-box--blur");
      box.style.left = Math.min(start.x, end.x) * w + "px";
      box.style.top = Math.min(start.y, end.y) * h + "px";
      box.style.width = Math.abs(end.x - start.x) * w + "px";
      box.style.height = Math.abs(end.y - start.y) * h + "px";
      return;
    }
    var dx = (end.x - start.x) * w;
    var dy = (end.y - start.y) * h;
    var length = Math.sqrt(dx * dx + dy * dy);
    if (kind(active) === "circle") {
      box.classList.add("overlay-box--circle");
      box.style.left = start.x * w - length + "px";
      box.style.top = start.y * h - length + "px";
      box.style.width = box.style.height = 2 * length + "px";
    } else {
      box.classList.add("overlay-box--arrow");
      box.style.left = start.x * w + "px";
      box.style.top = start.y * h + "px";
      box.style.width = length + "px";
      box.style.height = "0";
      box.style.transform = "rotate(" + Math.atan2(dy, dx) + "rad)";
    }
  }

  function fill(start, end) {
    if (active.dataset.overlayForm === "blur") {
      set(active, "x", Math.min(start.x, end.x));
      set(active, "y", Math.min(start.y, end.y));
      set(active, "w", Math.abs(end.x - start.x));
      set(active, "h", Math.abs(end.y - start.y));
    } else {
      set(active, "x1", start.x);
      set(active, "y1", start.y);
      set(active, "x2", end.x);
      set(active, "y2", end.y);
    }
  }

  var start = null;
  stage.addEventListener("pointerdown", function (event) {
    if (event.target !== image && event.target !== box) { return; }
    event.preventDefault();
    start = point(event);
    stage.setPointerCapture(event.pointerId);
  });
  stage.addEventListener("pointermove", function (event) {
    if (!start) { return; }
    var end = point(event);
    show(start, end);
    fill(start, end);
  });
  function finish(event) {
    if (!start) { return; }
    fill(start, point(event));
    start = null;
    var label = active.querySelector("[name='label']");
    (label || active.querySelector("button[type='submit']")).focus();
  }
  stage.addEventListener("pointerup", finish);
  stage.addEventListener("pointercancel", function () { start = null; box.hidden = true; });
})();
