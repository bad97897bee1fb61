#include "core/retry.hpp"

#include <algorithm>
#include <cmath>

#include "core/json.hpp"
#include "core/text.hpp"

namespace dg {

Result<RetryPolicy> parseRetryPolicy(const std::string& text) {
  RetryPolicy policy;
  if (text.empty()) return Result<RetryPolicy>::success(policy);
  return parseRetryPolicy(parseJson(text).value_or(Json()));
}

Result<RetryPolicy> parseRetryPolicy(const Json& values) {
  RetryPolicy policy;
  if (!values.isObject()) return Result<RetryPolicy>::failure(ErrorCode::InvalidSettings, "Retry settings must be a JSON object.");
  auto read = [&](const char* key, double low, double high, double& target) {
    const Json* setting = values.find(key);
    if (!setting) return true;
    if (!numberIn(*setting, low, high)) return false;
    target = setting->number();
    return true;
  };
  double attempts = policy.maxAttempts;
  const bool valid = read("maxAttempts", 1, 10, attempts) && read("baseDelayMs", 0, 60000, policy.baseDelayMs) &&
                     read("maxDelayMs", 0, 300000, policy.maxDelayMs) &&
                     read("maxTotalWaitMs", 0, 3600000, policy.maxTotalWaitMs) &&
                     read("delayScale", 0, 1, policy.delayScale);
  if (!valid) return Result<RetryPolicy>::failure(ErrorCode::InvalidSettings, "A retry setting is out of range.");
  policy.maxAttempts = static_cast<int>(attempts);
  return Result<RetryPolicy>::success(policy);
}

bool isRetryable(const HttpResponse& response) {
  switch (response.status) {
    case 0: return response.failure == TransportFailure::Network;
    case 429:
    case 500:
    case 502:
    case 503:
    case 504: return true;
    default: return false;
  }
}

std::optional<double> estimatedWaitMs(const HttpResponse& response) {
  if (response.status != 503) return std::nullopt;
  const auto body = parseJson(asText(response.body));
  const Json* estimate = body ? body->find("estimated_time") : nullptr;
  if (!estimate || !estimate->isNumber() || estimate->number() < 0) return std::nullopt;
  return estimate->number() * 1000.0;
}

std::optional<double> nextRetryDelayMs(const RetryPolicy& policy, int attemptsMade, const HttpResponse& response,
                                       double waitedMs) {
  if (!isRetryable(response) || attemptsMade >= policy.maxAttempts) return std::nullopt;
  const double backoff = policy.baseDelayMs * std::pow(2.0, attemptsMade - 1);
  const double wanted = estimatedWaitMs(response).value_or(backoff);
  const double delay = std::min(wanted, policy.maxDelayMs) * policy.delayScale;
  if (waitedMs + delay > policy.maxTotalWaitMs * policy.delayScale) return std::nullopt;
  return delay;
}

}  // namespace dg
