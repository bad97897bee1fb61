#pragma once
// Whether the core's parse of a document is what nlohmann/json makes of it: the reference the
// unit tests and the response fuzzer hold src/core/json.* to.

#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json.hpp"

namespace dg::test {

// nlohmann rounds decimals correctly (strtod); the core is exact on its fast path and within a
// few units in the last place elsewhere.
inline bool closeEnough(double ours, double theirs) {
  if (ours == theirs) return true;
  return std::fabs(ours - theirs) <= 1e-15 * std::fabs(theirs) || std::fabs(ours - theirs) < 1e-300;
}

inline bool sameAsReference(const Json& ours, const nlohmann::json& theirs) {
  switch (ours.type()) {
    case Json::Type::Null: return theirs.is_null();
    case Json::Type::Boolean: return theirs.is_boolean() && theirs.get<bool>() == ours.boolean();
    case Json::Type::String: return theirs.is_string() && theirs.get_ref<const std::string&>() == ours.string();
    case Json::Type::Number:
      if (!theirs.is_number() || ours.isInteger() != theirs.is_number_integer()) return false;
      if (theirs.is_number_unsigned()) return ours.number() == static_cast<double>(theirs.get<std::uint64_t>());
      if (theirs.is_number_integer()) return ours.number() == static_cast<double>(theirs.get<std::int64_t>());
      return closeEnough(ours.number(), theirs.get<double>());
    case Json::Type::Array:
      if (!theirs.is_array() || theirs.size() != ours.size()) return false;
      for (std::size_t i = 0; i < ours.size(); ++i) {
        if (!sameAsReference(ours[i], theirs[i])) return false;
      }
      return true;
    case Json::Type::Object: {
      // nlohmann keeps one member per name, the last; the core keeps all and finds the last.
      const std::set<std::string> names(ours.keys().begin(), ours.keys().end());
      if (!theirs.is_object() || names.size() != theirs.size()) return false;
      for (const auto& [key, value] : theirs.items()) {
        const Json* member = ours.find(key);
        if (!member || !sameAsReference(*member, value)) return false;
      }
      return true;
    }
  }
  return false;
}

// The same verdict (a document or not) and, for a document, the same values. Except that a NUL
// byte, which JSON never allows, ends nlohmann's input (C strings' habit) and the core refuses it.
inline bool parsesAsReference(const std::string& text) {
  const auto ours = parseJson(text);
  if (text.find('\0') != std::string::npos) return !ours;
  const auto theirs = nlohmann::json::parse(text, nullptr, false);
  if (!ours || theirs.is_discarded()) return !ours && theirs.is_discarded();
  return sameAsReference(*ours, theirs);
}

}  // namespace dg::test
