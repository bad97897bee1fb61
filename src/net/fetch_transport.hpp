#pragma once
// Transport over emscripten_fetch (XHR underneath). Browser only.

#include <map>

#include "core/http.hpp"

struct emscripten_fetch_t;

namespace dg::net {

class FetchTransport final : public Transport {
 public:
  Handle send(HttpRequest request, Completion onDone) override;
  void abort(Handle handle) override;
  Handle after(double delayMs, Callback callback) override;
  void cancelTimer(Handle handle) override;

 private:
  struct Context;
  static void onFinished(emscripten_fetch_t* fetch);
  Handle next_ = 1;
  std::map<Handle, Context*> inFlight_;
  struct Timer;
  static void onTimer(void* timer);
  std::map<Handle, Timer*> timers_;
};

}  // namespace dg::net
