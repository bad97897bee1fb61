// The two functions src/bindings.cpp imports. Each copies its reply out of wasm memory (a later
// memory growth would detach any view of it) and hands it to the worker, which passes onReply and
// onProgress to the module factory.
mergeInto(LibraryManager.library, {
  dg_reply: function (id, json, jsonLength, bytes, bytesLength) {
    Module['onReply'](id, UTF8ToString(json, jsonLength), HEAPU8.slice(bytes, bytes + bytesLength));
  },
  dg_progress: function (id, json, jsonLength) {
    Module['onProgress'](id, UTF8ToString(json, jsonLength));
  },
});
