/* An ordered queue of API calls: sent one at a time, in order, retried with backoff.
 * Each item carries a client id made once (crypto.randomUUID), so a retry of a photo POST
 * returns the photo already stored and an answer PUT simply says the same thing again:
 * nothing is ever recorded twice.
 *
 * Storage interface (in memory now; an IndexedDB store with the same three methods gives
 * offline mode without touching the checklist): load() -> Promise<item[]> in order,
 * save(item) -> Promise (adds or replaces by id), remove(id) -> Promise.
 * Items hold only structured-cloneable data (strings, plain objects, File).
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
    return fetch(item.url, { method: item.method, headers: headers, body: body, credentials: "same-origin" });
  }

  // ok: done; retry: the server did not answer or asks to wait; otherwise refused for good.
  function outcome(item, response) {
    return response.text().then(function (text) {
      var data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      var status = response.status;
      var gone = item.method === "DELETE" && status === 404; // removed by an earlier try
      if (response.ok || gone) { return { ok: true, status: status, data: data }; }
      var retry = status >= 500 || status === 401 || status === 408 || status === 429;
      return { ok: false, retry: retry, status: status, data: data };
    });
  }

  CSX.createQueue = function (options) {
    var storage = options.storage || CSX.memoryStorage();
    var delays = options.delays || [1000, 2000, 4000, 8000, 15000, 30000];
    var notify = options.onChange || function () {};
    var idle = options.onIdle || function () {};
    var busy = false;

    function pump() {
      if (busy) { return; }
      busy = true;
      storage.load().then(function (items) {
        if (!items.length) { busy = false; idle(); return; }
        var item = items[0];
        request(item).then(function (r) { return outcome(item, r); }, function () {
          return { ok: false, retry: true, status: 0, data: null };
        }).then(function (result) {
          if (result.retry) {
            item.attempts = (item.attempts || 0) + 1;
            var wait = delays[Math.min(item.attempts - 1, delays.length - 1)];
            notify(item, "retrying", result);
            return storage.save(item).then(function () {
              setTimeout(function () { busy = false; pump(); }, wait);
            });
          }
          return storage.remove(item.id).then(function () {
            notify(item, result.ok ? "saved" : "failed", result);
            busy = false;
            pump();
          });
        });
      });
    }

    return {
      // item: {key, kind, method, url, json | file + fields}; its id is made here once.
      add: function (item) {
        item.id = item.id || crypto.randomUUID();
        item.attempts = 0;
        return storage.save(item).then(function () { notify(item, "saving", null); pump(); return item; });
      },
      pending: function () { return storage.load(); },
      resume: pump
    };
  };
}(window.CSX = window.CSX || {}));
