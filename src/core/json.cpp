#include "core/json.hpp"

#include <cmath>

namespace dg {

const Json* Json::find(std::string_view key) const {
  if (type_ != Type::Object) return nullptr;
  for (std::size_t i = keys_.size(); i-- > 0;) {
    if (keys_[i] == key) return &elements_[i];
  }
  return nullptr;
}

namespace {
const Json kNull;
}

const Json& Json::operator[](std::size_t index) const {
  return type_ == Type::Array && index < elements_.size() ? elements_[index] : kNull;
}

const Json& Json::operator[](std::string_view key) const {
  const Json* member = find(key);
  return member ? *member : kNull;
}

// Recursive descent over the text; every function returns false at the first byte that cannot
// continue a JSON document, and the whole parse fails with it.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text)
      : at_(reinterpret_cast<const unsigned char*>(text.data())), end_(at_ + text.size()) {}

  std::optional<Json> document() {
    if (end_ - at_ >= 3 && at_[0] == 0xEF && at_[1] == 0xBB && at_[2] == 0xBF) at_ += 3;
    Json root;
    if (!value(root, 0)) return std::nullopt;
    skipSpace();
    if (at_ != end_) return std::nullopt;
    return root;
  }

 private:
  // Past this a hostile document could exhaust the stack, parsing or freeing the tree.
  static constexpr int kMaxDepth = 512;

