#include "choreography/beats.h"

#include <charconv>
#include <limits>
#include <numeric>

namespace yangbot {
namespace {

constexpr __int128 kLimit = static_cast<__int128>(1) << 62;

__int128 Gcd(__int128 a, __int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const __int128 r = a % b;
    a = b;
    b = r;
  }
  return a;
}

// Reduces num/den and saturates when it does not fit (never happens for file values,
// whose denominators are small, but arithmetic must not be undefined behaviour).
Beats Make(__int128 num, __int128 den) {
  if (den == 0) return Beats();
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const __int128 g = Gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  while (den >= kLimit || num >= kLimit || num <= -kLimit) {
    // Saturate: keep the value approximately by halving both (only on absurd input).
    num /= 2;
    den /= 2;
    if (den == 0) den = 1;
  }
  return Beats::Fraction(static_cast<int64_t>(num), static_cast<int64_t>(den));
}

}  // namespace

Beats Beats::Fraction(int64_t num, int64_t den) {
  Beats b;
  if (den == 0) return b;
  if (den < 0) {
    // Guard the one value that cannot be negated.
    if (num == std::numeric_limits<int64_t>::min() || den == std::numeric_limits<int64_t>::min())
      return b;
    num = -num;
    den = -den;
  }
  const int64_t g = std::gcd(num, den);
  b.num_ = g > 1 ? num / g : num;
  b.den_ = g > 1 ? den / g : den;
  return b;
}

bool Beats::IsMultipleOf(const Beats& grid) const {
  if (grid.num_ <= 0) return false;
  // (num/den) / (gnum/gden) = num*gden / (den*gnum) must be whole.
  const __int128 a = static_cast<__int128>(num_) * grid.den_;
  const __int128 b = static_cast<__int128>(den_) * grid.num_;
  return a % b == 0;
}

int64_t Beats::Floor() const {
  int64_t q = num_ / den_;
  if (num_ % den_ != 0 && num_ < 0) --q;
  return q;
}

Beats operator+(const Beats& a, const Beats& b) {
  return Make(static_cast<__int128>(a.num_) * b.den_ + static_cast<__int128>(b.num_) * a.den_,
              static_cast<__int128>(a.den_) * b.den_);
}

Beats operator-(const Beats& a, const Beats& b) {
  return Make(static_cast<__int128>(a.num_) * b.den_ - static_cast<__int128>(b.num_) * a.den_,
              static_cast<__int128>(a.den_) * b.den_);
}

Beats operator*(const Beats& a, int64_t k) {
  return Make(static_cast<__int128>(a.num_) * k, a.den_);
}

Beats operator*(const Beats& a, const Beats& b) {
  return Make(static_cast<__int128>(a.num_) * b.num_, static_cast<__int128>(a.den_) * b.den_);
}

int Compare(const Beats& a, const Beats& b) {
  const __int128 l = static_cast<__int128>(a.num_) * b.den_;
  const __int128 r = static_cast<__int128>(b.num_) * a.den_;
  return l < r ? -1 : (l > r ? 1 : 0);
}

std::string Beats::ToString() const {
  if (den_ == 1) return std::to_string(num_);
  // A short decimal exists when den divides 10^k, k <= 3: Parse reads no more digits
  // (1/400 stays "1/400", not "0.0025"; found by tests/fuzz).
  int64_t scale = 1;
  for (int k = 1; k <= 3; ++k) {
    scale *= 10;
    if (scale % den_ == 0) {
      const int64_t scaled = num_ * (scale / den_);
      const int64_t whole = scaled / scale;
      int64_t frac = scaled % scale;
      std::string text = (num_ < 0 && whole == 0) ? "-0" : std::to_string(whole);
      if (frac < 0) frac = -frac;
      std::string digits = std::to_string(frac);
      digits.insert(0, static_cast<size_t>(k) - digits.size(), '0');
      while (!digits.empty() && digits.back() == '0') digits.pop_back();
      return text + "." + digits;
    }
  }
  return std::to_string(num_) + "/" + std::to_string(den_);
}

std::optional<Beats> Beats::Parse(std::string_view text) {
  constexpr int64_t kMaxWhole = 10'000'000;
  constexpr int64_t kMaxDen = 1000;
  auto parse_int = [](std::string_view s, int64_t* out) {
    if (s.empty() || s.size() > 12 || s[0] < '0' || s[0] > '9') return false;
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, *out);
    return ec == std::errc() && ptr == end;
  };
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text[0] == '-' || text[0] == '+') return std::nullopt;
  int64_t num = 0, den = 1;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    if (!parse_int(text.substr(0, slash), &num) || !parse_int(text.substr(slash + 1), &den))
      return std::nullopt;
    if (den <= 0 || den > kMaxDen) return std::nullopt;
  } else if (const size_t dot = text.find('.'); dot != std::string_view::npos) {
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 3) return std::nullopt;
    int64_t w = 0, f = 0;
    if (!whole.empty() && !parse_int(whole, &w)) return std::nullopt;
    if (whole.empty() && frac.empty()) return std::nullopt;
    if (!parse_int(frac, &f)) return std::nullopt;
    den = 1;
    for (size_t i = 0; i < frac.size(); ++i) den *= 10;
    if (w > kMaxWhole) return std::nullopt;
    num = w * den + f;
  } else {
    if (!parse_int(text, &num)) return std::nullopt;
  }
  if (num / den > kMaxWhole) return std::nullopt;
  return Fraction(negative ? -num : num, den);
}

}  // namespace yangbot
