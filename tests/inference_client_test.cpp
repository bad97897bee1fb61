#include <catch2/catch.hpp>

#include "core/inference_client.hpp"
#include "net/fake_transport.hpp"

using namespace dg;

namespace {
HttpResponse jsonAnswer(int status, const std::string& body) {
  HttpResponse response;
  response.status = status;
  response.headers = "content-type: application/json\r\nx-request-id: r-1\r\n";
  response.body.assign(body.begin(), body.end());
  return response;
}
const EndpointConfig kEndpoint{EndpointStyle::HfInference, "https://example.test/m", "hf_t", 60000};
const std::vector<std::uint8_t> kJpeg{0xFF, 0xD8, 0xFF, 0xE0};
}  // namespace

TEST_CASE("a caption job sends one request and reports the parsed caption") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  std::optional<Result<Caption>> outcome;
  client.caption(1, kEndpoint, kJpeg, "image/jpeg", [&](Result<Caption> r) { outcome = std::move(r); });
  REQUIRE(transport.sent.size() == 1);
  CHECK(transport.sent[0].request.body == kJpeg);
  CHECK_FALSE(outcome.has_value());  // nothing is reported before the answer arrives
  transport.answer(jsonAnswer(200, R"([{"generated_text":"a dog "}])"));
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->ok());
  CHECK(outcome->value().text == "a dog");
  CHECK(client.runningJobs() == 0);
}

TEST_CASE("an HTTP error reaches the caller with the server's reason") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  std::optional<Result<GeneratedImage>> outcome;
  client.generate(2, kEndpoint, "a dog", {}, [&](Result<GeneratedImage> r) { outcome = std::move(r); });
  transport.answer(jsonAnswer(401, R"({"error":"Invalid credentials in Authorization header"})"));
  REQUIRE(outcome.has_value());
  REQUIRE_FALSE(outcome->ok());
  CHECK(outcome->error().status == 401);
  CHECK_THAT(outcome->error().message, Catch::Contains("Invalid credentials in Authorization header"));
  CHECK(transport.sent.size() == 1);  // a 401 is never retried
}

TEST_CASE("cancel aborts the request and reports Cancelled exactly once") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  int calls = 0;
  std::optional<Error> error;
  client.caption(3, kEndpoint, kJpeg, "image/jpeg", [&](Result<Caption> r) {
    ++calls;
    if (!r.ok()) error = r.error();
  });
  CHECK(client.cancel(3));
  CHECK(transport.aborted.size() == 1);
  CHECK(transport.pendingCount() == 0);
  REQUIRE(error.has_value());
  CHECK(error->code == ErrorCode::Cancelled);
  CHECK_FALSE(client.cancel(3));
  CHECK(calls == 1);
}

TEST_CASE("an empty prompt is refused without a request") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  std::optional<Result<GeneratedImage>> outcome;
  client.generate(4, kEndpoint, "  \n", {}, [&](Result<GeneratedImage> r) { outcome = std::move(r); });
  CHECK(transport.sent.empty());
  REQUIRE(outcome.has_value());
  CHECK_FALSE(outcome->ok());
}

TEST_CASE("a loading model is waited for, with notices, then the answer arrives") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  std::vector<RetryNotice> notices;
  std::optional<Result<Caption>> outcome;
  client.caption(5, kEndpoint, kJpeg, "image/jpeg", [&](Result<Caption> r) { outcome = std::move(r); },
                 [&](const RetryNotice& n) { notices.push_back(n); });
  transport.answer(jsonAnswer(503, R"({"error":"Model is currently loading","estimated_time":20.0})"));
  transport.elapse();
  transport.answer(jsonAnswer(503, R"({"error":"Model is currently loading","estimated_time":20.0})"));
  transport.elapse();
  transport.answer(jsonAnswer(200, R"([{"generated_text":"a cat"}])"));
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->ok());
  CHECK(outcome->value().text == "a cat");
  CHECK(transport.sent.size() == 3);
  REQUIRE(notices.size() == 2);
  CHECK(notices[0].modelLoading);
  CHECK(notices[0].waitMs == 20000);
  CHECK(notices[1].failedAttempt == 2);
  CHECK(transport.delays == std::vector<double>{20000, 20000});
}

TEST_CASE("a 503 forever gives up after the attempt cap with a clear message") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  std::optional<Result<GeneratedImage>> outcome;
  client.generate(6, kEndpoint, "a cat", {}, [&](Result<GeneratedImage> r) { outcome = std::move(r); });
  for (int i = 0; i < 10 && !outcome; ++i) {
    transport.answer(jsonAnswer(503, R"({"error":"Model is currently loading","estimated_time":1})"));
    transport.elapse();
  }
  REQUIRE(outcome.has_value());
  REQUIRE_FALSE(outcome->ok());
  CHECK(outcome->error().code == ErrorCode::ModelLoading);
  CHECK(transport.sent.size() == 5);
  CHECK_THAT(outcome->error().message, Catch::Contains("Gave up after 5 attempts"));
}

TEST_CASE("cancel during a back-off wait stops the retries") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  std::optional<Result<Caption>> outcome;
  client.caption(7, kEndpoint, kJpeg, "image/jpeg", [&](Result<Caption> r) { outcome = std::move(r); });
  transport.answer(jsonAnswer(500, R"({"error":"unknown error"})"));
  CHECK(transport.pendingTimers() == 1);
  CHECK(client.cancel(7));
  CHECK(transport.pendingTimers() == 0);
  transport.elapse();
  CHECK(transport.sent.size() == 1);
  REQUIRE(outcome.has_value());
  CHECK(outcome->error().code == ErrorCode::Cancelled);
}

TEST_CASE("an image behind a URL is downloaded without the token") {
  net::FakeTransport transport;
  InferenceClient client(transport);
  EndpointConfig openai = kEndpoint;
  openai.style = EndpointStyle::OpenAiImages;
  openai.model = "org/model";
  std::optional<Result<GeneratedImage>> outcome;
  client.generate(8, openai, "a cat", {}, [&](Result<GeneratedImage> r) { outcome = std::move(r); });
  transport.answer(jsonAnswer(200, R"({"data":[{"url":"https://cdn.example/image.png"}]})"));
  REQUIRE(transport.sent.size() == 2);
  const HttpRequest& download = transport.sent[1].request;
  CHECK(download.method == "GET");
  CHECK(download.url == "https://cdn.example/image.png");
  CHECK(download.headers.empty());
  HttpResponse png;
  png.status = 200;
  png.body = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
  transport.answer(png);
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->ok());
  CHECK(outcome->value().format == ImageFormat::Png);
}
