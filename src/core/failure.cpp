#include "core/failure.hpp"

#include "core/response.hpp"
#include "core/text.hpp"

namespace dg {
namespace {

constexpr const char* kLegacyHost = "api-inference.huggingface.co";
constexpr const char* kRouterBase = "https://router.huggingface.co/hf-inference/models/";

// "https://host/models/org/name" -> the router's address of "org/name" ("<model>" when the URL
// names none).
std::string routerAddressFor(const std::string& url) {
  const auto models = url.find("/models/");
  return kRouterBase + (models == std::string::npos ? std::string("<model>") : url.substr(models + 8));
}

bool isLegacyHost(const std::string& url) { return url.find(kLegacyHost) != std::string::npos; }

std::string withReason(std::string message, const std::string& reason) {
  if (!reason.empty()) message += " The server said: \xE2\x80\x9C" + reason + "\xE2\x80\x9D";
  return message;
}

Error transportFailure(const HttpResponse& response, const std::string& url) {
  Error error;
  switch (response.failure) {
    case TransportFailure::Offline:
      error.code = ErrorCode::Offline;
      error.message = "You are offline. Describing and generating need a connection; your image and caption are kept.";
      return error;
    case TransportFailure::Timeout:
      error.code = ErrorCode::Timeout;
      error.message = "The endpoint did not answer in time. Try again, or allow a longer timeout in Settings.";
      return error;
    default:
      break;
  }
  error.code = ErrorCode::Network;
  if (isLegacyHost(url)) {
    error.message = "The old api-inference.huggingface.co address is retired and refuses browsers. Use " +
                    routerAddressFor(url) + " instead.";
  } else {
    error.message =
        "The endpoint could not be reached. Check the connection and the URL; the server may also refuse "
        "requests from web pages (CORS), or have dropped the connection.";
  }
  return error;
}

}  // namespace

Error describeFailure(const HttpResponse& response, const std::string& url) {
  if (response.status == 0) return transportFailure(response, url);

  Error error;
  error.status = response.status;
  error.requestId = headerValue(response.headers, "x-request-id");
  const std::string reason = extractErrorMessage(
      {reinterpret_cast<const char*>(response.body.data()), response.body.size()},
      headerValue(response.headers, "content-type"));

  auto set = [&](ErrorCode code, const std::string& message) {
    error.code = code;
    error.message = withReason(message, reason);
  };
  switch (response.status) {
    case 400:
      if (containsIgnoringCase(reason, "not supported by provider")) {
        set(ErrorCode::Rejected, "This model is not served by this provider. Choose another model.");
      } else {
        set(ErrorCode::Rejected, "The endpoint rejected the request.");
      }
      break;
    case 401:
      set(ErrorCode::Unauthorized, "The Hugging Face token was not accepted. Check the token in Settings.");
      break;
    case 402:
      set(ErrorCode::PaymentRequired,
          "This account has run out of inference credits. Add credits on huggingface.co or use another endpoint.");
      break;
    case 403:
      set(ErrorCode::Forbidden,
          "The token is not allowed to call this model. Create a token with the \xE2\x80\x9CMake calls to "
          "Inference Providers\xE2\x80\x9D permission.");
      break;
    case 404:
      set(ErrorCode::NotFound, "No model was found at this address. Check the endpoint URL or choose another model.");
      break;
    case 410:
      if (containsIgnoringCase(reason, "router.huggingface.co") || isLegacyHost(url)) {
        set(ErrorCode::Retired, "This address is retired. Use the router: " + routerAddressFor(url) + ".");
      } else {
        set(ErrorCode::Retired, "This model has been retired by the provider. Choose another model.");
      }
      break;
    case 413:
      set(ErrorCode::RequestTooLarge,
          "The upload is too large for this endpoint. Choose a smaller \xE2\x80\x9CLongest side\xE2\x80\x9D in Settings.");
      break;
    case 422:
      set(ErrorCode::Rejected, "The endpoint could not use this input.");
      break;
    case 429:
      set(ErrorCode::RateLimited, "Too many requests: the rate limit was reached. Wait a few minutes and try again.");
      break;
    case 503:
      set(ErrorCode::ModelLoading, "The model is not ready yet (it is loading or scaling up). Try again in a minute.");
      break;
    default:
      if (response.status >= 500) {
        set(ErrorCode::ServerError, "The server had a problem (HTTP " + std::to_string(response.status) + ").");
      } else {
        set(ErrorCode::Http, "The endpoint answered HTTP " + std::to_string(response.status) + ".");
      }
  }
  return error;
}

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidSettings: return "invalid_settings";
    case ErrorCode::UnsupportedFormat: return "unsupported_format";
    case ErrorCode::ImageTooLarge: return "image_too_large";
    case ErrorCode::DecodeFailed: return "decode_failed";
    case ErrorCode::EncodeFailed: return "encode_failed";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Forbidden: return "forbidden";
    case ErrorCode::PaymentRequired: return "payment_required";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Retired: return "retired";
    case ErrorCode::RequestTooLarge: return "request_too_large";
    case ErrorCode::Rejected: return "rejected";
    case ErrorCode::RateLimited: return "rate_limited";
    case ErrorCode::ModelLoading: return "model_loading";
    case ErrorCode::ServerError: return "server_error";
    case ErrorCode::Http: return "http";
    case ErrorCode::Network: return "network";
    case ErrorCode::Offline: return "offline";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::MalformedResponse: return "malformed_response";
  }
  return "unknown";
}

}  // namespace dg
