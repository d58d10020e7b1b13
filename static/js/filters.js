// On a phone the filters fill a screen above the list: fold those other than the search
// away unless one of them is in use. Without this script they simply stay open.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) return;
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (box) {
    var used = Array.prototype.some.call(box.querySelectorAll("select, input"), function (el) {
      return el.type !== "hidden" && el.value !== "";
    });
    if (!used) box.open = false;
  });
})();
