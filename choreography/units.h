// Numbers with units as a choreographer writes them: "1.5", "1.5 m", "20 deg",
// "2 turns/beat", "3 turns/s". A bare number is in the default unit of what it
// measures; a written unit is kept as written (canonically spelled) when saving.
#ifndef YANGBOT_CHOREOGRAPHY_UNITS_H_
#define YANGBOT_CHOREOGRAPHY_UNITS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yangbot {

/// What a number measures; each has a default unit.
enum class Dimension {
  kNone,      ///< a plain number (counts, ratios)
  kLength,    ///< default m; also cm, mm
  kAngle,     ///< default deg; also rad, turns
  kBeats,     ///< default beats
  kTime,      ///< default s; also ms
  kSpinRate,  ///< default turns/beat; also turns/s (converted with the tempo)
};

/// A number and the unit it was written in ("" = the dimension's default unit).
struct Quantity {
  double value = 0;  ///< in `unit`
  std::string unit;  ///< canonical spelling ("m", "deg", "turns/s", ...) or ""
};

/// Default unit of a dimension ("m", "deg", "beats", "s", "turns/beat"; "" for kNone).
const char* DefaultUnit(Dimension dimension);
/// Name of a dimension for messages ("a length", "an angle", ...).
const char* DimensionName(Dimension dimension);
/// Units a dimension accepts, canonical spellings, default first.
std::vector<std::string> UnitsOf(Dimension dimension);

/// Parses "NUMBER" or "NUMBER UNIT" for `dimension`; on failure returns nullopt and
/// sets *error to a one-line reason (unknown unit with "did you mean", wrong kind of
/// unit, not a number, not finite, magnitude above 1e9).
std::optional<Quantity> ParseQuantity(std::string_view text, Dimension dimension,
                                      std::string* error);
/// The value in the dimension's default unit; turns/s become turns/beat at `bpm`.
double ToDefaultUnit(const Quantity& quantity, Dimension dimension, double bpm);
/// Canonical text: the number (FormatNumber), then " UNIT" when a unit was written.
std::string FormatQuantity(const Quantity& quantity);

/// Shortest decimal text that reads back as exactly the same double ("1.5", "120", "1e-07").
std::string FormatNumber(double value);
/// Parses a finite number (decimal or exponent form, optional sign); nullopt otherwise.
std::optional<double> ParseNumber(std::string_view text);
/// Parses a whole number in [-1e9, 1e9]; nullopt otherwise.
std::optional<long long> ParseInteger(std::string_view text);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_UNITS_H_
