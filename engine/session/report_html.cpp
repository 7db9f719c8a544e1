#include "session/report_html.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/viridis.h"

namespace attn::session {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Text
//-----------------------------------------------------------------------------

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Markdown text → HTML text. The report's writer turned '<' into "&lt;" and line breaks in
// table cells into "<br>", and escaped '|' as "\|"; those are read back, then everything is
// escaped for HTML, and "**" pairs become <strong>.
std::string Inline(std::string_view md) {
  std::string out;
  bool bold = false;
  for (size_t i = 0; i < md.size(); ++i) {
    const std::string_view rest = md.substr(i);
    if (StartsWith(rest, "<br>")) { out += "<br>"; i += 3; continue; }
    if (StartsWith(rest, "&lt;")) { out += "&lt;"; i += 3; continue; }
    if (StartsWith(rest, "\\|")) { out += '|'; i += 1; continue; }
    if (StartsWith(rest, "**") && (bold || rest.find("**", 2) != std::string_view::npos)) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      i += 1;
      continue;
    }
    switch (md[i]) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += md[i];
    }
  }
  if (bold) out += "</strong>";
  return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Tables
//-----------------------------------------------------------------------------

// The cells of "| a | b\| c |": split on '|' not preceded by '\', trimmed.
std::vector<std::string> Cells(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  size_t i = line.find('|');
  if (i == std::string_view::npos) return cells;
  for (++i; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') { cell += "\\|"; ++i; continue; }
    if (line[i] == '|') {
      const size_t a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
      cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
      cell.clear();
      continue;
    }
    cell += line[i];
  }
  return cells;
}

bool IsRule(std::string_view line) {  // |---|---:|
  if (!StartsWith(line, "|")) return false;
  for (char c : line)
    if (c != '|' && c != '-' && c != ':' && c != ' ') return false;
  return line.find('-') != std::string_view::npos;
}

// A weight the figures colour: a plain decimal in [0, 1] ("0.412", "1.000").
bool Weight(const std::string& cell, float* v) {
  if (cell.empty() || cell.find('.') == std::string::npos) return false;
  char* end = nullptr;
  const double d = std::strtod(cell.c_str(), &end);
  if (*end != '\0' || !(d >= 0.0 && d <= 1.0)) return false;
  *v = static_cast<float>(d);
  return true;
}

std::string Table(const std::vector<std::string_view>& lines) {
  std::vector<bool> right;  // from the rule line: "---:" is right-aligned
  for (const std::string& c : Cells(lines.size() > 1 ? lines[1] : std::string_view{})) right.push_back(!c.empty() && c.back() == ':');
  std::string html = "<table>\n";
  for (size_t r = 0; r < lines.size(); ++r) {
    if (r == 1 && IsRule(lines[r])) continue;
    const std::vector<std::string> cells = Cells(lines[r]);
    const char* tag = r == 0 ? "th" : "td";
    html += "<tr>";
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string attrs;
      float w = 0;
      if (r > 0 && Weight(cells[c], &w)) {
        const Rgb bg = ViridisRgb(w), fg = TextOn(bg);
        char style[96];
        std::snprintf(style, sizeof style, " class=\"w\" style=\"background:#%02x%02x%02x;color:#%02x%02x%02x\"", bg.r,
                      bg.g, bg.b, fg.r, fg.g, fg.b);
        attrs = style;
      } else if (c < right.size() && right[c]) {
        attrs = " class=\"r\"";
      }
      html += std::string("<") + tag + attrs + ">" + Inline(cells[c]) + "</" + tag + ">";
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The page
//-----------------------------------------------------------------------------

std::string ReportHtml(std::string_view markdown, std::string_view title, std::string_view lang) {
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= markdown.size();) {
    const size_t nl = markdown.find('\n', at);
    const size_t end = nl == std::string_view::npos ? markdown.size() : nl;
    lines.push_back(markdown.substr(at, end - at));
    at = end + 1;
  }
  std::string body;
  for (size_t i = 0; i < lines.size();) {
    const std::string_view line = lines[i];
    if (line.empty()) { ++i; continue; }
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
    if (level >= 1 && level <= 4 && level < static_cast<int>(line.size()) && line[level] == ' ') {
      const std::string h = "h" + std::to_string(level);
      body += "<" + h + ">" + Inline(line.substr(level + 1)) + "</" + h + ">\n";
      ++i;
    } else if (StartsWith(line, ">")) {  // one quote: consecutive "> " lines, joined by breaks
      body += "<blockquote>";
      for (bool first = true; i < lines.size() && StartsWith(lines[i], ">"); ++i, first = false)
        body += (first ? "" : "<br>") + Inline(lines[i].substr(StartsWith(lines[i], "> ") ? 2 : 1));
      body += "</blockquote>\n";
    } else if (StartsWith(line, "|")) {
      std::vector<std::string_view> rows;
      for (; i < lines.size() && StartsWith(lines[i], "|"); ++i) rows.push_back(lines[i]);
      body += Table(rows);
    } else if (StartsWith(line, "- ")) {
      body += "<ul>";
      for (; i < lines.size() && StartsWith(lines[i], "- "); ++i) body += "<li>" + Inline(lines[i].substr(2)) + "</li>";
      body += "</ul>\n";
    } else {
      body += "<p>" + Inline(line) + "</p>\n";
      ++i;
    }
  }
  return "<!DOCTYPE html>\n<html lang=\"" + Inline(lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + Inline(title) +
         "</title>\n<style>\n"
         "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
         "max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1c1c1c;background:#fff}\n"
         "h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3,h4{margin-top:1.4rem}\n"
         "blockquote{margin:.5rem 0;padding:.4rem .8rem;border-left:4px solid #3b6bb5;background:#f3f6fb}\n"
         "table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d0d0;padding:.2rem .45rem}\n"
         "th{background:#f0f0f0}td.r,td.w{text-align:right;font-variant-numeric:tabular-nums}\n"
         "@media print{body{margin:0}td.w{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
         "</style>\n</head>\n<body>\n" +
         body + "</body>\n</html>\n";
}

}  // namespace attn::session
