#include <catch2/catch.hpp>

#include "core/endpoint.hpp"

using namespace dg;

TEST_CASE("endpoint settings are read with defaults") {
  const auto config = parseEndpointConfig(R"({"url":"https://router.huggingface.co/hf-inference/models/x"})", 60000);
  REQUIRE(config.ok());
  CHECK(config.value().style == EndpointStyle::HfInference);
  CHECK(config.value().token.empty());
  CHECK(config.value().timeoutMs == 60000);

  const auto custom = parseEndpointConfig(
      R"({"style":"custom-json","url":" http://127.0.0.1:9/x ","token":"hf_abc\n","timeoutMs":5000})", 60000);
  REQUIRE(custom.ok());
  CHECK(custom.value().style == EndpointStyle::CustomJson);
  CHECK(custom.value().url == "http://127.0.0.1:9/x");
  CHECK(custom.value().token == "hf_abc");  // a pasted newline is not part of the token
  CHECK(custom.value().timeoutMs == 5000);
}

TEST_CASE("unusable endpoint settings are refused before anything is sent") {
  CHECK_FALSE(parseEndpointConfig("{}", 1000).ok());
  CHECK_FALSE(parseEndpointConfig(R"({"url":"ftp://x"})", 1000).ok());
  CHECK_FALSE(parseEndpointConfig(R"({"url":"https://"})", 1000).ok());
  CHECK_FALSE(parseEndpointConfig(R"({"url":"https://a b"})", 1000).ok());
  CHECK_FALSE(parseEndpointConfig(R"({"url":"https://x","style":"grpc"})", 1000).ok());
  CHECK_FALSE(parseEndpointConfig(R"({"url":"https://x","timeoutMs":10})", 1000).ok());
  const auto badToken = parseEndpointConfig(R"({"url":"https://x","token":"hf_a b"})", 1000);
  REQUIRE_FALSE(badToken.ok());
  CHECK(badToken.error().code == ErrorCode::InvalidSettings);
  CHECK(badToken.error().message.find("hf_a") == std::string::npos);  // the token is never echoed
}

TEST_CASE("generation parameters keep only what was set, validated") {
  const auto none = parseGenerationParameters("{}");
  REQUIRE(none.ok());
  CHECK_FALSE(none.value().steps.has_value());
  CHECK_FALSE(none.value().negativePrompt.has_value());

  const auto some = parseGenerationParameters(
      R"({"num_inference_steps":4,"guidance_scale":0,"width":512,"height":768,"seed":42,"negative_prompt":""})");
  REQUIRE(some.ok());
  CHECK(some.value().steps == 4);
  CHECK(some.value().guidanceScale == 0.0);
  CHECK(some.value().width == 512);
  CHECK(some.value().height == 768);
  CHECK(some.value().seed == 42);
  CHECK_FALSE(some.value().negativePrompt.has_value());  // empty means unset

  CHECK_FALSE(parseGenerationParameters(R"({"num_inference_steps":0})").ok());
  CHECK_FALSE(parseGenerationParameters(R"({"width":10})").ok());
  CHECK_FALSE(parseGenerationParameters(R"({"seed":-1})").ok());
  CHECK_FALSE(parseGenerationParameters(R"({"guidance_scale":"high"})").ok());
}

TEST_CASE("chat and OpenAI-style endpoints need a model; chat gets a default prompt") {
  CHECK_FALSE(parseEndpointConfig(R"({"url":"https://x/v1/chat/completions","style":"chat"})", 1000).ok());
  const auto chat = parseEndpointConfig(R"({"url":"https://x/v1/chat/completions","style":"chat","model":"Qwen/Qwen2.5-VL-3B-Instruct"})", 1000);
  REQUIRE(chat.ok());
  CHECK(chat.value().style == EndpointStyle::Chat);
  CHECK(chat.value().prompt == "Describe this image in one sentence.");
  const auto openai = parseEndpointConfig(R"({"url":"https://x/v1/images/generations","style":"openai-images","model":"m"})", 1000);
  REQUIRE(openai.ok());
  CHECK(openai.value().style == EndpointStyle::OpenAiImages);
  CHECK(parseEndpointConfig(R"({"url":"https://x","style":"dedicated"})", 1000).value().style == EndpointStyle::Dedicated);
}

TEST_CASE("retry settings travel with the endpoint") {
  const auto config = parseEndpointConfig(R"({"url":"https://x","retry":{"maxAttempts":2,"delayScale":0.01}})", 1000);
  REQUIRE(config.ok());
  CHECK(config.value().retry.maxAttempts == 2);
  CHECK(config.value().retry.delayScale == Approx(0.01));
  CHECK_FALSE(parseEndpointConfig(R"({"url":"https://x","retry":{"maxAttempts":50}})", 1000).ok());
}
