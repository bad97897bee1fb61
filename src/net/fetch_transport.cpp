#include "net/fetch_transport.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/fetch.h>

#include <cstring>
#include <string>
#include <vector>

namespace dg::net {

// Everything a fetch needs to outlive the call that started it: emscripten_fetch keeps raw
// pointers to the URL, the header strings and the body, so they live here until completion.
struct FetchTransport::Context {
  FetchTransport* owner = nullptr;
  Handle handle = 0;
  HttpRequest request;
  std::vector<const char*> headerPointers;  // name, value, ..., nullptr
  Completion onDone;
  emscripten_fetch_t* fetch = nullptr;
  double startedAt = 0;
};

namespace {

// The browser knows when it has no network at all; then nothing is sent and the player is told
// so, instead of waiting for a connection error.
EM_JS(int, browserIsOffline, (), { return typeof navigator !== 'undefined' && navigator.onLine === false ? 1 : 0; });

HttpResponse responseOf(emscripten_fetch_t* fetch, double elapsedMs, int timeoutMs) {
  HttpResponse response;
  response.status = fetch->status;
  if (fetch->data && fetch->numBytes > 0) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(fetch->data);
    response.body.assign(bytes, bytes + fetch->numBytes);
  }
  const size_t headersLength = emscripten_fetch_get_response_headers_length(fetch);
  if (headersLength > 0) {
    std::string headers(headersLength + 1, '\0');
    emscripten_fetch_get_response_headers(fetch, headers.data(), headers.size());
    headers.resize(headersLength);
    response.headers = std::move(headers);
  }
  // Status 0 means no answer arrived: XHR reports network errors, CORS refusals and its own
  // timeout alike, and only the elapsed time tells a timeout apart.
  if (fetch->status == 0 || fetch->readyState != 4) {
    response.status = 0;
    response.failure = timeoutMs > 0 && elapsedMs >= timeoutMs ? TransportFailure::Timeout : TransportFailure::Network;
  }
  return response;
}

}  // namespace

Transport::Handle FetchTransport::send(HttpRequest request, Completion onDone) {
  if (browserIsOffline()) {
    // Completion must never run inside send: report on the next turn of the event loop.
    return after(0, [onDone = std::move(onDone)] {
      HttpResponse offline;
      offline.failure = TransportFailure::Offline;
      onDone(std::move(offline));
    });
  }
  auto* context = new Context;
  context->owner = this;
  context->handle = next_++;
  context->request = std::move(request);
  context->onDone = std::move(onDone);
  for (const auto& [name, value] : context->request.headers) {
    context->headerPointers.push_back(name.c_str());
    context->headerPointers.push_back(value.c_str());
  }
  context->headerPointers.push_back(nullptr);

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, context->request.method.c_str(), sizeof(attr.requestMethod) - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
  attr.requestHeaders = context->headerPointers.data();
  attr.requestData = reinterpret_cast<const char*>(context->request.body.data());
  attr.requestDataSize = context->request.body.size();
  attr.timeoutMSecs = static_cast<unsigned long>(context->request.timeoutMs);
  attr.withCredentials = EM_FALSE;  // never send cookies to an inference endpoint
  attr.userData = context;
  attr.onsuccess = &FetchTransport::onFinished;
  attr.onerror = &FetchTransport::onFinished;

  inFlight_[context->handle] = context;
  context->startedAt = emscripten_get_now();
  context->fetch = emscripten_fetch(&attr, context->request.url.c_str());
  return context->handle;
}

void FetchTransport::onFinished(emscripten_fetch_t* fetch) {
  auto* context = static_cast<Context*>(fetch->userData);
  const double elapsed = emscripten_get_now() - context->startedAt;
  HttpResponse response = responseOf(fetch, elapsed, context->request.timeoutMs);
  Completion onDone = std::move(context->onDone);
  context->owner->inFlight_.erase(context->handle);
  emscripten_fetch_close(fetch);
  delete context;
  onDone(std::move(response));
}

void FetchTransport::abort(Handle handle) {
  const auto it = inFlight_.find(handle);
  // Not a fetch: an offline answer send() scheduled and has not delivered yet. Handles are unique
  // across fetches and timers.
  if (it == inFlight_.end()) return cancelTimer(handle);
  Context* context = it->second;
  inFlight_.erase(it);
  // emscripten_fetch_close on an in-flight fetch aborts the XHR, and would first call onerror
  // for it: detach the handler so the aborted request reports nothing.
  context->fetch->__attributes.onerror = nullptr;
  emscripten_fetch_close(context->fetch);
  delete context;
}

struct FetchTransport::Timer {
  FetchTransport* owner;
  Handle handle;
  Callback callback;
  long timeoutId = 0;
};

Transport::Handle FetchTransport::after(double delayMs, Callback callback) {
  auto* timer = new Timer{this, next_++, std::move(callback)};
  timers_[timer->handle] = timer;
  timer->timeoutId = emscripten_set_timeout(&FetchTransport::onTimer, delayMs, timer);
  return timer->handle;
}

void FetchTransport::onTimer(void* userData) {
  auto* timer = static_cast<Timer*>(userData);
  timer->owner->timers_.erase(timer->handle);
  Callback callback = std::move(timer->callback);
  delete timer;
  callback();
}

void FetchTransport::cancelTimer(Handle handle) {
  const auto it = timers_.find(handle);
  if (it == timers_.end()) return;
  emscripten_clear_timeout(it->second->timeoutId);
  delete it->second;
  timers_.erase(it);
}

}  // namespace dg::net
