#include "core/endpoint.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "core/text.hpp"

namespace dg {
namespace {

bool isHttpUrl(const std::string& url) {
  const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  if (!scheme) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F) return false;  // the browser would reject or re-encode it
  }
  const auto hostStart = url.find("://") + 3;
  return hostStart < url.size() && url[hostStart] != '/';
}

// A header value with a control or non-ASCII character would make the browser throw
// before sending; say why instead.
bool isHeaderSafe(const std::string& token) {
  for (unsigned char c : token) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

template <typename T>
Result<T> invalid(const std::string& message) {
  return Result<T>::failure(ErrorCode::InvalidSettings, message);
}

}  // namespace

Result<EndpointConfig> parseEndpointConfig(const std::string& text, int defaultTimeoutMs) {
  const Json settings = parseJson(text).value_or(Json());
  if (!settings.isObject()) return invalid<EndpointConfig>("Endpoint settings must be a JSON object.");
  EndpointConfig config;
  config.timeoutMs = defaultTimeoutMs;

  static const std::pair<const char*, EndpointStyle> kStyles[] = {
      {"hf-inference", EndpointStyle::HfInference}, {"custom-json", EndpointStyle::CustomJson},
      {"dedicated", EndpointStyle::Dedicated},      {"chat", EndpointStyle::Chat},
      {"openai-images", EndpointStyle::OpenAiImages},
  };
  const Json* styleField = settings.find("style");
  const std::string style = styleField && styleField->isString() ? styleField->string() : "hf-inference";
  const auto known = std::find_if(std::begin(kStyles), std::end(kStyles), [&](auto& s) { return style == s.first; });
  if (known == std::end(kStyles)) return invalid<EndpointConfig>("Unknown endpoint style \"" + style + "\".");
  config.style = known->second;

  for (auto [key, target] : {std::pair{"model", &config.model}, std::pair{"prompt", &config.prompt}}) {
    if (const Json* field = settings.find(key); field && field->isString()) *target = trim(field->string());
  }
  const bool needsModel = config.style == EndpointStyle::Chat || config.style == EndpointStyle::OpenAiImages;
  if (needsModel && config.model.empty()) {
    return invalid<EndpointConfig>("This endpoint style needs a model name, such as Qwen/Qwen2.5-VL-3B-Instruct.");
  }
  if (config.style == EndpointStyle::Chat && config.prompt.empty()) config.prompt = "Describe this image in one sentence.";

  if (const Json* retry = settings.find("retry")) {
    auto policy = parseRetryPolicy(*retry);
    if (!policy.ok()) return Result<EndpointConfig>::failure(policy.error());
    config.retry = policy.value();
  }

  const Json* url = settings.find("url");
  if (!url || !url->isString()) return invalid<EndpointConfig>("The endpoint URL is missing.");
  config.url = trim(url->string());
  if (!isHttpUrl(config.url)) {
    return invalid<EndpointConfig>("The endpoint URL must start with https:// (or http://) and contain no spaces.");
  }

  if (const Json* token = settings.find("token"); token && token->isString()) {
    config.token = trim(token->string());  // pasted tokens often carry a newline
    if (!isHeaderSafe(config.token)) {
      return invalid<EndpointConfig>("The Hugging Face token contains spaces or characters a token never has.");
    }
  }

  if (const Json* timeout = settings.find("timeoutMs")) {
    if (!numberIn(*timeout, 1000, 3'600'000)) {
      return invalid<EndpointConfig>("The timeout must be between 1 second and 1 hour.");
    }
    config.timeoutMs = static_cast<int>(timeout->number());
  }
  return Result<EndpointConfig>::success(std::move(config));
}

Result<GenerationParameters> parseGenerationParameters(const std::string& text) {
  GenerationParameters parameters;
  if (text.empty()) return Result<GenerationParameters>::success(parameters);
  const Json values = parseJson(text).value_or(Json());
  if (!values.isObject()) return invalid<GenerationParameters>("Generation parameters must be a JSON object.");

  auto integerIn = [&](const char* key, long long low, long long high, auto& target) -> bool {
    const Json* field = values.find(key);
    if (!field || field->isNull()) return true;
    if (!field->isInteger() || !numberIn(*field, low, high)) return false;
    target = static_cast<typename std::decay_t<decltype(target)>::value_type>(field->number());
    return true;
  };
  if (!integerIn("num_inference_steps", 1, 200, parameters.steps)) {
    return invalid<GenerationParameters>("Steps must be a whole number from 1 to 200.");
  }
  if (!integerIn("width", 64, 2048, parameters.width) || !integerIn("height", 64, 2048, parameters.height)) {
    return invalid<GenerationParameters>("Width and height must be whole numbers from 64 to 2048.");
  }
  if (!integerIn("seed", 0, 4294967295LL, parameters.seed)) {
    return invalid<GenerationParameters>("The seed must be a whole number from 0 to 4294967295.");
  }
  if (const Json* guidance = values.find("guidance_scale"); guidance && !guidance->isNull()) {
    if (!numberIn(*guidance, 0, 50)) {
      return invalid<GenerationParameters>("Guidance scale must be a number from 0 to 50.");
    }
    parameters.guidanceScale = guidance->number();
  }
  if (const Json* negative = values.find("negative_prompt"); negative && !negative->isNull()) {
    if (!negative->isString()) return invalid<GenerationParameters>("The negative prompt must be text.");
    if (!negative->string().empty()) parameters.negativePrompt = negative->string();
  }
  return Result<GenerationParameters>::success(std::move(parameters));
}

}  // namespace dg
