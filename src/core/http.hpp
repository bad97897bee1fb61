#pragma once
// Plain HTTP values and the transport interface the core talks to. The browser implementation
// lives in src/net/fetch_transport.cpp, the test double in src/net/fake_transport.hpp.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dg {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::uint8_t> body;
  int timeoutMs = 0;
};

// Why no HTTP status arrived (status 0).
enum class TransportFailure { None, Network, Timeout, Offline };

struct HttpResponse {
  int status = 0;
  std::string headers;  // raw "name: value\r\n" lines, only those the browser lets us read
  std::vector<std::uint8_t> body;
  TransportFailure failure = TransportFailure::None;
};

// Case-insensitive lookup in raw header lines; empty when absent.
std::string headerValue(std::string_view rawHeaders, std::string_view name);

class Transport {
 public:
  using Handle = std::uint64_t;
  using Completion = std::function<void(HttpResponse)>;
  using Callback = std::function<void()>;

  virtual ~Transport() = default;
  // Starts the request. onDone runs exactly once, later (never inside send), unless aborted.
  virtual Handle send(HttpRequest request, Completion onDone) = 0;
  // Cancels an in-flight request for real (the connection is closed); onDone will not run.
  virtual void abort(Handle handle) = 0;
  // Runs callback once after delayMs (retry back-off), unless cancelled first.
  virtual Handle after(double delayMs, Callback callback) = 0;
  virtual void cancelTimer(Handle handle) = 0;
};

}  // namespace dg
