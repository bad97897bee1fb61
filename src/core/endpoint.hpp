#pragma once
// What the player configured for one endpoint, validated before anything is sent.

#include <optional>
#include <string>

#include "core/result.hpp"

namespace dg {

enum class EndpointStyle {
  HfInference,  // router.huggingface.co/hf-inference: raw image bytes in, image bytes out
  CustomJson,   // the lesson's endpoints: {"inputs": base64} in, JSON (base64 string) out
};

struct EndpointConfig {
  EndpointStyle style = EndpointStyle::HfInference;
  std::string url;
  std::string token;  // empty: no Authorization header at all
  int timeoutMs = 60000;
};

// Parses {"style":"hf-inference"|"custom-json","url":"https://...","token":"hf_...","timeoutMs":60000}.
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
