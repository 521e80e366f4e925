#include "sim/xml.h"

#include <cctype>
#include <string>

#include "sim/error.h"

namespace yangbot {

const std::string* XmlElement::Find(std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string XmlElement::Get(std::string_view name, std::string_view fallback) const {
  const std::string* value = Find(name);
  return value ? *value : std::string(fallback);
}

void XmlElement::Set(std::string_view name, std::string value) {
  for (auto& [key, old] : attributes) {
    if (key == name) {
      old = std::move(value);
      return;
    }
  }
  attributes.emplace_back(std::string(name), std::move(value));
}

void XmlElement::Remove(std::string_view name) {
  std::erase_if(attributes, [&](const auto& kv) { return kv.first == name; });
}

XmlElement* XmlElement::Child(std::string_view name) {
  for (auto& child : children) {
    if (child.tag == name) return &child;
  }
  return nullptr;
}

const XmlElement* XmlElement::Child(std::string_view name) const {
  for (const auto& child : children) {
    if (child.tag == name) return &child;
  }
  return nullptr;
}

namespace {

// Recursive-descent reader over the whole text, tracking line and column.
class XmlReader {
 public:
  XmlReader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  XmlElement ReadDocument() {
    SkipMisc();
    if (AtEnd() || Peek() != '<') Fail("expected the root element");
    XmlElement root = ReadElement(0);
    SkipMisc();
    if (!AtEnd()) Fail("unexpected content after the root element");
    return root;
  }

 private:
  static constexpr int kMaxDepth = 200;

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool StartsWith(std::string_view s) const { return text_.substr(pos_).starts_with(s); }
  void Advance(size_t n = 1) {
    for (size_t i = 0; i < n && pos_ < text_.size(); ++i, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }
  [[noreturn]] void Fail(std::string_view message) const {
    throw Error(FormatFileError(file_, line_, column_, message));
  }
  void SkipSpace() {
    while (!AtEnd() && std::isspace(static_cast<unsigned char>(Peek()))) Advance();
  }
  void SkipUntil(std::string_view end, std::string_view what) {
    const size_t found = text_.find(end, pos_);
    if (found == std::string_view::npos) Fail(std::string("unterminated ") + std::string(what));
    Advance(found + end.size() - pos_);
  }
  // Skips whitespace, comments, processing instructions and a DOCTYPE.
  void SkipMisc() {
    for (;;) {
      SkipSpace();
      if (StartsWith("<!--")) {
        SkipUntil("-->", "comment");
      } else if (StartsWith("<?")) {
        SkipUntil("?>", "processing instruction");
      } else if (StartsWith("<!")) {
        SkipUntil(">", "declaration");
      } else {
        return;
      }
    }
  }
  static bool IsNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':';
  }
  std::string ReadName(std::string_view what) {
    const size_t start = pos_;
    while (!AtEnd() && IsNameChar(Peek())) Advance();
    if (pos_ == start) Fail(std::string("expected ") + std::string(what));
    return std::string(text_.substr(start, pos_ - start));
  }
  std::string Decode(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) Fail("unterminated character reference");
      const std::string_view entity = raw.substr(i + 1, semi - i - 1);
      if (entity == "lt") out += '<';
      else if (entity == "gt") out += '>';
      else if (entity == "amp") out += '&';
      else if (entity == "quot") out += '"';
      else if (entity == "apos") out += '\'';
      else if (entity.size() > 1 && entity[0] == '#') {
        long code = 0;
        try {
          code = entity[1] == 'x' ? std::stol(std::string(entity.substr(2)), nullptr, 16)
                                  : std::stol(std::string(entity.substr(1)));
        } catch (...) {
          Fail("bad character reference");
        }
        if (code <= 0 || code > 127) Fail("only ASCII character references are supported");
        out += static_cast<char>(code);
      } else {
        Fail("unknown entity '&" + std::string(entity) + ";'");
      }
      i = semi;
    }
    return out;
  }

  XmlElement ReadElement(int depth) {
    if (depth > kMaxDepth) Fail("elements nested too deeply");
    XmlElement element;
    element.line = line_;
    element.column = column_;
    Advance();  // '<'
    element.tag = ReadName("an element name");
    for (;;) {
      SkipSpace();
      if (AtEnd()) Fail("unterminated element <" + element.tag + ">");
      if (StartsWith("/>")) {
        Advance(2);
        return element;
      }
      if (Peek() == '>') {
        Advance();
        break;
      }
      const std::string name = ReadName("an attribute name");
      SkipSpace();
      if (Peek() != '=') Fail("expected '=' after attribute '" + name + "'");
      Advance();
      SkipSpace();
      const char quote = Peek();
      if (quote != '"' && quote != '\'') Fail("expected a quoted value for '" + name + "'");
      Advance();
      const size_t end = text_.find(quote, pos_);
      if (end == std::string_view::npos) Fail("unterminated value for '" + name + "'");
      std::string value = Decode(text_.substr(pos_, end - pos_));
      Advance(end - pos_ + 1);
      if (element.Find(name)) Fail("duplicate attribute '" + name + "'");
      element.attributes.emplace_back(name, std::move(value));
    }
    // Content: text, children, comments, up to the matching end tag.
    std::string text;
    for (;;) {
      if (AtEnd()) Fail("missing </" + element.tag + ">");
      if (StartsWith("<!--")) {
        SkipUntil("-->", "comment");
      } else if (StartsWith("<![CDATA[")) {
        Fail("CDATA sections are not supported");
      } else if (StartsWith("</")) {
        const int tag_line = line_, tag_column = column_;
        Advance(2);
        const std::string name = ReadName("an end tag name");
        if (name != element.tag) {
          line_ = tag_line;
          column_ = tag_column;
          Fail("expected </" + element.tag + ">, found </" + name + ">");
        }
        SkipSpace();
        if (Peek() != '>') Fail("expected '>'");
        Advance();
        break;
      } else if (Peek() == '<') {
        element.children.push_back(ReadElement(depth + 1));
      } else {
        const size_t start = pos_;
        while (!AtEnd() && Peek() != '<') Advance();
        text += Decode(text_.substr(start, pos_ - start));
      }
    }
    const size_t first = text.find_first_not_of(" \t\r\n");
    const size_t last = text.find_last_not_of(" \t\r\n");
    if (first != std::string::npos) element.text = text.substr(first, last - first + 1);
    return element;
  }

  std::string_view text_;
  std::string_view file_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

std::string Escape(std::string_view value) {
  std::string out;
  for (const char c : value) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void WriteElement(const XmlElement& e, int indent, std::string* out) {
  const std::string pad(2 * indent, ' ');
  *out += pad + "<" + e.tag;
  for (const auto& [key, value] : e.attributes) *out += " " + key + "=\"" + Escape(value) + "\"";
  if (e.children.empty() && e.text.empty()) {
    *out += "/>\n";
    return;
  }
  *out += ">";
  if (!e.text.empty()) *out += Escape(e.text);
  if (!e.children.empty()) {
    *out += "\n";
    for (const auto& child : e.children) WriteElement(child, indent + 1, out);
    *out += pad;
  }
  *out += "</" + e.tag + ">\n";
}

}  // namespace

XmlElement ParseXml(std::string_view text, std::string_view file_name) {
  return XmlReader(text, file_name).ReadDocument();
}

std::string WriteXml(const XmlElement& root) {
  std::string out;
  WriteElement(root, 0, &out);
  return out;
}

}  // namespace yangbot
