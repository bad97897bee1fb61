#pragma once
// The two calls of the game — describe a photo, paint a caption — over an injected Transport,
// so the same logic runs against emscripten_fetch in the browser and a fake in native tests.

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/endpoint.hpp"
#include "core/http.hpp"
#include "core/response.hpp"

namespace dg {

class InferenceClient {
 public:
  using JobId = std::uint32_t;
  template <typename T>
  using Done = std::function<void(Result<T>)>;

  explicit InferenceClient(Transport& transport) : transport_(transport) {}

  void caption(JobId job, const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
               const std::string& contentType, Done<Caption> done);
  void generate(JobId job, const EndpointConfig& endpoint, const std::string& prompt,
                const GenerationParameters& parameters, Done<GeneratedImage> done);

  // Aborts the job's request for real; its callback receives a Cancelled error.
  // Returns false when no such job is running.
  bool cancel(JobId job);

  std::size_t runningJobs() const { return jobs_.size(); }

 private:
  struct Job {
    Transport::Handle request = 0;
    std::function<void(Error)> fail;
  };

  template <typename T>
  void start(JobId job, HttpRequest request, Result<T> (*parse)(const HttpResponse&), Done<T> done);

  Transport& transport_;
  std::unordered_map<JobId, Job> jobs_;
};

}  // namespace dg
