#pragma once
// The two calls of the game — describe a photo, paint a caption — over an injected Transport,
// so the same logic runs against emscripten_fetch in the browser and a fake in native tests.
// Each job retries what is worth retrying (retry.hpp), reports its waits, and can be cancelled.

#include <cstdint>
#include <functional>
#include <string>
#include <map>
#include <vector>

#include "core/endpoint.hpp"
#include "core/http.hpp"
#include "core/response.hpp"

namespace dg {

// Told to the caller before each wait, so the page can say what is happening.
struct RetryNotice {
  int failedAttempt = 0;    // 1 for the first attempt
  int maxAttempts = 0;
  double waitMs = 0;        // until the next attempt starts
  bool modelLoading = false;  // a 503 with the model's own estimate: waitMs is that estimate
  std::string reason;       // what went wrong with the failed attempt, in words
};

class InferenceClient {
 public:
  using JobId = std::uint32_t;
  template <typename T>
  using Done = std::function<void(Result<T>)>;
  using Notify = std::function<void(const RetryNotice&)>;

  explicit InferenceClient(Transport& transport) : transport_(transport) {}

  void caption(JobId job, const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
               const std::string& contentType, Done<Caption> done, Notify notify = {});
  void generate(JobId job, const EndpointConfig& endpoint, const std::string& prompt,
                const GenerationParameters& parameters, Done<GeneratedImage> done, Notify notify = {});

  // Aborts the job's request (or its pending retry) for real; its callback receives a Cancelled
  // error. Returns false when no such job is running.
  bool cancel(JobId job);

  std::size_t runningJobs() const { return jobs_.size(); }

 private:
  struct Job {
    HttpRequest request;
    RetryPolicy policy;
    int attempts = 0;
    double waitedMs = 0;
    Transport::Handle inFlight = 0;
    Transport::Handle timer = 0;
    bool followedUrl = false;
    std::function<void(HttpResponse)> succeed;  // parses a 2xx answer and reports it
    std::function<void(Error)> fail;
    Notify notify;
  };

  void start(JobId id, Job job);
  void attempt(JobId id);
  void onResponse(JobId id, HttpResponse response);
  void finishGeneration(JobId id, const HttpResponse& response, const Done<GeneratedImage>& done);
  Job take(JobId id);  // removes a finished job so its callback may safely start another

  Transport& transport_;
  std::map<JobId, Job> jobs_;
};

}  // namespace dg
