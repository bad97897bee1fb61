#include <catch2/catch.hpp>

#include "core/retry.hpp"

using namespace dg;

namespace {
HttpResponse answer(int status, const std::string& body = "") {
  HttpResponse response;
  response.status = status;
  response.body.assign(body.begin(), body.end());
  return response;
}
HttpResponse noAnswer(TransportFailure failure) {
  HttpResponse response;
  response.failure = failure;
  return response;
}
}  // namespace

TEST_CASE("only transient failures are retried") {
  for (int status : {429, 500, 502, 503, 504}) CHECK(isRetryable(answer(status)));
  for (int status : {400, 401, 402, 403, 404, 410, 413, 422, 200}) CHECK_FALSE(isRetryable(answer(status)));
  CHECK(isRetryable(noAnswer(TransportFailure::Network)));
  CHECK_FALSE(isRetryable(noAnswer(TransportFailure::Timeout)));
  CHECK_FALSE(isRetryable(noAnswer(TransportFailure::Offline)));
}

TEST_CASE("back-off doubles from the base delay and stops at the attempt cap") {
  const RetryPolicy policy;  // 5 attempts, 1 s base
  const auto busy = answer(502);
  CHECK(nextRetryDelayMs(policy, 1, busy, 0) == 1000);
  CHECK(nextRetryDelayMs(policy, 2, busy, 1000) == 2000);
  CHECK(nextRetryDelayMs(policy, 4, busy, 7000) == 8000);
  CHECK_FALSE(nextRetryDelayMs(policy, 5, busy, 15000).has_value());
  CHECK_FALSE(nextRetryDelayMs(policy, 1, answer(401), 0).has_value());
}

TEST_CASE("a loading model's estimate is the wait, capped") {
  const RetryPolicy policy;
  const auto loading = answer(503, R"({"error":"Model x is currently loading","estimated_time":20.0})");
  CHECK(estimatedWaitMs(loading) == 20000.0);
  CHECK(nextRetryDelayMs(policy, 1, loading, 0) == 20000);
  const auto slow = answer(503, R"({"error":"loading","estimated_time":600})");
  CHECK(nextRetryDelayMs(policy, 1, slow, 0) == policy.maxDelayMs);
  CHECK_FALSE(estimatedWaitMs(answer(503, "")).has_value());
  CHECK(nextRetryDelayMs(policy, 1, answer(503, ""), 0) == 1000);  // scaling from zero: plain back-off
}

TEST_CASE("a 503 forever stops within the total wait budget") {
  RetryPolicy policy;
  policy.maxAttempts = 10;
  const auto loading = answer(503, R"({"estimated_time":30})");
  double waited = 0;
  int attempts = 1;
  while (auto delay = nextRetryDelayMs(policy, attempts, loading, waited)) {
    waited += *delay;
    ++attempts;
  }
  CHECK(waited <= policy.maxTotalWaitMs);
  CHECK(attempts < 10);
}

TEST_CASE("delays scale down for tests without changing the decisions") {
  RetryPolicy policy;
  policy.delayScale = 0.001;
  CHECK(nextRetryDelayMs(policy, 3, answer(500), 0) == Approx(4.0));
  CHECK_FALSE(nextRetryDelayMs(policy, 5, answer(500), 0).has_value());
}

TEST_CASE("retry settings are validated") {
  CHECK(parseRetryPolicy(R"({"maxAttempts":3,"delayScale":0.01})").value().maxAttempts == 3);
  CHECK_FALSE(parseRetryPolicy(R"({"maxAttempts":0})").ok());
  CHECK_FALSE(parseRetryPolicy(R"({"delayScale":2})").ok());
  CHECK_FALSE(parseRetryPolicy("[]").ok());
}