  void skipSpace() {
    while (at_ < end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  bool consume(char c) {
    if (at_ == end_ || *at_ != static_cast<unsigned char>(c)) return false;
    ++at_;
    return true;
  }

  bool word(std::string_view text) {
    const std::string_view rest(reinterpret_cast<const char*>(at_), end_ - at_);
    if (rest.substr(0, text.size()) != text) return false;
    at_ += text.size();
    return true;
  }

  bool value(Json& out, int depth) {
    skipSpace();
    if (at_ == end_) return false;
    switch (*at_) {
      case '{': return container(out, Json::Type::Object, '}', depth);
      case '[': return container(out, Json::Type::Array, ']', depth);
      case '"': out.type_ = Json::Type::String; return string(out.string_);
      case 't': out.type_ = Json::Type::Boolean, out.boolean_ = true; return word("true");
      case 'f': out.type_ = Json::Type::Boolean; return word("false");
      case 'n': return word("null");
      default: out.type_ = Json::Type::Number; return number(out);
    }
  }

  bool container(Json& out, Json::Type type, char closing, int depth) {
    if (depth == kMaxDepth) return false;
    out.type_ = type;
    ++at_;
    skipSpace();
    if (consume(closing)) return true;
    do {
      if (type == Json::Type::Object) {
        skipSpace();
        out.keys_.emplace_back();
        if (!string(out.keys_.back())) return false;
        skipSpace();
        if (!consume(':')) return false;
      }
      out.elements_.emplace_back();
      if (!value(out.elements_.back(), depth + 1)) return false;
      skipSpace();
    } while (consume(','));
    return consume(closing);
  }

  bool hex4(unsigned& out) {
    if (end_ - at_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const unsigned c = *at_++;
      const unsigned digit = c - '0' < 10 ? c - '0' : (c | 0x20) - 'a' < 6 ? (c | 0x20) - 'a' + 10 : 16;
      if (digit == 16) return false;
      out = out << 4 | digit;
    }
    return true;
  }

  static void appendUtf8(std::string& out, unsigned codePoint) {
    if (codePoint < 0x80) {
      out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
      out += static_cast<char>(0xC0 | codePoint >> 6);
      out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
      out += static_cast<char>(0xE0 | codePoint >> 12);
      out += static_cast<char>(0x80 | (codePoint >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | codePoint >> 18);
      out += static_cast<char>(0x80 | (codePoint >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (codePoint >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
  }

  // The length of the well-formed UTF-8 sequence at at_ (Unicode's table 3-7: no overlong forms,
  // no surrogates, nothing past U+10FFFF), or 0.
  std::size_t utf8Length() const {
    const unsigned first = at_[0];
    std::size_t length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
    if (first < 0xC2 || first > 0xF4 || static_cast<std::size_t>(end_ - at_) < length) return 0;
    // The second byte's range depends on the first; the rest are 80..BF.
    const unsigned low = first == 0xE0 ? 0xA0 : first == 0xF0 ? 0x90 : 0x80;
    const unsigned high = first == 0xED ? 0x9F : first == 0xF4 ? 0x8F : 0xBF;
    if (at_[1] < low || at_[1] > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
      if ((at_[i] & 0xC0) != 0x80) return 0;
    }
    return length;
  }

  bool string(std::string& out) {
    if (!consume('"')) return false;
    while (at_ < end_) {
      // Plain ASCII is copied a run at a time: base64 images arrive as strings of megabytes.
      const unsigned char* run = at_;
      while (at_ < end_ && *at_ >= 0x20 && *at_ < 0x80 && *at_ != '"' && *at_ != '\\') ++at_;
      out.append(reinterpret_cast<const char*>(run), at_ - run);
      if (at_ == end_) return false;
      const unsigned c = *at_;
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return false;  // control characters must be escaped
      if (c >= 0x80) {
        const std::size_t length = utf8Length();
        if (length == 0) return false;
        out.append(reinterpret_cast<const char*>(at_), length);
        at_ += length;
        continue;
      }
      if (!escape(out)) return false;
    }
    return false;
  }

  bool escape(std::string& out) {
    ++at_;  // the backslash
    if (at_ == end_) return false;
    const char c = static_cast<char>(*at_++);
    switch (c) {
      case '"': case '\\': case '/': out += c; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    unsigned codePoint = 0;
    if (!hex4(codePoint)) return false;
    if (codePoint >= 0xDC00 && codePoint <= 0xDFFF) return false;  // a low surrogate on its own
    if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {                // needs its low surrogate next
      unsigned low = 0;
      if (!word("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, codePoint);
    return true;
  }

  bool digit() const { return at_ < end_ && *at_ - static_cast<unsigned>('0') < 10; }

  // Digits gathered into a 64-bit mantissa and a power of ten, then one multiplication or division
  // where both are exact (Clinger's fast path), a few otherwise: no strtod.
  bool number(Json& out) {
    const bool negative = consume('-');
    if (!digit()) return false;
    std::uint64_t mantissa = 0;
    long exponent = 0;
    bool truncated = false;
    auto take = [&](bool fraction) {
      const unsigned d = *at_++ - '0';
      if (mantissa < UINT64_MAX / 10 || (mantissa == UINT64_MAX / 10 && d <= UINT64_MAX % 10)) {
        mantissa = mantissa * 10 + d;
        exponent -= fraction;
      } else {  // digits past 19 or 20 change nothing a double holds
        truncated = true;
        exponent += !fraction;
      }
    };
    if (*at_ == '0') ++at_;
    else while (digit()) take(false);
    bool whole = true;
    if (consume('.')) {
      whole = false;
      if (!digit()) return false;
      while (digit()) take(true);
    }
    if (at_ < end_ && (*at_ | 0x20) == 'e') {
      whole = false;
      ++at_;
      const bool negativeExponent = consume('-');
      if (!negativeExponent) consume('+');
      if (!digit()) return false;
      long written = 0;
      while (digit()) {
        const unsigned d = *at_++ - '0';
        if (written < 100000) written = written * 10 + d;
      }
      exponent += negativeExponent ? -written : written;
    }
    out.integer_ = whole && !truncated && (!negative || mantissa <= (std::uint64_t(1) << 63));
    double value = static_cast<double>(mantissa);
    static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (mantissa != 0 && exponent > 330) {
      return false;
    } else if (mantissa == 0 || exponent < -350) {
      value = 0;
    } else {
      for (; exponent > 22; exponent -= 22) value *= 1e22;
      for (; exponent < -22; exponent += 22) value /= 1e22;
      value = exponent >= 0 ? value * kPowers[exponent] : value / kPowers[-exponent];
    }
    out.number_ = negative ? -value : value;
    return std::isfinite(value);  // a number past a double's range is refused, as nlohmann/json refuses it
  }

  const unsigned char* at_;
  const unsigned char* end_;
};

std::optional<Json> parseJson(std::string_view text) { return JsonParser(text).document(); }

void JsonWriter::separate() {
  if (afterValue_) text_ += ',';
}

JsonWriter& JsonWriter::open(char bracket) {
  separate();
  text_ += bracket;
  afterValue_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  text_ += bracket;
  afterValue_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  value(name);
  text_ += ':';
  afterValue_ = false;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  static const char kHex[] = "0123456789abcdef";
  text_ += '"';
  std::size_t run = 0;  // unescaped bytes are appended a run at a time
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    text_.append(text, run, i - run);
    run = i + 1;
    if (byte >= 0x20) {
      text_ += '\\';
      text_ += static_cast<char>(byte);
    } else {
      text_ += "\\u00";
      text_ += kHex[byte >> 4];
      text_ += kHex[byte & 15];
    }
  }
  text_.append(text, run, std::string_view::npos);
  text_ += '"';
  afterValue_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(const JsonWriter& written) {
  separate();
  text_ += written.text_;
  afterValue_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  text_ += flag ? "true" : "false";
  afterValue_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(long long number) {
  separate();
  text_ += std::to_string(number);
  afterValue_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  separate();
  afterValue_ = true;
  if (!(std::fabs(number) < 1e12)) {  // JSON has no infinity; nothing the core sends is this large
    text_ += "null";
    return *this;
  }
  const long long millionths = std::llround(std::fabs(number) * 1e6);
  if (number < 0 && millionths > 0) text_ += '-';
  text_ += std::to_string(millionths / 1000000);
  if (const long long fraction = millionths % 1000000) {
    std::string digits = std::to_string(1000000 + fraction).substr(1);  // six, with leading zeros
    digits.erase(digits.find_last_not_of('0') + 1);
    text_ += '.' + digits;
  }
  return *this;
}

}  // namespace dg
