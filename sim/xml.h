// A small XML document model for MJCF: enough to read a robot file, rename and
// place its contents, and write the scene back out. It keeps element order,
// attribute order and source positions (for error messages). Comments and
// processing instructions are dropped; CDATA and DOCTYPE are not supported.
#ifndef YANGBOT_SIM_XML_H_
#define YANGBOT_SIM_XML_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yangbot {

/// One XML element with its attributes, text and children.
struct XmlElement {
  std::string tag;                                               ///< element name
  std::vector<std::pair<std::string, std::string>> attributes;  ///< in source order
  std::string text;                                              ///< character data, trimmed
  std::vector<XmlElement> children;                              ///< in source order
  int line = 0;                                                  ///< 1-based source line
  int column = 0;                                                ///< 1-based source column

  /// Returns the attribute's value, or nullptr when absent.
  const std::string* Find(std::string_view name) const;
  /// Returns the attribute's value, or `fallback` when absent.
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  /// Sets (adds or replaces) an attribute.
  void Set(std::string_view name, std::string value);
  /// Removes an attribute if present.
  void Remove(std::string_view name);
  /// Returns the first child with this tag, or nullptr.
  XmlElement* Child(std::string_view tag);
  /// Returns the first child with this tag, or nullptr.
  const XmlElement* Child(std::string_view tag) const;
};

/// Parses an XML document; throws yangbot::Error "file:line:col: error: ..." on bad input.
XmlElement ParseXml(std::string_view text, std::string_view file_name);

/// Writes an element tree as indented XML (2 spaces), with escaped attribute values.
std::string WriteXml(const XmlElement& root);

}  // namespace yangbot

#endif  // YANGBOT_SIM_XML_H_
