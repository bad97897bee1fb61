#pragma once
// JSON (RFC 8259) as the core uses it: documents read into a small tree (server responses, the
// page's settings) and text written value by value (request bodies, replies to the page). The
// core's own rather than nlohmann/json's: that one, with the C library's strtod and printf it
// calls, was 24 KB of the app's gzipped wasm. The tests hold this parser to nlohmann's.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dg {

class Json {
 public:
  enum class Type : std::uint8_t { Null, Boolean, Number, String, Array, Object };

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isBoolean() const { return type_ == Type::Boolean; }
  bool isNumber() const { return type_ == Type::Number; }
  // A number written without a fraction or an exponent that fits 64 bits, signed or unsigned.
  bool isInteger() const { return type_ == Type::Number && integer_; }
  bool isString() const { return type_ == Type::String; }
  bool isArray() const { return type_ == Type::Array; }
  bool isObject() const { return type_ == Type::Object; }

  bool boolean() const { return boolean_; }
  // Exact for integers to 2^53 and for decimals of up to 15 digits with exponents to ±22 (what
  // settings and servers send); within a few units in the last place beyond.
  double number() const { return number_; }
  const std::string& string() const { return string_; }  // empty unless a string

  // An array's elements or an object's values, in document order; empty for anything else.
  const std::vector<Json>& elements() const { return elements_; }
  // An object's names, one per value (a repeated name each time it appears).
  const std::vector<std::string>& keys() const { return keys_; }
  std::size_t size() const { return elements_.size(); }
  bool empty() const { return elements_.empty(); }

  // An object's value for key (the last one when a name repeats, as other parsers keep), or
  // nullptr for a missing key or a value that is not an object.
  const Json* find(std::string_view key) const;
  // The element or member, or null: lookups chain without a check at each step.
  const Json& operator[](std::size_t index) const;
  const Json& operator[](std::string_view key) const;

 private:
  friend class JsonParser;
  Type type_ = Type::Null;
  bool boolean_ = false, integer_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> elements_;
  std::vector<std::string> keys_;
};

// The document, or nullopt when text is not exactly one JSON value (whitespace and a UTF-8 byte
// order mark around it allowed). Strings must be UTF-8, numbers within a double's range (1e400 is
// refused, 1e-400 is 0); nesting deeper than 512 is refused.
std::optional<Json> parseJson(std::string_view text);

// Whether value is a number from low to high.
inline bool numberIn(const Json& value, double low, double high) {
  return value.isNumber() && value.number() >= low && value.number() <= high;
}

// JSON text written in order: beginObject().field("a", 1).key("b").beginArray()...endArray().endObject().
// Strings are escaped; bytes that are not UTF-8 (a server's text can be anything) pass through,
// and the page's decoder shows them as U+FFFD.
class JsonWriter {
 public:
  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }  // not bool
  JsonWriter& value(bool flag);
  JsonWriter& value(long long number);
  JsonWriter& value(int number) { return value(static_cast<long long>(number)); }
  // Written to six decimals (a guidance scale, a wait), which is all the core sends.
  JsonWriter& value(double number);
  // What another writer wrote, whole (an object inside this one).
  JsonWriter& value(const JsonWriter& written);

  template <typename T>
  JsonWriter& field(std::string_view name, const T& fieldValue) {
    return key(name).value(fieldValue);
  }

  const std::string& text() const { return text_; }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void separate();

  std::string text_;
  bool afterValue_ = false;  // the next value or key needs a comma
};

}  // namespace dg
