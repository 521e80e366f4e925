#include "choreography/units.h"

#include <charconv>
#include <cmath>

#include "choreography/diagnostics.h"

namespace yangbot {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMaxMagnitude = 1e9;

struct UnitInfo {
  const char* spelling;   // as written
  const char* canonical;  // as saved
  Dimension dimension;
  double factor;  // value * factor = value in the default unit (turns/s: special)
};

constexpr UnitInfo kUnits[] = {
    {"m", "m", Dimension::kLength, 1.0},
    {"cm", "cm", Dimension::kLength, 0.01},
    {"mm", "mm", Dimension::kLength, 0.001},
    {"deg", "deg", Dimension::kAngle, 1.0},
    {"degree", "deg", Dimension::kAngle, 1.0},
    {"degrees", "deg", Dimension::kAngle, 1.0},
    {"rad", "rad", Dimension::kAngle, 180.0 / kPi},
    {"turns", "turns", Dimension::kAngle, 360.0},
    {"turn", "turns", Dimension::kAngle, 360.0},
    {"beats", "beats", Dimension::kBeats, 1.0},
    {"beat", "beats", Dimension::kBeats, 1.0},
    {"s", "s", Dimension::kTime, 1.0},
    {"ms", "ms", Dimension::kTime, 0.001},
    {"turns/beat", "turns/beat", Dimension::kSpinRate, 1.0},
    {"turn/beat", "turns/beat", Dimension::kSpinRate, 1.0},
    {"turns/s", "turns/s", Dimension::kSpinRate, 0.0},
    {"turn/s", "turns/s", Dimension::kSpinRate, 0.0},
    {"Hz", "turns/s", Dimension::kSpinRate, 0.0},
};

const UnitInfo* FindUnit(std::string_view spelling) {
  for (const UnitInfo& u : kUnits) {
    if (spelling == u.spelling) return &u;
  }
  return nullptr;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* DefaultUnit(Dimension dimension) {
  switch (dimension) {
    case Dimension::kLength:
      return "m";
    case Dimension::kAngle:
      return "deg";
    case Dimension::kBeats:
      return "beats";
    case Dimension::kTime:
      return "s";
    case Dimension::kSpinRate:
      return "turns/beat";
    case Dimension::kNone:
      break;
  }
  return "";
}

const char* DimensionName(Dimension dimension) {
  switch (dimension) {
    case Dimension::kLength:
      return "a length";
    case Dimension::kAngle:
      return "an angle";
    case Dimension::kBeats:
      return "a number of beats";
    case Dimension::kTime:
      return "a time";
    case Dimension::kSpinRate:
      return "a spin rate";
    case Dimension::kNone:
      break;
  }
  return "a plain number";
}

std::vector<std::string> UnitsOf(Dimension dimension) {
  std::vector<std::string> out;
  for (const UnitInfo& u : kUnits) {
    if (u.dimension != dimension) continue;
    bool seen = false;
    for (const auto& s : out) seen = seen || s == u.canonical;
    if (!seen) out.push_back(u.canonical);
  }
  return out;
}

std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  // Only digits, sign, point and exponent: no "inf", "nan", hex.
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return std::nullopt;
  }
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<long long> ParseInteger(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || text.size() > 12) return std::nullopt;
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value > 1'000'000'000LL || value < -1'000'000'000LL)
    return std::nullopt;
  return value;
}

std::optional<Quantity> ParseQuantity(std::string_view text, Dimension dimension,
                                      std::string* error) {
  text = Trim(text);
  size_t split = 0;
  while (split < text.size() && text[split] != ' ' && text[split] != '\t') ++split;
  const std::string_view number = text.substr(0, split);
  const std::string_view unit = Trim(text.substr(split));
  const std::optional<double> value = ParseNumber(number);
  if (!value) {
    *error =
        "expected " + std::string(DimensionName(dimension)) +
        (dimension == Dimension::kNone ? "" : std::string(" such as 1 ") + DefaultUnit(dimension)) +
        ", found '" + std::string(text.substr(0, 40)) + "'";
    return std::nullopt;
  }
  if (std::fabs(*value) > kMaxMagnitude) {
    *error = "number " + std::string(number.substr(0, 40)) + " is too large";
    return std::nullopt;
  }
  Quantity q;
  q.value = *value;
  if (unit.empty()) return q;
  const UnitInfo* info = FindUnit(unit);
  if (info == nullptr) {
    std::vector<std::string> all;
    for (const UnitInfo& u : kUnits) all.emplace_back(u.spelling);
    *error = "unknown unit '" + std::string(unit.substr(0, 40)) + "'" + DidYouMean(unit, all);
    return std::nullopt;
  }
  if (info->dimension != dimension) {
    std::string accepted;
    for (const std::string& u : UnitsOf(dimension)) accepted += (accepted.empty() ? "" : ", ") + u;
    *error = "unit '" + std::string(unit) + "' is " + DimensionName(info->dimension) +
             ", expected " + DimensionName(dimension) +
             (accepted.empty() ? " without a unit" : " (" + accepted + ")");
    return std::nullopt;
  }
  q.unit = info->canonical;
  return q;
}

double ToDefaultUnit(const Quantity& quantity, Dimension dimension, double bpm) {
  if (quantity.unit.empty()) return quantity.value;
  if (dimension == Dimension::kSpinRate && quantity.unit == "turns/s") {
    return bpm > 0 ? quantity.value * 60.0 / bpm : 0.0;
  }
  const UnitInfo* info = FindUnit(quantity.unit);
  return info != nullptr ? quantity.value * info->factor : quantity.value;
}

std::string FormatQuantity(const Quantity& quantity) {
  std::string text = FormatNumber(quantity.value);
  if (!quantity.unit.empty()) text += " " + quantity.unit;
  return text;
}

std::string FormatNumber(double value) {
  if (value == 0) return "0";  // also -0
  char buffer[64];
  auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc()) return "0";
  return std::string(buffer, ptr);
}

}  // namespace yangbot
