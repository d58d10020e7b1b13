/* Registers our service worker (offline field mode) and asks it to keep any newly opened
 * assignment, and on a checklist (main[data-offline-inspection]) that inspection's photo
 * thumbnails: a separate file, since the Content Security Policy forbids inline scripts. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !script.dataset.sw) { return; }
  navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (!navigator.onLine || !registration.active) { return; }
    var opened = document.querySelector("[data-offline-inspection]");
    registration.active.postMessage(opened ? { precache: true, inspection: opened.dataset.offlineInspection } : "precache");
  }).catch(function () {});
}());
