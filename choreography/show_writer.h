// Show -> canonical YAML text. The same Show always gives the same bytes; keys come in
// a fixed order, numbers in their shortest exact form, units as written, and every
// comment a person wrote comes back on the element it was on. Reading the text back
// (show_parser.h) gives a Show that writes the same bytes.
#ifndef YANGBOT_CHOREOGRAPHY_SHOW_WRITER_H_
#define YANGBOT_CHOREOGRAPHY_SHOW_WRITER_H_

#include <string>
#include <string_view>

#include "choreography/show.h"

namespace yangbot {

/// The canonical text of a show (UTF-8, '\n' line ends, ending in one '\n').
std::string WriteShow(const Show& show);

/// A YAML scalar for `text`: plain when that reads back as the same string, else
/// double-quoted with escapes.
std::string YamlScalar(std::string_view text);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SHOW_WRITER_H_
