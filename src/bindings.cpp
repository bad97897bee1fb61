// The only file that speaks embind: a handful of free functions over the core. Values cross as
// plain objects; bytes are copied once on the way in and once into a fresh Uint8Array on the way
// out, so JS never holds a view of wasm memory that a later memory growth could detach.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "core/endpoint.hpp"
#include "core/inference_client.hpp"
#include "core/prepare.hpp"
#include "net/fetch_transport.hpp"

namespace {

using emscripten::val;

dg::InferenceClient& client() {
  static dg::net::FetchTransport transport;
  static dg::InferenceClient instance(transport);
  return instance;
}

std::vector<std::uint8_t> copyIn(const val& bytes) {
  std::vector<std::uint8_t> out(bytes["length"].as<std::size_t>());
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", bytes);
  return out;
}

val copyOut(const std::vector<std::uint8_t>& bytes) {
  return val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<val>("slice");
}

val errorValue(const dg::Error& error) {
  val out = val::object();
  out.set("code", std::string(dg::errorCodeName(error.code)));
  out.set("message", error.message);
  out.set("status", error.status);
  out.set("requestId", error.requestId);
  return out;
}

val failure(const dg::Error& error) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", errorValue(error));
  return out;
}

val success(const val& value) {
  val out = val::object();
  out.set("ok", true);
  out.set("value", value);
  return out;
}

// {ok, value: {bytes, contentType, width, height, sourceWidth, sourceHeight}}.
val uploadValue(const dg::PreparedUpload& upload) {
  val value = val::object();
  value.set("bytes", copyOut(upload.bytes));
  value.set("contentType", upload.contentType);
  value.set("width", upload.width);
  value.set("height", upload.height);
  value.set("sourceWidth", upload.sourceWidth);
  value.set("sourceHeight", upload.sourceHeight);
  return success(value);
}

// {ok, value: {bytes, contentType, width, height, sourceWidth, sourceHeight}} or {ok: false, error}.
val prepareUpload(const val& fileBytes, const std::string& optionsJson) {
  const auto options = dg::parsePrepareOptions(optionsJson);
  if (!options.ok()) return failure(options.error());
  const std::vector<std::uint8_t> bytes = copyIn(fileBytes);
  const auto prepared = dg::prepareUpload(bytes.data(), bytes.size(), options.value());
  if (!prepared.ok()) return failure(prepared.error());
  return uploadValue(prepared.value());
}

// The same upload from pixels the browser decoded (WebP, AVIF, HEIC, CMYK JPEG): rgba is a
// Uint8Array or Uint8ClampedArray of width*height*4 straight-alpha bytes, already upright.
val preparePixels(const val& rgba, int width, int height, const std::string& optionsJson) {
  const auto options = dg::parsePrepareOptions(optionsJson);
  if (!options.ok()) return failure(options.error());
  const std::uint64_t expected = width > 0 && height > 0 ? static_cast<std::uint64_t>(width) * height * 4 : 0;
  if (expected == 0 || rgba["length"].as<double>() != static_cast<double>(expected)) {
    return failure({dg::ErrorCode::DecodeFailed, "The browser's decoder returned no usable pixels.", 0, {}});
  }
  if (expected / 4 > options.value().limits.maxPixels) {
    // Refused before the copy: the check in the core would come after allocating it.
    return failure({dg::ErrorCode::ImageTooLarge,
                    "The image is " + std::to_string(width) + "\xC3\x97" + std::to_string(height) +
                        " pixels, more than the largest accepted.", 0, {}});
  }
  dg::Image image;
  image.width = width;
  image.height = height;
  image.rgba = copyIn(rgba);
  const auto prepared = dg::preparePixels(std::move(image), options.value());
  if (!prepared.ok()) return failure(prepared.error());
  return uploadValue(prepared.value());
}

