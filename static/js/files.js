/* File fields with our own buttons (templates/web/_file_field.html): the names of the chosen
 * files are written under the buttons, since the hidden input no longer shows them. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    var field = input.closest && input.closest("[data-file-field]");
    if (!field || input.type !== "file") { return; }
    var names = [];
    field.querySelectorAll("input[type=file]").forEach(function (one) {
      Array.prototype.forEach.call(one.files || [], function (file) { names.push(file.name); });
    });
    var out = field.querySelector("[data-file-names]");
    out.textContent = names.length ? names.join(", ") : "";
  });
}());
