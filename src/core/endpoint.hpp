#pragma once
// What the player configured for one endpoint, validated before anything is sent.

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/retry.hpp"

namespace dg {

enum class EndpointStyle {
  HfInference,   // router.huggingface.co/hf-inference: raw image bytes in, image bytes out
  CustomJson,    // the lesson's endpoints: {"inputs": base64} in, JSON (base64 string) out
  Dedicated,     // an Inference Endpoint on the inference toolkit: asks for PNG bytes with Accept
  Chat,          // captioning by a vision-language model over /v1/chat/completions
  OpenAiImages,  // OpenAI-style /v1/images/generations: {"data": [{"b64_json" | "url"}]}
};

struct EndpointConfig {
  EndpointStyle style = EndpointStyle::HfInference;
  std::string url;
  std::string token;   // empty: no Authorization header at all
  int timeoutMs = 60000;
  std::string model;   // Chat and OpenAiImages name the model in the body
  std::string prompt;  // Chat: the instruction sent with the image
  RetryPolicy retry;
};

// Parses {"style":"hf-inference"|"custom-json"|"dedicated"|"chat"|"openai-images","url":"https://...",
// "token":"hf_...","timeoutMs":60000,"model":"...","prompt":"...","retry":{...}}.
Result<EndpointConfig> parseEndpointConfig(const std::string& json, int defaultTimeoutMs);

// Text-to-image parameters; only the ones the player set are sent.
struct GenerationParameters {
  std::optional<std::string> negativePrompt;
  std::optional<int> steps;
  std::optional<double> guidanceScale;
  std::optional<int> width, height;
  std::optional<long long> seed;
};

// Parses {"negative_prompt":..,"num_inference_steps":..,"guidance_scale":..,"width":..,"height":..,"seed":..}.
Result<GenerationParameters> parseGenerationParameters(const std::string& json);

}  // namespace dg
