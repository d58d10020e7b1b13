/* A simple photo viewer: any a[data-view] (a thumbnail linking to its larger image) opens in the
 * page's <dialog data-viewer> with its caption and capture time; previous and next go through
 * every thumbnail of the page in order (buttons, ← and →), Escape or "Đóng" closes and gives
 * focus back to the thumbnail. Without this file, or without <dialog>, the link opens the image. */
(function () {
  "use strict";
  var dialog = document.querySelector("[data-viewer]");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var img = dialog.querySelector("[data-viewer-img]");
  var caption = dialog.querySelector("[data-viewer-caption]");
  var time = dialog.querySelector("[data-viewer-time]");
  var count = dialog.querySelector("[data-viewer-count]");
  var prev = dialog.querySelector("[data-viewer-prev]");
  var next = dialog.querySelector("[data-viewer-next]");
  var links = [];
  var at = 0;
  var opener = null;

  function show(i) {
    at = (i + links.length) % links.length;
    var link = links[at];
    var thumb = link.querySelector("img");
    var text = link.dataset.caption || (thumb && thumb.alt) || "";
    // Offline, the larger image may not be kept on the phone: the thumbnail stands in.
    img.onerror = function () { img.onerror = null; if (thumb) { img.src = thumb.src; } };
    img.src = link.dataset.full || link.href;
    img.alt = text;
    caption.textContent = text;
    time.textContent = link.dataset.time || "";
    count.textContent = count.dataset.tCount.replace("{i}", at + 1).replace("{n}", links.length);
    prev.hidden = next.hidden = links.length < 2;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-view]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    links = Array.prototype.slice.call(document.querySelectorAll("a[data-view]"));
    opener = link;
    show(links.indexOf(link));
    dialog.showModal();
  });

  prev.addEventListener("click", function () { show(at - 1); });
  next.addEventListener("click", function () { show(at + 1); });
  dialog.querySelector("[data-viewer-close]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(at - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(at + 1); event.preventDefault(); }
  });
  // A click on the backdrop (outside the figure and buttons) closes too.
  dialog.addEventListener("click", function (event) { if (event.target === dialog) { dialog.close(); } });
  dialog.addEventListener("close", function () {
    img.removeAttribute("src");
    if (opener && document.contains(opener)) { opener.focus(); }
  });
}());
