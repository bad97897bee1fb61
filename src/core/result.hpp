#pragma once
// Every fallible core operation returns a Result: failure is a value with a reason,
// never an exception (the whole project is built with -fno-exceptions).

#include <optional>
#include <string>
#include <utility>

namespace dg {

enum class ErrorCode {
  InvalidSettings,    // the caller's configuration cannot be used (bad URL, unknown style)
  UnsupportedFormat,  // bytes are not an image format the core can decode
  ImageTooLarge,      // file or pixel count past the configured limits
  DecodeFailed,       // recognised format, but the data is corrupt or truncated
  EncodeFailed,
  // The server answered with a non-2xx status (hf-api.md section 4):
  Unauthorized,       // 401: wrong or expired token
  Forbidden,          // 403: token lacks the Inference Providers permission
  PaymentRequired,    // 402: out of credits
  NotFound,           // 404: wrong model or route
  Retired,            // 410: model deprecated, or the legacy host
  RequestTooLarge,    // 413
  Rejected,           // 400 / 422: the input or the model choice was refused
  RateLimited,        // 429, still after backing off
  ModelLoading,       // 503 cold start, still after waiting
  ServerError,        // 500 / 502 / 504 / other 5xx, still after retrying
  Http,               // any other status
  // No answer arrived (status 0):
  Network,            // connection failed or dropped, CORS refused
  Offline,            // the browser knows it has no network: nothing was sent
  Timeout,
  Cancelled,
  MalformedResponse,  // 2xx, but the body is not what any known endpoint shape returns
};

const char* errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::DecodeFailed;
  std::string message;    // plain language, safe to show: never a token, never raw HTML
  int status = 0;         // HTTP status when there was one
  std::string requestId;  // the server's x-request-id, for support requests
};

template <typename T>
class Result {
 public:
  static Result success(T value) { return Result(std::move(value)); }
  static Result failure(Error error) { return Result(std::move(error)); }
  static Result failure(ErrorCode code, std::string message) {
    return Result(Error{code, std::move(message), 0, {}});
  }

  bool ok() const { return value_.has_value(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const Error& error() const { return error_; }

 private:
  explicit Result(T value) : value_(std::move(value)) {}
  explicit Result(Error error) : error_(std::move(error)) {}
  std::optional<T> value_;
  Error error_;
};

}  // namespace dg