// {ok, value: {width, height, rgba}}: a file's upright pixels (generated images coming back).
val decodeImage(const val& fileBytes) {
  const std::vector<std::uint8_t> bytes = copyIn(fileBytes);
  const auto image = dg::decodeUpright(bytes.data(), bytes.size());
  if (!image.ok()) return failure(image.error());
  val value = val::object();
  value.set("width", image.value().width);
  value.set("height", image.value().height);
  value.set("rgba", copyOut(image.value().rgba));
  return success(value);
}

// {name, mimeType, known}: what the leading bytes say a file is, whatever its name or label claims.
val sniffFormat(const val& leadingBytes) {
  const std::vector<std::uint8_t> bytes = copyIn(leadingBytes);
  const dg::ImageFormat format = dg::sniffImageFormat(bytes);
  val value = val::object();
  value.set("name", std::string(dg::formatName(format)));
  value.set("mimeType", std::string(dg::mimeType(format)));
  value.set("known", format != dg::ImageFormat::Unknown);
  return value;
}

// Tells the page about each wait before a retry: {failedAttempt, maxAttempts, waitMs, modelLoading, reason}.
dg::InferenceClient::Notify notifier(val onRetry) {
  return [onRetry](const dg::RetryNotice& notice) {
    val value = val::object();
    value.set("failedAttempt", notice.failedAttempt);
    value.set("maxAttempts", notice.maxAttempts);
    value.set("waitMs", notice.waitMs);
    value.set("modelLoading", notice.modelLoading);
    value.set("reason", notice.reason);
    onRetry(value);
  };
}

// onDone({ok, value: {caption, requestId}} | {ok: false, error}); onRetry as above.
void startCaption(double jobId, const val& image, const std::string& contentType, const std::string& endpointJson,
                  val onDone, val onRetry) {
  const auto endpoint = dg::parseEndpointConfig(endpointJson, 60000);
  if (!endpoint.ok()) return onDone(failure(endpoint.error())), void();
  client().caption(static_cast<dg::InferenceClient::JobId>(jobId), endpoint.value(), copyIn(image), contentType,
                   [onDone](dg::Result<dg::Caption> result) {
                     if (!result.ok()) return onDone(failure(result.error())), void();
                     val value = val::object();
                     value.set("caption", result.value().text);
                     value.set("requestId", result.value().requestId);
                     onDone(success(value));
                   },
                   notifier(onRetry));
}

// onDone({ok, value: {bytes, mimeType, requestId}} | {ok: false, error}); onRetry as above.
void startGeneration(double jobId, const std::string& prompt, const std::string& endpointJson,
                     const std::string& parametersJson, val onDone, val onRetry) {
  const auto endpoint = dg::parseEndpointConfig(endpointJson, 120000);
  if (!endpoint.ok()) return onDone(failure(endpoint.error())), void();
  const auto parameters = dg::parseGenerationParameters(parametersJson);
  if (!parameters.ok()) return onDone(failure(parameters.error())), void();
  client().generate(static_cast<dg::InferenceClient::JobId>(jobId), endpoint.value(), prompt, parameters.value(),
                    [onDone](dg::Result<dg::GeneratedImage> result) {
                      if (!result.ok()) return onDone(failure(result.error())), void();
                      val value = val::object();
                      value.set("bytes", copyOut(result.value().bytes));
                      value.set("mimeType", std::string(dg::mimeType(result.value().format)));
                      value.set("requestId", result.value().requestId);
                      onDone(success(value));
                    },
                    notifier(onRetry));
}

bool cancelJob(double jobId) { return client().cancel(static_cast<dg::InferenceClient::JobId>(jobId)); }

}  // namespace

EMSCRIPTEN_BINDINGS(describe_generate) {
  emscripten::function("prepareUpload", &prepareUpload);
  emscripten::function("preparePixels", &preparePixels);
  emscripten::function("decodeImage", &decodeImage);
  emscripten::function("sniffFormat", &sniffFormat);
  emscripten::function("startCaption", &startCaption);
  emscripten::function("startGeneration", &startGeneration);
  emscripten::function("cancelJob", &cancelJob);
}
