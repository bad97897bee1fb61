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

 private:
  Handle next_ = 1;
  std::map<Handle, Completion> pending_;
};

}  // namespace dg::net
