#pragma once
// When to try again, and how long to wait first. Pure: the client supplies the clock.

#include <optional>
#include <string>

#include "core/http.hpp"
#include "core/json.hpp"
#include "core/result.hpp"

namespace dg {

struct RetryPolicy {
  int maxAttempts = 5;             // including the first; the official client's unbounded 503 loop is the anti-model
  double baseDelayMs = 1000;       // doubles with every attempt
  double maxDelayMs = 30000;       // also caps a 503's estimated_time
  double maxTotalWaitMs = 120000;  // no job waits longer than this in total between attempts
  double delayScale = 1.0;         // shrinks every wait, so tests never sleep for real minutes
};

// Reads {"maxAttempts":5,"baseDelayMs":1000,"maxDelayMs":30000,"maxTotalWaitMs":120000,"delayScale":1}.
Result<RetryPolicy> parseRetryPolicy(const std::string& json);
Result<RetryPolicy> parseRetryPolicy(const Json& values);  // the same object, already parsed

// 500, 502, 503, 504, 429 and dropped connections are worth another attempt; nothing else is
// (a timeout already waited its full budget, and offline sends nothing).
bool isRetryable(const HttpResponse& response);

// A loading model's own estimate, from {"estimated_time": seconds} on a 503; nullopt otherwise.
std::optional<double> estimatedWaitMs(const HttpResponse& response);

// The wait before the next attempt after `attemptsMade` attempts have failed, the last one with
// `response`; nullopt to give up. `waitedMs` is the total already waited by this job.
std::optional<double> nextRetryDelayMs(const RetryPolicy& policy, int attemptsMade, const HttpResponse& response,
                                       double waitedMs);

}  // namespace dg
