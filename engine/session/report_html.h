// The student's report as one self-contained HTML page (no scripts, no links, no files beside
// it): what ReportMarkdown writes, laid out for reading and printing, with the pinned attention
// matrices as heat maps — every number in [0, 1] in a table gets its viridis colour, as in the
// app's figures. Mail it, open it offline, print it to PDF.
//
// It reads the Markdown the report writes (report.h), not Markdown in general:
//   # … ####       headings            > …     a quote (the student's answers and notes)
//   **…**          bold, anywhere      - …     a list item
//   | a | b |      a table (its second line |---|---:| sets the alignment; \| is a "|" and
//                  <br> a line break inside a cell)        other lines: paragraphs
// Everything else is text: the student's "<script>" is shown, never run.
#pragma once
#include <string>
#include <string_view>

namespace attn::session {

// `lang`: the page's language ("zh-CN", "en"); `title`: the browser tab's title.
std::string ReportHtml(std::string_view markdown, std::string_view title, std::string_view lang);

}  // namespace attn::session
