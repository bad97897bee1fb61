#pragma once
// What went wrong with an exchange, in words a person can act on (hf-api.md section 4).

#include <string>

#include "core/http.hpp"
#include "core/result.hpp"

namespace dg {

// The error a non-2xx or status-0 response stands for: a specific code, a message that says what
// happened and what to do, the server's own reason when it gave one, and the request id.
// `url` is the address that was called: it lets a refused legacy host be named as such.
Error describeFailure(const HttpResponse& response, const std::string& url);

}  // namespace dg
