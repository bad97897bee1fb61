#pragma once
// Builds the exact HTTP request each endpoint style expects (hf-api.md section 2).

#include <cstdint>
#include <string>
#include <vector>

#include "core/endpoint.hpp"
#include "core/http.hpp"

namespace dg {

HttpRequest buildCaptionRequest(const EndpointConfig& endpoint, const std::vector<std::uint8_t>& image,
                                const std::string& contentType);

HttpRequest buildGenerationRequest(const EndpointConfig& endpoint, const std::string& prompt,
                                   const GenerationParameters& parameters);

}  // namespace dg
