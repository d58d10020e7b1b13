/* Công Sở Xanh's service worker, served at /sw.js (root scope) with its version filled in.
 * Precaches what /offline/manifest.json lists for the signed-in inspector: "Việc của tôi",
 * the checklist of each open inspection and the static files; an inspection's photo
 * thumbnails only once its checklist is opened (the page asks with its id), never every
 * inspection's on the first visit.
 * Pages: network first, the cached copy refreshed on every visit, served when the network
 * fails. Static files and thumbnails: cache first. The API is never touched here: the page's
 * queue (IndexedDB) owns every write. */
"use strict";
var PREFIX = "csx-";
var CACHE = PREFIX + "__CACHE_VERSION__";
var MANIFEST = "/offline/manifest.json";
var THUMBNAIL = /^\/api\/v1\/photos\/[^/]+\/thumbnail\/$/;

function isPage(path) {
  return path.indexOf("/static/") !== 0 && !THUMBNAIL.test(path);
}

// Fetches what is missing from the cache, and forgets pages no longer listed (submitted
// inspections, closed rounds): nothing stale is served for them. Strict when installing: a
// new version that could not fetch everything (the signal went) does not install, so the
// old version and its complete cache stay in charge.
function precache(strict, inspection) {
  var url = inspection ? MANIFEST + "?inspection=" + encodeURIComponent(inspection) : MANIFEST;
  return fetch(url, { credentials: "same-origin", cache: "no-store" })
    .then(function (r) {
      if (r.ok) { return r.json(); }
      if (strict) { throw new Error("manifest " + r.status); }
      return null;
    })
    .then(function (manifest) {
      if (!manifest) { return null; }
      var wanted = manifest.pages.concat(manifest.static, manifest.thumbnails);
      var listed = {};
      wanted.forEach(function (u) { listed[new URL(u, self.location.origin).pathname] = true; });
      return caches.open(CACHE).then(function (cache) {
        return cache.keys().then(function (requests) {
          var have = {};
          var drops = requests.filter(function (req) {
            var path = new URL(req.url).pathname;
            have[path] = true;
            return isPage(path) && !listed[path];
          }).map(function (req) { return cache.delete(req); });
          // One at a time: gentle on a weak signal and on the server.
          var missing = wanted.filter(function (u) { return !have[new URL(u, self.location.origin).pathname]; });
          return Promise.all(drops).then(function () {
            return missing.reduce(function (chain, u) {
              return chain.then(function () {
                return fetch(u, { credentials: "same-origin" }).then(function (r) {
                  if (r.ok && !r.redirected) { return cache.put(u, r); }
                  throw new Error(u + " " + r.status);
                }).catch(function (error) {
                  // A thumbnail may go with its photo meanwhile; a page or script may not.
                  if (strict && manifest.thumbnails.indexOf(u) < 0) { throw error; }
                  return null;
                });
              });
            }, Promise.resolve());
          });
        });
      });
    }).catch(function (error) { if (strict) { throw error; } return null; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache(true).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data === "precache") { event.waitUntil(precache(false)); }
  // The checklist opened: the pages, and this inspection's thumbnails.
  if (data.precache && typeof data.inspection === "string") { event.waitUntil(precache(false, data.inspection)); }
});

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      if (hit) { return hit; }
      return fetch(request).then(function (r) {
        if (r.ok) { cache.put(request, r.clone()); }
        return r;
      });
    });
  });
}

// A page already kept (an open assignment) is refreshed by each visit; others are not kept.
function networkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (r) {
      return cache.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (kept) {
        if (kept && r.ok && !r.redirected) { return cache.put(request.url.split("?")[0], r.clone()).then(function () { return r; }); }
        if (kept && r.redirected) { return cache.delete(request, { ignoreSearch: true, ignoreVary: true }).then(function () { return r; }); }
        return r;
      });
    }, function () {
      return cache.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (kept) {
        return kept || cache.match("/", { ignoreVary: true }).then(function (home) { return home || Response.error(); });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0 || THUMBNAIL.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  }
});
