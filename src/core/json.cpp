#include "core/json.hpp"

namespace dg {

nlohmann::json parseJson(std::string_view text) {
  nlohmann::json document;
  nlohmann::detail::json_sax_dom_parser<nlohmann::json> builder(document, false);
  if (!nlohmann::json::sax_parse(text, &builder)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return document;
}

}  // namespace dg
