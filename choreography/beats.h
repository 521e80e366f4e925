// Exact musical time. Every cue, step and section boundary is a rational number of
// beats (a fraction in lowest terms), and seconds are computed from it in one step,
// t = offset + num * 60 / (bpm * den), never by adding durations up: a cue on beat 600
// is exactly where the metronome says, however many cues came before it.
#ifndef YANGBOT_CHOREOGRAPHY_BEATS_H_
#define YANGBOT_CHOREOGRAPHY_BEATS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yangbot {

/// An exact number of beats: num / den in lowest terms, den > 0. Values come from
/// files with small denominators; arithmetic saturates instead of overflowing.
class Beats {
 public:
  /// Zero beats.
  constexpr Beats() = default;
  /// A whole number of beats.
  constexpr explicit Beats(int64_t whole) : num_(whole) {}
  /// num / den beats, reduced; den == 0 gives zero.
  static Beats Fraction(int64_t num, int64_t den);

  /// Numerator (sign of the value).
  int64_t num() const { return num_; }
  /// Denominator, >= 1.
  int64_t den() const { return den_; }
  /// The value as a double (beats).
  double ToDouble() const { return static_cast<double>(num_) / static_cast<double>(den_); }
  /// True for a whole number of beats.
  bool IsWhole() const { return den_ == 1; }
  /// True when this is an integer multiple of `grid` (> 0).
  bool IsMultipleOf(const Beats& grid) const;
  /// Largest whole number of beats <= this.
  int64_t Floor() const;

  /// Sum (saturating).
  friend Beats operator+(const Beats& a, const Beats& b);
  /// Difference (saturating).
  friend Beats operator-(const Beats& a, const Beats& b);
  /// Product with a whole number (saturating).
  friend Beats operator*(const Beats& a, int64_t k);
  /// Product (saturating).
  friend Beats operator*(const Beats& a, const Beats& b);
  /// Three-way comparison by value.
  friend int Compare(const Beats& a, const Beats& b);
  /// Equality.
  friend bool operator==(const Beats& a, const Beats& b) { return Compare(a, b) == 0; }
  /// Ordering.
  friend bool operator<(const Beats& a, const Beats& b) { return Compare(a, b) < 0; }
  /// Ordering.
  friend bool operator<=(const Beats& a, const Beats& b) { return Compare(a, b) <= 0; }
  /// Ordering.
  friend bool operator>(const Beats& a, const Beats& b) { return Compare(a, b) > 0; }
  /// Ordering.
  friend bool operator>=(const Beats& a, const Beats& b) { return Compare(a, b) >= 0; }
  /// Negation.
  Beats operator-() const { return Fraction(-num_, den_); }

  /// Canonical text: "16", "2.5", "0.25", or "1/3" when no short decimal exists.
  std::string ToString() const;
  /// Parses "16", "2.5", "-1", "1/2", "3/4"; nullopt on anything else (or on values
  /// above 1e7 beats, or denominators above 1000).
  static std::optional<Beats> Parse(std::string_view text);

 private:
  int64_t num_ = 0;
  int64_t den_ = 1;
};

/// Seconds from beats at a fixed tempo: beat 0 is at `offset`.
struct BeatClock {
  double bpm = 120;   ///< beats per minute, > 0
  double offset = 0;  ///< s, time of beat 0 (bar 1, beat 1)

  /// Seconds per beat.
  double SecondsPerBeat() const { return 60.0 / bpm; }
  /// Time (s) of an exact beat: offset + num * 60 / (bpm * den), one rounding per operation.
  double Time(const Beats& beat) const {
    return offset +
           static_cast<double>(beat.num()) * 60.0 / (bpm * static_cast<double>(beat.den()));
  }
  /// Beats (double) since beat 0 at time t (s).
  double BeatAt(double t) const { return (t - offset) * bpm / 60.0; }
};

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_BEATS_H_
