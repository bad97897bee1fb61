#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

#include "core/json.hpp"
#include "json_reference.hpp"

using namespace dg;

TEST_CASE("a document is read into values of every type") {
  const auto document = parseJson(
      "\xEF\xBB\xBF { \"name\": \"caf\\u00e9 \\\"x\\\" \xF0\x9F\x98\x80\", \"list\": [1, -2.5e1, true, false, null],\n"
      "\t\"nested\": {\"deep\": [{\"k\": \"\\ud83d\\ude00\\n\"}]}, \"big\": 18446744073709551615 } \r\n");
  REQUIRE(document);
  REQUIRE(document->isObject());
  CHECK(document->size() == 4);
  CHECK((*document)["name"].string() == "caf\xC3\xA9 \"x\" \xF0\x9F\x98\x80");
  const Json& list = (*document)["list"];
  REQUIRE(list.isArray());
  REQUIRE(list.size() == 5);
  CHECK(list[0].isInteger());
  CHECK(list[0].number() == 1);
  CHECK(list[1].isNumber());
  CHECK_FALSE(list[1].isInteger());
  CHECK(list[1].number() == -25);
  CHECK((list[2].isBoolean() && list[2].boolean()));
  CHECK((list[3].isBoolean() && !list[3].boolean()));
  CHECK(list[4].isNull());
  CHECK((*document)["nested"]["deep"][0]["k"].string() == "\xF0\x9F\x98\x80\n");
  CHECK((*document)["big"].isInteger());
  CHECK((*document)["big"].number() == 18446744073709551615.0);
}

TEST_CASE("missing members and elements read as null, so lookups chain") {
  const auto document = parseJson(R"({"choices": [], "error": "busy"})");
  REQUIRE(document);
  CHECK((*document)["choices"][0]["message"]["content"].isNull());
  CHECK((*document)["absent"].isNull());
  CHECK((*document)["error"][0].isNull());
  CHECK((*document)["error"]["message"].isNull());
  CHECK(document->find("error"));
  CHECK_FALSE(document->find("absent"));
  CHECK_FALSE((*document)["error"].find("error"));
  CHECK((*document)["choices"].string().empty());
}

TEST_CASE("a repeated name reads as its last value") {
  const auto document = parseJson(R"({"a": 1, "b": 2, "a": 3})");
  REQUIRE(document);
  CHECK((*document)["a"].number() == 3);
  CHECK(document->keys() == std::vector<std::string>{"a", "b", "a"});
}

TEST_CASE("integers are told from other numbers as other parsers tell them") {
  struct Case {
    const char* text;
    bool integer;
  };
  for (const Case c : {Case{"0", true}, {"-0", true}, {"42", true}, {"-9223372036854775808", true},
                       {"18446744073709551615", true}, {"18446744073709551616", false},
                       {"-9223372036854775809", false}, {"1.0", false}, {"1e2", false}, {"100000000000000000000", false}}) {
    INFO(c.text);
    const auto value = parseJson(c.text);
    REQUIRE(value);
    CHECK(value->isInteger() == c.integer);
  }
}

TEST_CASE("numbers read as the C library reads them, within a double's range") {
  // Exact wherever a double's arithmetic is (the settings' and servers' numbers): the same bits.
  for (const char* text : {"0.1", "20.0", "7.5", "3.14159", "-0.000123", "1e-5", "2.5E+3", "123456789012345",
                           "4294967295", "9007199254740992", "1e22", "1e-22", "0.000000000000000000001"}) {
    INFO(text);
    const auto value = parseJson(text);
    REQUIRE(value);
    CHECK(value->number() == std::strtod(text, nullptr));
  }
  // Beyond that, within a few units in the last place; out of range as strtod rounds it.
  for (const char* text : {"0.30000000000000004", "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308", "123456789012345678901234567890",
                           "0.1234567890123456789012345", "6.02214076e23", "1.602176634e-19", "1e-400"}) {
    INFO(text);
    const auto value = parseJson(text);
    REQUIRE(value);
    CHECK(test::closeEnough(value->number(), std::strtod(text, nullptr)));
  }
  CHECK_FALSE(parseJson("1e400"));
  CHECK_FALSE(parseJson("-1e99999999999"));
  CHECK_FALSE(parseJson("[1.8e308]"));
  CHECK(parseJson("0e99999999999")->number() == 0);
  CHECK(parseJson("1e-99999999999")->number() == 0);
}

