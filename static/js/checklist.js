/* The checklist with JavaScript: every answer and photo goes through the ordered queue as it
 * is made; each criterion shows saved / saving / failed in words and an icon. Without this
 * file the page works as plain forms. */
(function (CSX) {
  "use strict";
  var main = document.querySelector("[data-checklist]");
  if (!main || !CSX.createQueue || !window.crypto || !crypto.randomUUID || !window.fetch) { return; }
  document.documentElement.classList.add("js");
  var api = main.dataset.api;
  var t = main.dataset;
  var pending = {};
  var views = {}; // item id -> its thumbnail <li>: DOM nodes stay out of the stored items
  var ICONS = { saving: "⟳ ", saved: "✓ ", retrying: "⚠ ", failed: "⚠ " };

  function article(code) { return document.getElementById("c-" + code); }

  function setStatus(code, state, text) {
    var el = article(code).querySelector("[data-status]");
    el.dataset.state = state;
    el.textContent = "";
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = ICONS[state] || "";
    el.appendChild(icon);
    el.appendChild(document.createTextNode(text));
  }

  function problem(result) {
    var data = result && result.data;
    if (!data) { return ""; }
    var errors = data.errors || {};
    var details = Object.keys(errors).map(function (k) { return errors[k].join(" "); });
    return [data.detail].concat(details).filter(Boolean).join(" ");
  }

  function progress() {
    var done = document.querySelectorAll(".crit[data-answered='1']").length;
    document.querySelector("[data-progress]").textContent = done;
    document.querySelectorAll(".section").forEach(function (section) {
      var count = section.querySelector("[data-section-done]");
      if (count) { count.textContent = section.querySelectorAll(".crit[data-answered='1']").length; }
    });
  }

  function refreshScore() {
    fetch(api + "score/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var lang = document.documentElement.lang || "vi";
        var total = data.total === null ? "—" : Number(data.total).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        var name = data.classification_name ? " · " + data.classification_name : "";
        document.querySelector("[data-score]").textContent = total + name;
      }).catch(function () {});
  }

  function onChange(item, state, result) {
    var code = item.key;
    pending[code] = (pending[code] || 0) + (state === "saving" ? 1 : (state === "retrying" ? 0 : -1));
    if (state === "saving") { setStatus(code, "saving", t.tSaving); }
    else if (state === "retrying") { setStatus(code, "retrying", t.tRetrying); }
    else if (state === "failed") { setStatus(code, "failed", t.tFailed + ": " + problem(result)); }
    else if (!pending[code]) { setStatus(code, "saved", t.tSaved); }
    if (state === "saved" && item.kind === "answer") {
      article(code).dataset.answered = item.json.value === null ? "" : "1";
      progress();
    }
    if (item.kind === "photo") { photoDone(item, state, result); }
    if (item.kind === "remove" && views[item.id]) {
      if (state === "saved") { views[item.id].remove(); }
      if (state === "failed") { views[item.id].dataset.state = "saved"; views[item.id].querySelector("button").disabled = false; }
    }
    if (state === "saved" || state === "failed") { delete views[item.id]; }
  }

  function answerValue(form, kind) {
    if (kind === "percent") {
      var na = form.querySelector("input[name=na]");
      if (na && na.checked) { return "na"; }
      var raw = form.querySelector("input[name=value]").value.trim().replace(",", ".");
      return raw === "" ? null : raw;
    }
    var chosen = form.querySelector("input[name=value]:checked");
    if (!chosen) { return null; }
    if (chosen.value === "na") { return "na"; }
    if (kind === "yes_no") { return chosen.value === "yes"; }
    return parseInt(chosen.value, 10);
  }

  function queueAnswer(form) {
    var crit = form.closest(".crit");
    var code = crit.dataset.code;
    queue.add({
      kind: "answer", key: code, method: "PUT",
      url: api + "answers/" + encodeURIComponent(code) + "/",
      json: {
        value: answerValue(form, crit.dataset.kind),
        note: form.querySelector("textarea[name=note]").value,
        flagged: form.querySelector("input[name=flagged]").checked
      }
    });
  }

  function queuePhotos(form, input) {
    var code = form.closest(".crit").dataset.code;
    var list = form.querySelector("[data-thumbs]");
    Array.prototype.forEach.call(input.files, function (file) {
      var id = crypto.randomUUID();
      var li = document.createElement("li");
      views[id] = li;
      li.dataset.state = "saving";
      if (file.type.indexOf("image/") === 0) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = t.tPhoto + " " + code;
        li.appendChild(img);
      } else {
        li.appendChild(document.createTextNode(file.name));
      }
      list.appendChild(li);
      queue.add({
        id: id, kind: "photo", key: code, method: "POST", url: api + "photos/",
        file: file, fields: { criterion: code, id: id }
      });
    });
    input.value = "";
  }

  function photoDone(item, state, result) {
    var li = views[item.id];
    if (!li || state === "saving" || state === "retrying") { return; }
    if (state === "failed") { li.remove(); return; }
    li.dataset.state = "saved";
    var urls = (result.data && result.data.urls) || {};
    var img = li.querySelector("img");
    if (img && urls.thumbnail) { URL.revokeObjectURL(img.src); img.src = urls.thumbnail; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--quiet btn--small";
    button.dataset.remove = item.fields.id;
    button.textContent = "✕ " + t.tRemove;
    li.appendChild(button);
  }

  var queue = CSX.createQueue({ onChange: onChange, onIdle: refreshScore });

  document.querySelectorAll("form[data-answer]").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); queueAnswer(form); });
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") { queuePhotos(form, event.target); }
      else { queueAnswer(form); }
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove]");
    if (!button) { return; }
    event.preventDefault();
    var li = button.closest("li");
    li.dataset.state = "saving";
    button.disabled = true;
    var id = crypto.randomUUID();
    views[id] = li;
    queue.add({
      id: id, kind: "remove", key: button.closest(".crit").dataset.code, method: "DELETE",
      url: api + "photos/" + button.dataset.remove + "/"
    });
  });
}(window.CSX || {}));
