#include "core/inference_client.hpp"

#include "core/request.hpp"

namespace dg {

template <typename T>
void InferenceClient::start(JobId job, HttpRequest request, Result<T> (*parse)(const HttpResponse&), Done<T> done) {
  cancel(job);  // a reused id replaces the old job rather than leaking it
  Job& entry = jobs_[job];
  entry.fail = [done](Error error) { done(Result<T>::failure(std::move(error))); };
  entry.request = transport_.send(std::move(request), [this, job, parse, done](HttpResponse response) {
    jobs_.erase(job);
    done(parse(response));
  });
}

void InferenceClient::caption(JobId job, const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
                              const std::string& contentType, Done<Caption> done) {
  start<Caption>(job, buildCaptionRequest(endpoint, image, contentType), &parseCaptionResponse, std::move(done));
}

void InferenceClient::generate(JobId job, const EndpointConfig& endpoint, const std::string& prompt,
                               const GenerationParameters& parameters, Done<GeneratedImage> done) {
  if (prompt.find_first_not_of(" \t\r\n") == std::string::npos) {
    done(Result<GeneratedImage>::failure(ErrorCode::InvalidSettings, "Write or generate a caption first: it is the prompt."));
    return;
  }
  start<GeneratedImage>(job, buildGenerationRequest(endpoint, prompt, parameters), &parseGenerationResponse,
                        std::move(done));
}

bool InferenceClient::cancel(JobId job) {
  const auto it = jobs_.find(job);
  if (it == jobs_.end()) return false;
  Job cancelled = std::move(it->second);
  jobs_.erase(it);
  transport_.abort(cancelled.request);
  cancelled.fail(Error{ErrorCode::Cancelled, "Cancelled.", 0, {}});
  return true;
}

}  // namespace dg
