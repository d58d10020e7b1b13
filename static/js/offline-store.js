/* The queue's storage in IndexedDB, so answers and photos (as blobs) outlive a reload, a
 * closed tab or a dead battery: the same load/save/remove interface as CSX.memoryStorage.
 * One database for the phone; each item carries its scope (the inspection's API URL) and a
 * sequence number that keeps the order the inspector made things in. When IndexedDB cannot
 * be opened (private mode, an old browser) the queue falls back to memory. */
(function (CSX) {
  "use strict";
  var DB = "csx-offline";
  var STORE = "queue";
  var opened = null;

  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var request = indexedDB.open(DB, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id" }).createIndex("scope", "scope");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
        request.onblocked = function () { reject(new Error("blocked")); };
      });
    }
    return opened;
  }

  function done(tx, value) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(value); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  CSX.indexedStorage = function (scope) {
    var fallback = null;
    var seq = Date.now() * 1000;

    function use(work, inMemory) {
      if (fallback) { return inMemory(fallback); }
      return open().then(work, function () {
        fallback = fallback || CSX.memoryStorage();
        return inMemory(fallback);
      });
    }

    return {
      persistent: function () { return open().then(function () { return true; }, function () { return false; }); },
      load: function () {
        return use(function (db) {
          var tx = db.transaction(STORE, "readonly");
          var got = tx.objectStore(STORE).index("scope").getAll(scope);
          return done(tx).then(function () {
            return got.result.sort(function (a, b) { return a.seq - b.seq; });
          });
        }, function (m) { return m.load(); });
      },
      save: function (item) {
        item.scope = scope;
        item.seq = item.seq || (seq += 1);
        return use(function (db) {
          var tx = db.transaction(STORE, "readwrite");
          tx.objectStore(STORE).put(item);
          return done(tx);
        }, function (m) { return m.save(item); });
      },
      remove: function (id) {
        return use(function (db) {
          var tx = db.transaction(STORE, "readwrite");
          tx.objectStore(STORE).delete(id);
          return done(tx);
        }, function (m) { return m.remove(id); });
      }
    };
  };

  // Asks the browser not to evict what waits to be sent; says how full the phone is.
  CSX.storageHealth = function () {
    var storage = navigator.storage;
    if (!storage || !storage.persist || !storage.estimate) { return Promise.resolve({ persisted: false, nearlyFull: false }); }
    return storage.persisted().then(function (already) {
      return already || storage.persist();
    }).then(function (persisted) {
      return storage.estimate().then(function (e) {
        var nearlyFull = e.quota ? e.usage / e.quota > 0.9 : false;
        return { persisted: persisted, nearlyFull: nearlyFull };
      });
    }).catch(function () { return { persisted: false, nearlyFull: false }; });
  };

  // After a sync, the copy of this page kept for offline use is refreshed (if one is kept).
  CSX.refreshKeptPage = function (path) {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      var name = keys.filter(function (k) { return k.indexOf("csx-") === 0; }).pop();
      if (!name) { return null; }
      return caches.open(name).then(function (cache) {
        return cache.match(path).then(function (kept) {
          if (!kept) { return null; }
          return fetch(path, { credentials: "same-origin" }).then(function (r) {
            if (r.ok && !r.redirected) { return cache.put(path, r); }
            return cache.delete(path);
          });
        });
      });
    }).catch(function () { return null; });
  };
}(window.CSX = window.CSX || {}));