TEST_CASE("text that is not one JSON document is refused") {
  for (const char* text :
       {"", " ", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "-", "1.", ".5", "1e", "+1",
        "NaN", "Infinity", "tru", "nul", "[1] [2]", "[1] x", "// note\n1", "\"a", "[", "{\"a\":", "\"\\x\"", "\"\\u12\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"tab\there\"", "\"\xC0\x80\"", "\"\xED\xA0\x80\"",
        "\"\xF5\x80\x80\x80\"", "\"\xE2\x82\"", "\"\x80\"", "\xEF\xBB[1]"}) {
    INFO(text);
    CHECK_FALSE(parseJson(text));
  }
  CHECK_FALSE(parseJson(std::string("[1]\0", 4)));
}

TEST_CASE("nesting past 512 levels is refused, up to it read") {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK(parseJson(nested(512)));
  CHECK_FALSE(parseJson(nested(513)));
  CHECK_FALSE(parseJson(std::string(1'000'000, '[')));
}

namespace {

// A random document: every type, escapes, multi-byte UTF-8, numbers of every shape.
std::string randomDocument(std::mt19937& random, int depth) {
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  static const char* const kStrings[] = {"\"\"", "\"plain\"", "\"caf\xC3\xA9\"", "\"\\u00e9\\n\\t\\\"\\\\\\/\"",
                                         "\"\\ud83d\\ude00 \xF0\x9F\x98\x80\"", "\"\\u0000\"", "\"\x7F\""};
  static const char* const kNumbers[] = {"0",     "-0",   "7",      "-12",    "3.5",    "-0.25",  "1e3", "2E-2",
                                         "1e+22", "0.1",  "1e400",  "-1e-400", "123456789012345678901234", "9007199254740993",
                                         "18446744073709551615", "-9223372036854775808", "0.000001234"};
  switch (depth > 4 ? pick(4) : pick(6)) {
    case 0: return kStrings[pick(7)];
    case 1: return kNumbers[pick(17)];
    case 2: return pick(2) ? "true" : pick(2) ? "false" : "null";
    case 3: return "\"k" + std::to_string(pick(100)) + "\"";
    case 4: {
      std::string out = "[";
      for (int i = pick(4); i-- > 0;) out += randomDocument(random, depth + 1) + (i ? ", " : "");
      return out + "]";
    }
    default: {
      std::string out = "{";
      for (int i = pick(4); i-- > 0;) out += " \"k" + std::to_string(pick(3)) + "\" :" + randomDocument(random, depth + 1) + (i ? "," : "");
      return out + "}\n";
    }
  }
}

}  // namespace

TEST_CASE("the parser agrees with nlohmann/json on documents and on near-documents") {
  std::mt19937 random(20261124);
  static const char kSignificant[] = "{}[],:\"\\0123456789.eE+-tfnu \x80\xC3\xED\xF0";
  int accepted = 0, refused = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string text = randomDocument(random, 0);
    // Three in four get damaged: a byte removed, replaced or inserted.
    for (int edits = random() % 4 ? 1 + random() % 3 : 0; edits > 0 && !text.empty(); --edits) {
      const std::size_t at = random() % text.size();
      const char byte = kSignificant[random() % (sizeof kSignificant - 1)];
      switch (random() % 3) {
        case 0: text.erase(at, 1); break;
        case 1: text[at] = byte; break;
        default: text.insert(at, 1, byte); break;
      }
    }
    INFO(text);
    REQUIRE(test::parsesAsReference(text));
    ++(parseJson(text) ? accepted : refused);
  }
  // Both verdicts were exercised many times.
  CHECK(accepted > 1000);
  CHECK(refused > 1000);
}

TEST_CASE("the writer writes what a parser reads back") {
  JsonWriter writer;
  writer.beginObject()
      .field("text", std::string("quote \" backslash \\ newline \n bell \x07 caf\xC3\xA9"))
      .field("count", 3)
      .field("seed", 4294967295LL)
      .field("flag", false)
      .key("list")
      .beginArray()
      .value(7.5)
      .value(-0.5)
      .value(0.1)
      .value(3.0)
      .value(1e-7)
      .value(HUGE_VAL)
      .beginObject()
      .endObject()
      .beginArray()
      .endArray()
      .endArray()
      .key("nested")
      .value(JsonWriter().beginObject().field("a", "b").endObject())
      .endObject();
  CHECK(writer.text() ==
        "{\"text\":\"quote \\\" backslash \\\\ newline \\u000a bell \\u0007 caf\xC3\xA9\",\"count\":3,"
        "\"seed\":4294967295,\"flag\":false,\"list\":[7.5,-0.5,0.1,3,0,null,{},[]],\"nested\":{\"a\":\"b\"}}");
  const auto reference = nlohmann::json::parse(writer.text(), nullptr, false);
  REQUIRE_FALSE(reference.is_discarded());
  CHECK(reference["text"] == "quote \" backslash \\ newline \n bell \x07 caf\xC3\xA9");
  const auto ours = parseJson(writer.text());
  REQUIRE(ours);
  CHECK(test::sameAsReference(*ours, reference));
}
