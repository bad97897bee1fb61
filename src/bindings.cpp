// The only file the worker calls into: plain C functions over the core, with no binding library
// (embind did the same for about 6 KB more to download, gzipped). The contract:
// - In: bytes go into the input buffer (dg_input, or dg_input_pixels for decoded pixels), which
//   the next call reads or takes; settings arrive as NUL-terminated UTF-8 JSON strings.
// - Out: every operation answers its request id exactly once through dg_reply (src/bindings.js)
//   with a JSON text {ok, value} or {ok: false, error: {code, message, status, requestId}}, plus at
//   most one byte buffer, which JS copies before the call returns. Synchronous operations reply
//   before they return; caption and generation reply when the job ends, and report each wait
//   before a retry through dg_progress. dg_input_pixels replies only when it refuses.
// The worker makes one call at a time, so one input buffer is enough.

#include <emscripten/emscripten.h>

#include <cmath>
#include <string>
#include <utility>

#include "core/endpoint.hpp"
#include "core/inference_client.hpp"
#include "core/json.hpp"
#include "core/prepare.hpp"
#include "net/fetch_transport.hpp"

extern "C" {
// Implemented in src/bindings.js.
void dg_reply(double id, const char* json, std::size_t jsonLength, const std::uint8_t* bytes, std::size_t bytesLength);
void dg_progress(double id, const char* json, std::size_t jsonLength);
}

namespace {

std::vector<std::uint8_t> input;

// What the pixels dg_input_pixels made room for are, until dg_prepare_pixels uses them.
struct PendingPixels {
  int width = 0, height = 0;
  int sourceWidth = 0, sourceHeight = 0;
  dg::PrepareOptions options;
};
PendingPixels pendingPixels;

dg::InferenceClient& client() {
  static dg::net::FetchTransport transport;
  static dg::InferenceClient instance(transport);
  return instance;
}

using dg::JsonWriter;

// A flat reply object: object().field(...).field(...), closed by reply().
JsonWriter object() {
  JsonWriter writer;
  writer.beginObject();
  return writer;
}

void reply(double id, JsonWriter& value, const std::vector<std::uint8_t>& bytes = {}) {
  const std::string body = object().field("ok", true).field("value", value.endObject()).endObject().text();
  dg_reply(id, body.data(), body.size(), bytes.data(), bytes.size());
}

void replyError(double id, const dg::Error& error) {
  const std::string body = object()
                               .field("ok", false)
                               .field("error", object()
                                                   .field("code", dg::errorCodeName(error.code))
                                                   .field("message", error.message)
                                                   .field("status", error.status)
                                                   .field("requestId", error.requestId)
                                                   .endObject())
                               .endObject()
                               .text();
  dg_reply(id, body.data(), body.size(), nullptr, 0);
}

// Bytes: the upload, encoded. Value: {contentType, width, height, sourceWidth, sourceHeight}.
void replyUpload(double id, const dg::Result<dg::PreparedUpload>& prepared) {
  if (!prepared.ok()) return replyError(id, prepared.error());
  const dg::PreparedUpload& upload = prepared.value();
  reply(id,
        object()
            .field("contentType", upload.contentType)
            .field("width", upload.width)
            .field("height", upload.height)
            .field("sourceWidth", upload.sourceWidth)
            .field("sourceHeight", upload.sourceHeight),
        upload.bytes);
}

// Tells the page about each wait before a retry: {failedAttempt, maxAttempts, waitMs, modelLoading, reason}.
dg::InferenceClient::Notify notifier(double id) {
  return [id](const dg::RetryNotice& notice) {
    const std::string body = object()
                                 .field("failedAttempt", notice.failedAttempt)
                                 .field("maxAttempts", notice.maxAttempts)
                                 .field("waitMs", static_cast<int>(std::lround(notice.waitMs)))  // at most maxDelayMs
                                 .field("modelLoading", notice.modelLoading)
                                 .field("reason", notice.reason)
                                 .endObject()
                                 .text();
    dg_progress(id, body.data(), body.size());
  };
}

}  // namespace

