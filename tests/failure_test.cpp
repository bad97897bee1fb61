#include <catch2/catch.hpp>

#include "core/failure.hpp"

using namespace dg;

namespace {
HttpResponse answer(int status, const std::string& body, const std::string& contentType = "application/json") {
  HttpResponse response;
  response.status = status;
  response.headers = "content-type: " + contentType + "\r\nx-request-id: req-7\r\n";
  response.body.assign(body.begin(), body.end());
  return response;
}
const std::string kRouter = "https://router.huggingface.co/hf-inference/models/org/model";
}  // namespace

TEST_CASE("each refusal gets its own code, a next step, the server's reason and the request id") {
  struct Case {
    int status;
    std::string body, contentType;
    ErrorCode code;
    std::string advice;
  };
  const Case cases[] = {
      {401, R"({"error":"Invalid credentials in Authorization header"})", "application/json", ErrorCode::Unauthorized, "Check the token"},
      {403, R"({"error":"does not have sufficient permissions to call Inference Providers"})", "application/json", ErrorCode::Forbidden, "Inference Providers"},
      {402, "You have exceeded your monthly included credits", "text/plain", ErrorCode::PaymentRequired, "credits"},
      {404, R"({"error":"Model x/y does not exist"})", "application/json", ErrorCode::NotFound, "Check the endpoint URL"},
      {404, "Not Found", "text/plain", ErrorCode::NotFound, "Not Found"},
      {400, R"({"error":"Model x is not supported by provider hf-inference."})", "application/json", ErrorCode::Rejected, "Choose another model"},
      {400, R"({"error":["msg1","msg2"]})", "application/json", ErrorCode::Rejected, "msg1; msg2"},
      {410, R"({"error":"The requested model is deprecated and no longer supported by provider hf-inference"})", "application/json", ErrorCode::Retired, "Choose another model"},
      {413, "Failed to buffer the request body: length limit exceeded", "text/plain", ErrorCode::RequestTooLarge, "Longest side"},
      {422, R"({"detail":[{"msg":"field required"}]})", "application/json", ErrorCode::Rejected, "field required"},
      {429, R"({"error":"Rate limit reached."})", "application/json", ErrorCode::RateLimited, "Wait"},
      {502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html", ErrorCode::ServerError, "502"},
  };
  for (const Case& c : cases) {
    INFO(c.status << " " << c.body);
    const Error error = describeFailure(answer(c.status, c.body, c.contentType), kRouter);
    CHECK(error.code == c.code);
    CHECK(error.status == c.status);
    CHECK(error.requestId == "req-7");
    CHECK_THAT(error.message, Catch::Contains(c.advice));
    CHECK(error.message.find('<') == std::string::npos);  // never raw HTML
  }
}

TEST_CASE("the retired legacy host is named, with the router address to use instead") {
  const std::string legacy = "https://api-inference.huggingface.co/models/Salesforce/blip-image-captioning-base";
  HttpResponse refused;  // the legacy host refuses even the CORS preflight: the browser sees status 0
  refused.failure = TransportFailure::Network;
  const Error network = describeFailure(refused, legacy);
  CHECK(network.code == ErrorCode::Network);
  CHECK_THAT(network.message,
             Catch::Contains("https://router.huggingface.co/hf-inference/models/Salesforce/blip-image-captioning-base"));

  const Error gone = describeFailure(answer(410, "This API is no longer supported, use router.huggingface.co", "text/plain"), legacy);
  CHECK(gone.code == ErrorCode::Retired);
  CHECK_THAT(gone.message, Catch::Contains("router.huggingface.co/hf-inference/models/Salesforce"));
}

TEST_CASE("a retired-address answer from another host names the model from its URL") {
  const Error gone = describeFailure(answer(410, "This API is no longer supported, use router.huggingface.co", "text/plain"),
                                     "http://127.0.0.1:9/legacy-text/models/org/old-model");
  CHECK_THAT(gone.message, Catch::Contains("https://router.huggingface.co/hf-inference/models/org/old-model."));
}

TEST_CASE("no answer at all is told apart: offline, timeout, network") {
  HttpResponse none;
  none.failure = TransportFailure::Offline;
  CHECK(describeFailure(none, kRouter).code == ErrorCode::Offline);
  none.failure = TransportFailure::Timeout;
  CHECK(describeFailure(none, kRouter).code == ErrorCode::Timeout);
  none.failure = TransportFailure::Network;
  const Error network = describeFailure(none, kRouter);
  CHECK(network.code == ErrorCode::Network);
  CHECK_THAT(network.message, Catch::Contains("CORS"));
}

TEST_CASE("error codes have stable names for the page") {
  CHECK(std::string(errorCodeName(ErrorCode::RateLimited)) == "rate_limited");
  CHECK(std::string(errorCodeName(ErrorCode::Cancelled)) == "cancelled");
}
