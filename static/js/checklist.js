/* The checklist with JavaScript: every answer and photo goes through the ordered queue as it
 * is made; each criterion shows saved / saving / kept on the phone / failed in words and an
 * icon. The queue lives in IndexedDB (offline-store.js) so that, with no signal, a reload
 * (the page then comes from our service worker's cache) shows again what waits to be sent,
 * and it is sent when the network returns. Without this file the page works as plain forms. */
(function (CSX) {
  "use strict";
  var main = document.querySelector("[data-checklist]");
  var answers = CSX.answers;
  if (!main || !answers || !CSX.createQueue || !window.crypto || !crypto.randomUUID || !window.fetch) { return; }
  document.documentElement.classList.add("js");
  var api = main.dataset.api;
  var t = main.dataset;
  var SUBMIT = "__submit__";
  var pending = {};
  var views = {}; // item id -> its thumbnail <li>: DOM nodes stay out of the stored items
  var ICONS = { saving: "⟳ ", saved: "✓ ", queued: "⧗ ", retrying: "⚠ ", failed: "⚠ " };

  function article(code) { return document.getElementById("c-" + code); }
  function el(selector) { return document.querySelector(selector); }

  function setStatus(code, state, text) {
    var node = article(code).querySelector("[data-status]");
    node.dataset.state = state;
    node.textContent = "";
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = ICONS[state] || "";
    node.appendChild(icon);
    node.appendChild(document.createTextNode(text));
  }

  // A refusal in sentences: the detail and each field's messages, never the field's name.
  function problem(result) {
    var data = result && result.data;
    if (!data) { return ""; }
    var errors = data.errors || {};
    var details = Object.keys(errors).map(function (k) { return [].concat(errors[k]).join(" "); });
    return [data.detail].concat(details).filter(Boolean).join(" ");
  }

  CSX.refusal = problem; // annotate.js says a refused drawing in the same words

  // The decimal mark a reader of this page types: "97,5" in Vietnamese, "97.5" in English.
  function decimalMark() {
    return (document.documentElement.lang || "vi").indexOf("vi") === 0 ? "," : ".";
  }

  function progress() {
    var done = answeredCount();
    el("[data-progress]").textContent = done;
    document.querySelectorAll(".section").forEach(function (section) {
      var count = section.querySelector("[data-section-done]");
      if (count) { count.textContent = section.querySelectorAll(".crit[data-answered='1']").length; }
    });
  }

  function answeredCount() { return document.querySelectorAll(".crit[data-answered='1']").length; }

  // The score the server stored, and on how many criteria it rests: those answered when the
  // queue last went quiet (everything sent).
  function refreshScore() {
    var basis = answeredCount();
    return fetch(api + "score/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var lang = document.documentElement.lang || "vi";
        var total = data.total === null ? "—" : Number(data.total).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        var name = data.classification_name ? " · " + data.classification_name : "";
        el("[data-score]").textContent = total + name;
        el("[data-basis]").textContent = t.tBasis.replace("{n}", basis).replace("{t}", el("[data-total]").textContent);
      }).catch(function () {});
  }

  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "vi") : null;

  function counted(name, n) {
    var form = plurals && plurals.select(n) === "one" ? "One" : "Other";
    return t["t" + name + form].replace("{n}", String(n));
  }

  // What waits on this phone, as the inspector sees it: the criteria changed (an answer, a
  // note, a photo taken away) and the photos and files added, however many tries each made.
  // Held ones count too: they wait for the inspector. The submit has its own line.
  function countWaiting() {
    queue.pending().then(function (items) {
      var criteria = {};
      var photos = 0;
      var files = 0;
      items.forEach(function (item) {
        if (item.kind === "answer" || item.kind === "remove") { criteria[item.key] = true; }
        if (item.kind === "photo") {
          if (item.file && item.file.type && item.file.type.indexOf("image/") === 0) { photos += 1; } else { files += 1; }
        }
      });
      var changed = Object.keys(criteria).length;
      var parts = [];
      if (changed) { parts.push(counted("Criteria", changed)); }
      if (photos) { parts.push(counted("Photos", photos)); }
      if (files) { parts.push(counted("Files", files)); }
      var box = el("[data-waiting-count]");
      box.textContent = parts.join(", ");
      box.dataset.criteria = changed;
      box.dataset.photos = photos;
      box.dataset.files = files;
      el("[data-waiting]").hidden = parts.length === 0;
    });
  }

  function waitingText(result) {
    return result && result.status >= 500 ? t.tRetrying : t.tQueued;
  }

  function showSubmit(state, result) {
    var box = el("[data-submit-state]");
    box.dataset.state = state;
    if (state === "saved") { window.location.href = t.result; return; }
    box.textContent = state === "failed" ? t.tFailed + ": " + problem(result) : t.tWillSubmit;
  }

  function onChange(item, state, result) {
    countWaiting();
    if (state === "auth") { el("[data-auth]").hidden = false; return; }
    if (item.kind === "submit") { showSubmit(state, result); return; }
    if (item.kind === "signature") { return; } // the team page's: sent in order, shown there
    var code = item.key;
    pending[code] = (pending[code] || 0) + (state === "saving" ? 1 : (state === "retrying" ? 0 : -1));
    if (state === "saving") { setStatus(code, navigator.onLine === false ? "queued" : "saving", navigator.onLine === false ? t.tQueued : t.tSaving); }
    else if (state === "retrying") { setStatus(code, "queued", waitingText(result)); }
    else if (state === "failed") {
      var fields = item.kind === "answer" && result && result.data && result.data.errors;
      if (fields && fields.value) { showError(code, fields.value.join(" ")); }
      setStatus(code, "failed", t.tFailed + ": " + problem(result));
    }
    else if (!pending[code]) { setStatus(code, "saved", t.tSaved); }
    if (item.kind === "answer" && (state === "saving" || state === "saved")) {
      article(code).dataset.answered = item.json.value === null ? "" : "1";
      progress();
    }
    if (item.kind === "photo") { photoDone(item, state, result); }
    if (item.kind === "annotation" && CSX.annotationChanged) { CSX.annotationChanged(item, state, result); }
    if (item.kind === "remove" && views[item.id]) {
      if (state === "saved") { views[item.id].remove(); }
      if (state === "failed") { views[item.id].dataset.state = "saved"; views[item.id].querySelector("button").disabled = false; }
    }
    if (state === "saved") { delete views[item.id]; }
  }

  // The page's field messages, by "code:type": the server's own words for the same refusal.
  var MESSAGES = JSON.parse(t.answerMessages || "{}");

  function showError(code, text) {
    var crit = article(code);
    var box = document.getElementById("e-" + code);
    if (!box) {
      box = document.createElement("p");
      box.id = "e-" + code;
      box.className = "msg msg--error";
      box.setAttribute("role", "alert");
      crit.insertBefore(box, crit.querySelector("form[data-answer]"));
    }
    box.textContent = "";
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "⚠ ";
    box.appendChild(icon);
    box.appendChild(document.createTextNode(text));
    crit.classList.add("crit--error");
    setStatus(code, "failed", t.tNotSaved);
  }

  function clearError(code) {
    var box = document.getElementById("e-" + code);
    if (box) { box.remove(); }
    article(code).classList.remove("crit--error");
  }

  // A queued answer shown again over the page's HTML (which may be an older cached copy).
  function showAnswer(item) {
    var crit = article(item.key);
    if (!crit) { return; }
    var form = crit.querySelector("form[data-answer]");
    var text = answers.formText(item.json.value, decimalMark());
    if (crit.dataset.kind === "percent") {
      var na = form.querySelector("input[name=na]");
      if (na) { na.checked = text === answers.NA; }
      form.querySelector("input[name=value]").value = text === answers.NA ? "" : text;
    } else {
      form.querySelectorAll("input[name=value]").forEach(function (r) { r.checked = text !== "" && r.value === text; });
    }
    form.querySelector("textarea[name=note]").value = item.json.note;
    form.querySelector("input[name=flagged]").checked = item.json.flagged;
  }

  // Read through the answer contract first: a value that does not fit is never queued, and
  // its message is the one the server gives without JavaScript.
  function queueAnswer(form) {
    var crit = form.closest(".crit");
    var code = crit.dataset.code;
    var kind = crit.dataset.kind;
    var parsed = answers.parse(kind, crit.dataset.naAllowed === "1", answers.fromControls(form));
    if ("error" in parsed) { showError(code, answers.message(MESSAGES, parsed.error, kind)); return; }
    clearError(code);
    queue.add({
      kind: "answer", key: code, method: "PUT",
      url: api + "answers/" + encodeURIComponent(code) + "/",
      json: {
        value: parsed.value,
        note: form.querySelector("textarea[name=note]").value,
        flagged: form.querySelector("input[name=flagged]").checked
      }
    });
  }

  function thumbnail(code, id, file) {
    var li = document.createElement("li");
    views[id] = li;
    li.dataset.state = "saving";
    if (file.type.indexOf("image/") === 0) {
      var link = document.createElement("a"); // viewer.js opens it larger
      var img = document.createElement("img");
      img.src = link.href = URL.createObjectURL(file);
      img.alt = link.dataset.caption = t.tPhoto + " " + code;
      link.className = "thumb";
      link.dataset.view = "";
      link.appendChild(img);
      li.appendChild(link);
      li.dataset.photo = id; // the server's id too: the upload sends it
      if (CSX.annotateLink) { CSX.annotateLink(li, id); }
    } else {
      li.appendChild(document.createTextNode(file.name || "PDF"));
    }
    article(code).querySelector("[data-thumbs]").appendChild(li);
    return li;
  }

  function queuePhotos(form, input) {
    var code = form.closest(".crit").dataset.code;
    Array.prototype.forEach.call(input.files, function (file) {
      var id = crypto.randomUUID();
      thumbnail(code, id, file);
      queue.add({
        id: id, kind: "photo", key: code, method: "POST", url: api + "photos/",
        file: file, fields: { criterion: code, id: id }
      });
    });
    input.value = "";
  }

  function button(text, data, value) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn--quiet btn--small";
    b.dataset[data] = value;
    b.textContent = "✕ " + text;
    return b;
  }

  function photoDone(item, state, result) {
    var li = views[item.id];
    if (!li || state === "saving" || state === "retrying") { return; }
    if (state === "failed") { // kept on the phone until the inspector lets it go
      li.dataset.state = "failed";
      if (!li.querySelector("[data-discard]")) { li.appendChild(button(t.tDiscard, "discard", item.id)); }
      return;
    }
    li.dataset.state = "saved";
    var urls = (result.data && result.data.urls) || {};
    var img = li.querySelector("img");
    if (img && urls.thumbnail) {
      URL.revokeObjectURL(img.src);
      img.src = urls.thumbnail;
      img.parentNode.href = urls.display || urls.thumbnail;
    }
    var image = item.file && item.file.type && item.file.type.indexOf("image/") === 0;
    var remove = button(image ? t.tRemove : t.tRemoveFile, "remove", item.fields.id);
    remove.dataset.fileKind = image ? "photo" : "file";
    li.appendChild(remove);
  }

  // After a reload: what waits in the queue is shown again, as it was left.
  function restore(items) {
    items.forEach(function (item) {
      if (item.kind === "submit") { showSubmit(item.held ? "failed" : "saving", item.held); return; }
      if (!article(item.key)) { return; }
      if (item.kind === "answer") { showAnswer(item); }
      if (item.kind === "photo") { thumbnail(item.key, item.id, item.file); }
      if (item.kind === "remove") {
        var gone = article(item.key).querySelector("[data-remove='" + item.url.split("/").slice(-2)[0] + "']");
        if (gone) { views[item.id] = gone.closest("li"); views[item.id].dataset.state = "saving"; gone.disabled = true; }
      }
      onChange(item, "saving", null);
      if (item.held) { onChange(item, "failed", item.held); }
    });
  }

  var storage = CSX.indexedStorage ? CSX.indexedStorage(api) : CSX.memoryStorage();
  var queue = CSX.createQueue({
    storage: storage,
    onChange: onChange,
    onIdle: function (items) {
      if (navigator.onLine === false) { return; }
      refreshScore().then(function () {
        if (!items.length && CSX.refreshKeptPage) { return CSX.refreshKeptPage(window.location.pathname); }
        return null;
      });
    }
  });

  CSX.checklistQueue = queue; // annotate.js queues its drawings here, in the same order

  document.querySelectorAll("form[data-answer]").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); queueAnswer(form); });
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") { queuePhotos(form, event.target); }
      else { queueAnswer(form); }
    });
  });

  document.addEventListener("click", function (event) {
    var discard = event.target.closest("[data-discard]");
    if (discard) { // a refused photo, with the refused drawings on it; or one drawing
      var held = discard.closest("[data-held], li");
      var ids = Array.prototype.map.call(held.querySelectorAll("[data-discard]"), function (b) { return b.dataset.discard; });
      Promise.all(ids.map(queue.discard)).then(countWaiting);
      held.remove();
      return;
    }
    var remove = event.target.closest("[data-remove]");
    if (!remove) { return; }
    event.preventDefault();
    var code = remove.closest(".crit").dataset.code;
    var ask = remove.dataset.fileKind === "file" ? t.tAskFile : t.tAskPhoto;
    if (!window.confirm(ask.replace("{code}", code))) { return; }
    var li = remove.closest("li");
    li.dataset.state = "saving";
    remove.disabled = true;
    var id = crypto.randomUUID();
    views[id] = li;
    queue.add({
      id: id, kind: "remove", key: code, method: "DELETE",
      url: api + "photos/" + remove.dataset.remove + "/"
    });
  });

  var submitBox = el("[data-offline-submit]");
  submitBox.hidden = false;
  submitBox.querySelector("button").addEventListener("click", function () {
    queue.add({ kind: "submit", key: SUBMIT, method: "POST", url: api + "submit/", json: {} });
  });

  // Said once: "Đã hiểu" hides it on this phone for good (a nearly full phone: for this visit,
  // since that one can change from day to day).
  function remembered(store, key, value) {
    try {
      if (value) { store.setItem(key, value); }
      return store.getItem(key);
    } catch (e) { return null; } // storage refused (private mode): the warning simply stays
  }

  if (CSX.storageHealth) {
    CSX.storageHealth().then(function (health) {
      var warn = el("[data-storage-warning]");
      var text = health.nearlyFull ? t.tStorageFull : (health.persisted ? "" : t.tNotPersisted);
      var store = health.nearlyFull ? window.sessionStorage : window.localStorage;
      var key = "csx-dismissed-" + (health.nearlyFull ? "storage-full" : "not-persisted");
      warn.querySelector("[data-storage-text]").textContent = text;
      warn.hidden = !text || remembered(store, key) === "1";
      warn.querySelector("[data-dismiss]").addEventListener("click", function () {
        warn.hidden = true;
        remembered(store, key, "1");
      });
    });
  }

  queue.pending().then(function (items) { restore(items); queue.resume(); });
}(window.CSX || {}));
