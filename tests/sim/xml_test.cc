#include "sim/xml.h"

#include <gtest/gtest.h>

#include "sim/error.h"

namespace yangbot {
namespace {

TEST(XmlTest, ParsesElementsAttributesAndText) {
  const XmlElement root = ParseXml(
      "<?xml version=\"1.0\"?>\n<!-- c -->\n<a x=\"1\" y='two'><b/><c>hi &amp; bye</c></a>", "t.xml");
  EXPECT_EQ(root.tag, "a");
  EXPECT_EQ(root.Get("x"), "1");
  EXPECT_EQ(root.Get("y"), "two");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1].text, "hi & bye");
  EXPECT_EQ(root.line, 3);
}

TEST(XmlTest, WriteThenParseRoundTrips) {
  const XmlElement root = ParseXml("<a q=\"&quot;&lt;\"><b n=\"1\"><c/></b></a>", "t.xml");
  const std::string once = WriteXml(root);
  EXPECT_EQ(WriteXml(ParseXml(once, "t.xml")), once);
  EXPECT_EQ(ParseXml(once, "t.xml").Get("q"), "\"<");
}

TEST(XmlTest, ReportsErrorsWithLineAndColumn) {
  try {
    ParseXml("<a>\n  <b>\n</a>", "bad.xml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "bad.xml:3:1: error: expected </b>, found </a>");
  }
  EXPECT_THROW(ParseXml("<a x=1/>", "f"), Error);
  EXPECT_THROW(ParseXml("<a x=\"1\" x=\"2\"/>", "f"), Error);
  EXPECT_THROW(ParseXml("<a>", "f"), Error);
  EXPECT_THROW(ParseXml("<a/><b/>", "f"), Error);
  EXPECT_THROW(ParseXml("", "f"), Error);
}

TEST(XmlTest, RejectsPathologicalNesting) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "<a>";
  EXPECT_THROW(ParseXml(deep, "deep.xml"), Error);
}

}  // namespace
}  // namespace yangbot
