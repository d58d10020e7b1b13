/* An ordered queue of API calls: sent one at a time, in order, retried with backoff.
 * Each item carries a client id made once (crypto.randomUUID), so a retry of a photo POST
 * returns the photo already stored and an answer PUT simply says the same thing again:
 * nothing is ever recorded twice, however often a lost connection makes us replay.
 *
 * Storage interface: load() -> Promise<item[]> in order, save(item) -> Promise (adds or
 * replaces by id), remove(id) -> Promise. CSX.memoryStorage here; CSX.indexedStorage
 * (offline-store.js) keeps the queue across reloads. Items hold only structured-cloneable
 * data (strings, plain objects, File/Blob).
 *
 * What happens to an item: sent and accepted -> removed ("saved"); no network, 5xx, 408,
 * 429 -> kept and retried ("retrying"; at once when the browser says it is back online);
 * session expired or CSRF token stale -> kept, the whole queue pauses ("auth") until the
 * page is reloaded after signing in; any other refusal -> kept as held with the server's
 * answer ("failed") and skipped, until the inspector replaces or discards it.
 */
(function (CSX) {
  "use strict";

  CSX.memoryStorage = function () {
    var items = [];
    return {
      load: function () { return Promise.resolve(items.slice()); },
      save: function (item) {
        var i = items.findIndex(function (x) { return x.id === item.id; });
        if (i < 0) { items.push(item); } else { items[i] = item; }
        return Promise.resolve();
      },
      remove: function (id) {
        items = items.filter(function (x) { return x.id !== id; });
        return Promise.resolve();
      }
    };
  };

  function cookie(name) {
    var found = document.cookie.split("; ").find(function (c) { return c.indexOf(name + "=") === 0; });
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function request(item) {
    var headers = { "X-CSRFToken": cookie("csrftoken"), "Accept": "application/json" };
    var body = null;
    if (item.file) {
      body = new FormData();
      Object.keys(item.fields || {}).forEach(function (k) { body.append(k, item.fields[k]); });
      body.append("file", item.file, item.file.name || "photo.jpg");
    } else if (item.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(item.json);
    }
    return fetch(item.url, { method: item.method, headers: headers, body: body, credentials: "same-origin", redirect: "manual" });
  }

  function signedOut(status, data) {
    var code = data && data.code;
    var detail = (data && data.detail) || "";
    return status === 401 || code === "not_authenticated" || code === "authentication_failed" ||
      (status === 403 && /CSRF/i.test(detail));
  }

  function outcome(item, response) {
    // A redirect (opaque here) is the login page answering for an expired session.
    if (response.type === "opaqueredirect") { return { ok: false, auth: true, status: 0, data: null }; }
    return response.text().then(function (text) {
      var data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      var status = response.status;
      var gone = item.method === "DELETE" && status === 404; // removed by an earlier try
      if (response.ok || gone) { return { ok: true, status: status, data: data }; }
      if (signedOut(status, data)) { return { ok: false, auth: true, status: status, data: data }; }
      var retry = status >= 500 || status === 408 || status === 429;
      return { ok: false, retry: retry, status: status, data: data };
    });
  }

  CSX.createQueue = function (options) {
    var storage = options.storage || CSX.memoryStorage();
    var delays = options.delays || [1000, 2000, 4000, 8000, 15000, 30000];
    var notify = options.onChange || function () {};
    var idle = options.onIdle || function () {};
    var busy = false;
    var paused = false;
    var timer = null;

    function wait(item) {
      var ms = delays[Math.min(item.attempts - 1, delays.length - 1)];
      timer = setTimeout(function () { timer = null; busy = false; pump(); }, ms);
    }

    function send(item) {
      return request(item).then(function (r) { return outcome(item, r); }, function () {
        return { ok: false, retry: true, status: 0, data: null };
      }).then(function (result) {
        if (result.auth) {
          paused = true;
          busy = false;
          notify(item, "auth", result);
          return null;
        }
        if (result.retry) {
          item.attempts = (item.attempts || 0) + 1;
          notify(item, "retrying", result);
          return storage.save(item).then(function () {
            if (navigator.onLine === false) { busy = false; } else { wait(item); }
          });
        }
        if (!result.ok) {
          item.held = { status: result.status, data: result.data };
          return storage.save(item).then(function () {
            notify(item, "failed", result);
            busy = false;
            pump();
          });
        }
        return storage.remove(item.id).then(function () {
          notify(item, "saved", result);
          busy = false;
          pump();
        });
      });
    }

    function pump() {
      if (busy || paused) { return; }
      busy = true;
      storage.load().then(function (items) {
        var item = items.find(function (x) { return !x.held; });
        if (!item) { busy = false; idle(items); return null; }
        if (navigator.onLine === false) { busy = false; return null; }
        return send(item);
      }).catch(function () { busy = false; });
    }

    // Back online: no need to sit out the rest of a backoff.
    window.addEventListener("online", function () {
      if (timer) { clearTimeout(timer); timer = null; busy = false; }
      pump();
    });

    return {
      // item: {key, kind, method, url, json | file + fields}; its id is made here once.
      // A held item of the same kind and key is replaced by the new one (a drawing: on the
      // same photo, as its PUT replaces the whole list).
      add: function (item) {
        item.id = item.id || crypto.randomUUID();
        item.attempts = 0;
        return storage.load().then(function (items) {
          var stale = items.filter(function (x) { return x.held && x.key === item.key && x.kind === item.kind && (x.kind === "answer" || x.kind === "submit" || (x.kind === "annotation" && x.url === item.url)); });
          return Promise.all(stale.map(function (x) { return storage.remove(x.id); }));
        }).then(function () {
          return storage.save(item);
        }).then(function () { notify(item, "saving", null); pump(); return item; });
      },
      discard: function (id) { return storage.remove(id).then(function () { pump(); }); },
      pending: function () { return storage.load(); },
      resume: function () { paused = false; pump(); }
    };
  };
}(window.CSX = window.CSX || {}));
