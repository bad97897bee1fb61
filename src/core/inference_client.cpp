#include "core/inference_client.hpp"

#include "core/failure.hpp"
#include "core/request.hpp"
#include "core/retry.hpp"
#include "core/text.hpp"

namespace dg {

void InferenceClient::caption(JobId id, const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
                              const std::string& contentType, Done<Caption> done, Notify notify) {
  Job job;
  job.request = buildCaptionRequest(endpoint, image, contentType);
  job.policy = endpoint.retry;
  job.notify = std::move(notify);
  job.fail = [done](Error error) { done(Result<Caption>::failure(std::move(error))); };
  job.succeed = [this, id, done](HttpResponse response) {
    take(id);
    done(parseCaptionResponse(response));
  };
  start(id, std::move(job));
}

void InferenceClient::generate(JobId id, const EndpointConfig& endpoint, const std::string& prompt,
                               const GenerationParameters& parameters, Done<GeneratedImage> done, Notify notify) {
  if (trim(prompt).empty()) {
    done(Result<GeneratedImage>::failure(ErrorCode::InvalidSettings, "Write or generate a caption first: it is the prompt."));
    return;
  }
  Job job;
  job.request = buildGenerationRequest(endpoint, prompt, parameters);
  job.policy = endpoint.retry;
  job.notify = std::move(notify);
  job.fail = [done](Error error) { done(Result<GeneratedImage>::failure(std::move(error))); };
  job.succeed = [this, id, done](HttpResponse response) { finishGeneration(id, response, done); };
  start(id, std::move(job));
}

void InferenceClient::finishGeneration(JobId id, const HttpResponse& response, const Done<GeneratedImage>& done) {
  auto result = parseGenerationResponse(response);
  Job& job = jobs_.at(id);
  if (result.ok() && !result.value().followUrl.empty() && !job.followedUrl) {
    // The image lives at a provider URL: fetch it as a fresh exchange, without the token,
    // since that host is not the endpoint the player configured.
    HttpRequest download;
    download.method = "GET";
    download.url = result.value().followUrl;
    download.timeoutMs = job.request.timeoutMs;
    job.request = std::move(download);
    job.followedUrl = true;
    job.attempts = 0;
    attempt(id);
    return;
  }
  take(id);
  if (result.ok() && result.value().bytes.empty()) {
    done(Result<GeneratedImage>::failure(ErrorCode::MalformedResponse, "The image URL did not lead to an image."));
    return;
  }
  done(std::move(result));
}

void InferenceClient::start(JobId id, Job job) {
  cancel(id);  // a reused id replaces the old job rather than leaking it
  jobs_[id] = std::move(job);
  attempt(id);
}

void InferenceClient::attempt(JobId id) {
  Job& job = jobs_.at(id);
  job.timer = 0;
  ++job.attempts;
  job.inFlight = transport_.send(job.request, [this, id](HttpResponse response) { onResponse(id, std::move(response)); });
}

void InferenceClient::onResponse(JobId id, HttpResponse response) {
  Job& job = jobs_.at(id);
  job.inFlight = 0;
  if (response.status >= 200 && response.status <= 299) {
    auto succeed = job.succeed;  // may erase the job
    succeed(std::move(response));
    return;
  }
  Error error = describeFailure(response, job.request.url);
  const auto delay = nextRetryDelayMs(job.policy, job.attempts, response, job.waitedMs);
  if (!delay) {
    if (job.attempts > 1) error.message += " (Gave up after " + std::to_string(job.attempts) + " attempts.)";
    take(id).fail(std::move(error));
    return;
  }
  job.waitedMs += *delay;
  if (job.notify) {
    job.notify(RetryNotice{job.attempts, job.policy.maxAttempts, *delay, estimatedWaitMs(response).has_value(),
                           error.message});
  }
  job.timer = transport_.after(*delay, [this, id] { attempt(id); });
}

InferenceClient::Job InferenceClient::take(JobId id) {
  const auto it = jobs_.find(id);
  Job job = std::move(it->second);
  jobs_.erase(it);
  return job;
}

bool InferenceClient::cancel(JobId id) {
  if (jobs_.find(id) == jobs_.end()) return false;
  Job job = take(id);
  if (job.inFlight) transport_.abort(job.inFlight);
  if (job.timer) transport_.cancelTimer(job.timer);
  job.fail(Error{ErrorCode::Cancelled, "Cancelled.", 0, {}});
  return true;
}

}  // namespace dg
