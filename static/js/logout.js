/* Signing out asks the browser to forget this site's storage (a shared phone), the offline
 * queue included: when answers or photos still wait to be sent, say so and sign out only on
 * confirmation. A separate file (the Content Security Policy forbids inline scripts); without
 * JavaScript the form is a plain sign-out. The queue is offline-store.js's IndexedDB store. */
(function () {
  "use strict";
  var DB = "csx-offline";
  var STORE = "queue";

  // How many items wait in the queue; 0 when there is no queue (the database is not created).
  function waiting() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(0); return; }
      var request;
      try { request = indexedDB.open(DB); } catch (e) { resolve(0); return; }
      request.onupgradeneeded = function () { request.transaction.abort(); };
      request.onerror = request.onblocked = function () { resolve(0); };
      request.onsuccess = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) { db.close(); resolve(0); return; }
        var counted = db.transaction(STORE, "readonly").objectStore(STORE).count();
        counted.onsuccess = function () { db.close(); resolve(counted.result); };
        counted.onerror = function () { db.close(); resolve(0); };
      };
    });
  }

  function guard(form) {
    var checked = false;
    form.addEventListener("submit", function (event) {
      if (checked) { return; }
      event.preventDefault();
      waiting().then(function (count) {
        if (count > 0 && !window.confirm(form.dataset.unsent.replace("{count}", String(count)))) {
          return;
        }
        checked = true;
        form.submit();
      });
    });
  }

  var forms = document.querySelectorAll("form[data-unsent]");
  for (var i = 0; i < forms.length; i += 1) { guard(forms[i]); }
}());
