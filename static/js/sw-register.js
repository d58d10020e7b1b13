/* Registers our service worker (offline field mode) and asks it to keep any newly opened
 * assignment: a separate file, since the Content Security Policy forbids inline scripts. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !script.dataset.sw) { return; }
  navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (navigator.onLine && registration.active) { registration.active.postMessage("precache"); }
  }).catch(function () {});
}());
