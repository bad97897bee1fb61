#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace dg {

// The document in text, or a discarded value when text is not JSON. One parse path for the whole
// core: nlohmann's parse() also builds its callback-filtering parser, which nothing here uses.
nlohmann::json parseJson(std::string_view text);

}  // namespace dg
