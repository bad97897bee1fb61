#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/base64.hpp"
#include "core/request.hpp"

using namespace dg;
using nlohmann::json;

namespace {
std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}
json bodyJson(const HttpRequest& request) {
  return json::parse(std::string(request.body.begin(), request.body.end()), nullptr, false);
}
EndpointConfig endpoint(EndpointStyle style, std::string token = "hf_secret") {
  return EndpointConfig{style, "https://example.test/models/m", std::move(token), 1234};
}
const std::vector<std::uint8_t> kJpeg{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3};
}  // namespace

TEST_CASE("hf-inference captioning sends the raw image with its Content-Type") {
  const HttpRequest request = buildCaptionRequest(endpoint(EndpointStyle::HfInference), kJpeg, "image/jpeg");
  CHECK(request.method == "POST");
  CHECK(request.url == "https://example.test/models/m");
  CHECK(request.timeoutMs == 1234);
  CHECK(header(request, "Authorization") == "Bearer hf_secret");
  CHECK(header(request, "Content-Type") == "image/jpeg");
  CHECK(request.body == kJpeg);
}

TEST_CASE("custom JSON captioning sends the image as base64 inputs, as the lesson did") {
  const HttpRequest request = buildCaptionRequest(endpoint(EndpointStyle::CustomJson), kJpeg, "image/jpeg");
  CHECK(header(request, "Content-Type") == "application/json");
  const json body = bodyJson(request);
  REQUIRE(body.is_object());
  CHECK(body.size() == 1);
  CHECK(base64Decode(body["inputs"].get<std::string>()) == std::optional<std::vector<std::uint8_t>>(kJpeg));
}

TEST_CASE("no token means no Authorization header at all") {
  const HttpRequest request = buildCaptionRequest(endpoint(EndpointStyle::HfInference, ""), kJpeg, "image/png");
  CHECK(header(request, "Authorization") == "<absent>");
  CHECK(header(request, "Content-Type") == "image/png");
}

TEST_CASE("generation sends the prompt and only the parameters that were set") {
  GenerationParameters parameters;
  const HttpRequest plain = buildGenerationRequest(endpoint(EndpointStyle::HfInference), "a \"quoted\" cat", parameters);
  CHECK(header(plain, "Content-Type") == "application/json");
  CHECK(bodyJson(plain) == json{{"inputs", "a \"quoted\" cat"}});

  parameters.seed = 7;
  parameters.width = 512;
  const HttpRequest withParameters = buildGenerationRequest(endpoint(EndpointStyle::CustomJson), "cat", parameters);
  CHECK(bodyJson(withParameters) == json{{"inputs", "cat"}, {"parameters", {{"seed", 7}, {"width", 512}}}});
}

TEST_CASE("chat captioning sends the image as a data URL with the configured model and prompt") {
  EndpointConfig chat = endpoint(EndpointStyle::Chat);
  chat.model = "Qwen/Qwen2.5-VL-3B-Instruct";
  chat.prompt = "Describe this image in one sentence.";
  const json body = bodyJson(buildCaptionRequest(chat, kJpeg, "image/jpeg"));
  CHECK(body["model"] == "Qwen/Qwen2.5-VL-3B-Instruct");
  CHECK(body["stream"] == false);
  const json& content = body["messages"][0]["content"];
  CHECK(content[0]["text"] == "Describe this image in one sentence.");
  CHECK(content[1]["image_url"]["url"] == "data:image/jpeg;base64," + base64Encode(kJpeg));
}

TEST_CASE("dedicated endpoints are asked for PNG bytes; OpenAI-style asks for b64_json") {
  const HttpRequest dedicated = buildGenerationRequest(endpoint(EndpointStyle::Dedicated), "cat", {});
  CHECK(header(dedicated, "Accept") == "image/png");

  EndpointConfig openai = endpoint(EndpointStyle::OpenAiImages);
  openai.model = "black-forest-labs/FLUX.1-schnell";
  GenerationParameters size;
  size.width = 512;
  size.height = 512;
  CHECK(bodyJson(buildGenerationRequest(openai, "cat", size)) ==
        json{{"prompt", "cat"}, {"model", "black-forest-labs/FLUX.1-schnell"}, {"response_format", "b64_json"}, {"size", "512x512"}});
}
