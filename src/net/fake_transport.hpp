#pragma once
// A Transport for native tests: records every request and answers only when the test says so.

#include <map>
#include <utility>
#include <vector>

#include "core/http.hpp"

namespace dg::net {

class FakeTransport final : public Transport {
 public:
  struct Sent {
    Handle handle;
    HttpRequest request;
  };

  Handle send(HttpRequest request, Completion onDone) override {
    const Handle handle = next_++;
    sent.push_back({handle, std::move(request)});
    pending_[handle] = std::move(onDone);
    return handle;
  }
  void abort(Handle handle) override {
    if (pending_.erase(handle)) aborted.push_back(handle);
  }

  Handle after(double delayMs, Callback callback) override {
    const Handle handle = next_++;
    timers_[handle] = std::move(callback);
    delays.push_back(delayMs);
    return handle;
  }
  void cancelTimer(Handle handle) override { timers_.erase(handle); }

  // Runs every pending timer, as if their delays had passed.
  void elapse() {
    auto due = std::move(timers_);
    timers_.clear();
    for (auto& entry : due) entry.second();
  }
  std::size_t pendingTimers() const { return timers_.size(); }

  // Completes the oldest pending request with the given response.
  void answer(HttpResponse response) {
    auto it = pending_.begin();
    if (it == pending_.end()) return;
    Completion onDone = std::move(it->second);
    pending_.erase(it);
    onDone(std::move(response));
  }
  std::size_t pendingCount() const { return pending_.size(); }

  std::vector<Sent> sent;
  std::vector<Handle> aborted;
  std::vector<double> delays;  // every wait asked for, in order

 private:
  Handle next_ = 1;
  std::map<Handle, Completion> pending_;
  std::map<Handle, Callback> timers_;
};

}  // namespace dg::net
