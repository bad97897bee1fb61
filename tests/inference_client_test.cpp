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
  CHECK(outcome->error().message == "Invalid credentials in Authorization header");
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