extern "C" {

// Room for `size` bytes of a file, filled by JS before the next call.
EMSCRIPTEN_KEEPALIVE std::uint8_t* dg_input(std::size_t size) {
  input.assign(size, 0);
  return input.data();
}

// Room for width*height straight-alpha RGBA pixels the browser decoded (AVIF, HEIC, CMYK JPEG,
// animated WebP), already upright: the picture's full sourceWidth*sourceHeight, or that reduced to
// no less than the upload, for dg_prepare_pixels to use with these options. Checked before
// allocating: on a refusal it replies the error and returns null.
EMSCRIPTEN_KEEPALIVE std::uint8_t* dg_input_pixels(double id, int width, int height, int sourceWidth, int sourceHeight,
                                                   const char* optionsJson) {
  const auto options = dg::parsePrepareOptions(optionsJson);
  if (!options.ok()) return replyError(id, options.error()), nullptr;
  if (const auto refusal = dg::handedOverPixelsError(width, height, sourceWidth, sourceHeight, options.value())) {
    return replyError(id, *refusal), nullptr;
  }
  pendingPixels = {width, height, sourceWidth, sourceHeight, options.value()};
  return dg_input(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
}

// The input file as an upload (see replyUpload); options as parsePrepareOptions reads them.
EMSCRIPTEN_KEEPALIVE void dg_prepare_upload(double id, const char* optionsJson) {
  const auto options = dg::parsePrepareOptions(optionsJson);
  if (!options.ok()) return replyError(id, options.error());
  replyUpload(id, dg::prepareUpload(input.data(), input.size(), options.value()));
}

// The pixels placed by dg_input_pixels as an upload, exactly as dg_prepare_upload would make it.
EMSCRIPTEN_KEEPALIVE void dg_prepare_pixels(double id) {
  dg::Image image;
  image.width = pendingPixels.width;
  image.height = pendingPixels.height;
  image.rgba = std::exchange(input, {});
  replyUpload(id, dg::preparePixels(std::move(image), pendingPixels.sourceWidth, pendingPixels.sourceHeight,
                                    pendingPixels.options));
}

// The input file's upright pixels (generated images coming back). Bytes: RGBA. Value: {width, height}.
EMSCRIPTEN_KEEPALIVE void dg_decode_image(double id) {
  const auto image = dg::decodeUpright(input.data(), input.size());
  if (!image.ok()) return replyError(id, image.error());
  reply(id, object().field("width", image.value().width).field("height", image.value().height), image.value().rgba);
}

// What the input's leading bytes say it is, whatever its name or label claims: {name, mimeType, known}.
EMSCRIPTEN_KEEPALIVE void dg_sniff_format(double id) {
  const dg::ImageFormat format = dg::sniffImageFormat(input);
  reply(id, object()
                .field("name", dg::formatName(format))
                .field("mimeType", dg::mimeType(format))
                .field("known", format != dg::ImageFormat::Unknown));
}

// Captions the input (an upload of the given content type). Value: {caption, requestId}.
EMSCRIPTEN_KEEPALIVE void dg_start_caption(double id, const char* contentType, const char* endpointJson) {
  const auto endpoint = dg::parseEndpointConfig(endpointJson, 60000);
  if (!endpoint.ok()) return replyError(id, endpoint.error());
  client().caption(static_cast<dg::InferenceClient::JobId>(id), endpoint.value(), std::exchange(input, {}),
                   contentType,
                   [id](dg::Result<dg::Caption> result) {
                     if (!result.ok()) return replyError(id, result.error());
                     reply(id, object().field("caption", result.value().text).field("requestId", result.value().requestId));
                   },
                   notifier(id));
}

// Paints the prompt. Bytes: the image file. Value: {mimeType, requestId}.
EMSCRIPTEN_KEEPALIVE void dg_start_generation(double id, const char* prompt, const char* endpointJson,
                                              const char* parametersJson) {
  const auto endpoint = dg::parseEndpointConfig(endpointJson, 120000);
  if (!endpoint.ok()) return replyError(id, endpoint.error());
  const auto parameters = dg::parseGenerationParameters(parametersJson);
  if (!parameters.ok()) return replyError(id, parameters.error());
  client().generate(static_cast<dg::InferenceClient::JobId>(id), endpoint.value(), prompt, parameters.value(),
                    [id](dg::Result<dg::GeneratedImage> result) {
                      if (!result.ok()) return replyError(id, result.error());
                      reply(id,
                            object()
                                .field("mimeType", dg::mimeType(result.value().format))
                                .field("requestId", result.value().requestId),
                            result.value().bytes);
                    },
                    notifier(id));
}

// Cancels a running caption or generation, which then replies a Cancelled error. Value: {cancelled}.
EMSCRIPTEN_KEEPALIVE void dg_cancel_job(double id, double targetId) {
  const bool cancelled = client().cancel(static_cast<dg::InferenceClient::JobId>(targetId));
  reply(id, object().field("cancelled", cancelled));
}

}  // extern "C"
