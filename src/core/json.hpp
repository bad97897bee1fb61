#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace dg {

// The document in text, or a discarded value when text is not JSON. One parse path for the whole
// core: nlohmann's parse() also builds its callback-filtering parser, which nothing here uses.
nlohmann::json parseJson(std::string_view text);

// Whether value is a number from low to high. Compared as a double, not through json's own
// operator<, which handles every pair of types and is linked only for these range checks.
inline bool numberIn(const nlohmann::json& value, double low, double high) {
  if (!value.is_number()) return false;
  const double number = value.get<double>();
  return number >= low && number <= high;
}

}  // namespace dg
