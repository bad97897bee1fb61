#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "core/codec.hpp"
#include "core/response.hpp"
#include "test_images.hpp"

using namespace dg;

namespace {
HttpResponse answer(int status, const std::string& body, const std::string& contentType = "application/json") {
  HttpResponse response;
  response.status = status;
  response.headers = "content-type: " + contentType + "\r\nX-Request-Id: req-42\r\n";
  response.body.assign(body.begin(), body.end());
  return response;
}
HttpResponse answer(int status, const std::vector<std::uint8_t>& body, const std::string& contentType) {
  HttpResponse response = answer(status, std::string(), contentType);
  response.body = body;
  return response;
}
const std::vector<std::uint8_t> kPng = encodePng(test::quadrants(8, 6)).value();
}  // namespace

TEST_CASE("headers are found whatever their case") {
  CHECK(headerValue("Content-Type: a\r\nx-request-id:  r1 \r\n", "X-Request-ID") == "r1");
  CHECK(headerValue("content-type: a", "x-request-id").empty());
}

TEST_CASE("chat captions are read from choices[0].message.content, string or parts") {
  const auto text = parseCaptionResponse(answer(200, R"({"choices":[{"message":{"content":" a red card "}}]})"));
  REQUIRE(text.ok());
  CHECK(text.value().text == "a red card");
  const auto parts = parseCaptionResponse(
      answer(200, R"({"choices":[{"message":{"content":[{"type":"text","text":"a red "},{"type":"text","text":"card"}]}}]})"));
  REQUIRE(parts.ok());
  CHECK(parts.value().text == "a red card");
  const auto none = parseCaptionResponse(answer(200, R"({"choices":[{"message":{"content":null}}]})"));
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::MalformedResponse);
}

TEST_CASE("an OpenAI-style URL answer asks for a follow-up download") {
  const auto image = parseGenerationResponse(answer(200, R"({"data":[{"url":"https://cdn.example/x.png"}]})"));
  REQUIRE(image.ok());
  CHECK(image.value().bytes.empty());
  CHECK(image.value().followUrl == "https://cdn.example/x.png");
}

TEST_CASE("every caption shape is understood, trailing space trimmed") {
  const char* bodies[] = {
      R"([{"generated_text":"a cat on a couch "}])",
      R"({"generated_text":"a cat on a couch"})",
      R"([{"generated_text":"a cat on a couch"},{"generated_text":"second"}])",
      R"([{"generated_text":"a cat on a couch","warnings":["w"]}])",
      R"("a cat on a couch")",
  };
  for (const char* body : bodies) {
    INFO(body);
    const auto caption = parseCaptionResponse(answer(200, body, "application/json; charset=utf-8"));
    REQUIRE(caption.ok());
    CHECK(caption.value().text == "a cat on a couch");
    CHECK(caption.value().requestId == "req-42");
  }
  const auto unicode = parseCaptionResponse(answer(200, "[{\"generated_text\":\"a caf\\u00e9 \xE2\x98\x95\"}]"));
  REQUIRE(unicode.ok());
  CHECK(unicode.value().text == "a caf\xC3\xA9 \xE2\x98\x95");
}

TEST_CASE("a 2xx that is not a caption is a malformed response, never raw HTML") {
  const auto html = parseCaptionResponse(answer(200, "<!DOCTYPE html><html><body>hi</body></html>", "text/html"));
  REQUIRE_FALSE(html.ok());
  CHECK(html.error().code == ErrorCode::MalformedResponse);
  CHECK(html.error().message.find("<") == std::string::npos);
  CHECK(html.error().requestId == "req-42");
  CHECK_FALSE(parseCaptionResponse(answer(200, R"([{"generated_te)")).ok());
  CHECK_FALSE(parseCaptionResponse(answer(200, "[]")).ok());
  CHECK_FALSE(parseCaptionResponse(answer(200, R"([{"generated_text":"  "}])")).ok());
}

TEST_CASE("generated images are recognised by content, whatever the label says") {
  SECTION("PNG bytes labelled image/jpeg") {
    const auto image = parseGenerationResponse(answer(200, kPng, "image/jpeg"));
    REQUIRE(image.ok());
    CHECK(image.value().format == ImageFormat::Png);
    CHECK(image.value().bytes == kPng);
  }
  SECTION("a JSON base64 string, with and without a data URI prefix") {
    for (const std::string prefix : {"", "data:image/png;base64,"}) {
      const auto image = parseGenerationResponse(answer(200, "\"" + prefix + base64Encode(kPng) + "\""));
      REQUIRE(image.ok());
      CHECK(image.value().format == ImageFormat::Png);
      CHECK(image.value().bytes == kPng);
    }
  }
  SECTION("OpenAI style b64_json") {
    const auto image = parseGenerationResponse(answer(200, R"({"data":[{"b64_json":")" + base64Encode(kPng) + "\"}]}"));
    REQUIRE(image.ok());
    CHECK(image.value().bytes == kPng);
  }
  SECTION("text that is not an image") {
    const auto text = parseGenerationResponse(answer(200, "\"aGVsbG8=\""));
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().code == ErrorCode::MalformedResponse);
    const auto html = parseGenerationResponse(answer(200, "<html><title>Oops</title></html>", "text/html"));
    REQUIRE_FALSE(html.ok());
    CHECK_THAT(html.error().message, Catch::Contains("an HTML page"));
  }
}

TEST_CASE("error reasons are taken from every body shape servers use") {
  CHECK(extractErrorMessage(R"({"error":"Invalid credentials in Authorization header"})", "application/json") ==
        "Invalid credentials in Authorization header");
  CHECK(extractErrorMessage(R"({"error":["msg1","msg2"]})", "") == "msg1; msg2");
  CHECK(extractErrorMessage(R"({"error":{"message":"bad model","type":"invalid_request_error"}})", "") == "bad model");
  CHECK(extractErrorMessage(R"({"detail":"nope"})", "") == "nope");
  CHECK(extractErrorMessage(R"({"detail":[{"msg":"field required","loc":["body"]},{"msg":"x"}]})", "") ==
        "field required; x");
  CHECK(extractErrorMessage(R"({"message":"m"})", "") == "m");
  CHECK(extractErrorMessage(R"({"title":"Unprocessable","status":422})", "application/problem+json") == "Unprocessable");
  CHECK(extractErrorMessage("Not Found", "text/plain") == "Not Found");
  CHECK(extractErrorMessage("", "text/plain").empty());
  CHECK(extractErrorMessage("<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>",
                            "text/html") == "502 Bad Gateway");
  CHECK(extractErrorMessage(std::string(1000, 'x'), "text/plain").size() < 310);
}

TEST_CASE("a non-2xx answer becomes an error with status, reason and request id") {
  const auto caption = parseCaptionResponse(answer(401, R"({"error":"Invalid credentials in Authorization header"})"));
  REQUIRE_FALSE(caption.ok());
  CHECK(caption.error().code == ErrorCode::Unauthorized);
  CHECK(caption.error().status == 401);
  CHECK_THAT(caption.error().message, Catch::Contains("Invalid credentials in Authorization header"));
  CHECK(caption.error().requestId == "req-42");

  const auto empty = parseGenerationResponse(answer(503, ""));
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == ErrorCode::ModelLoading);
}
