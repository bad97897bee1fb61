// Emscripten 3.1.6 frees a fetch without aborting its XHR: emscripten_fetch_close on an in-flight
// request only forgets it, so the connection stays open and a late answer writes into freed
// memory. Newer Emscripten aborts here; this brings that behaviour to the version Debian ships.
mergeInto(LibraryManager.library, {
  _emscripten_fetch_free__deps: ['$Fetch'],
  _emscripten_fetch_free: function (id) {
    var xhr = Fetch.xhrs[id - 1];
    if (xhr) {
      xhr.onload = xhr.onerror = xhr.ontimeout = xhr.onprogress = xhr.onreadystatechange = null;
      xhr.abort();
    }
    delete Fetch.xhrs[id - 1];
  },
});
