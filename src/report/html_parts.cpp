#include "ebmc/report/html_parts.h"

#include <cmath>
#include <sstream>

namespace ebmc {

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A gnuplot string literal (single quotes doubled).
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

const char* kStyle = R"(<style>
body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1250px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:0.9em}td,th{padding:2px 8px;text-align:right;
border-bottom:1px solid #eee}td:first-child,th:first-child{text-align:left}
.bad{color:#b00;font-weight:bold}.warn li{color:#8a4b00}.grid{display:flex;flex-wrap:wrap;gap:8px}
figure{margin:0}figcaption{font-size:0.8em;color:#666}.run{font-size:0.9em;color:#444}
</style>)";

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         escape_html(title) + "</title>" + kStyle + "</head><body>\n" + body + "</body></html>\n";
}

std::string figures_html(const std::vector<GnuplotFigure>& figures, int width, int height) {
  const std::vector<std::string> svgs = render_svgs(figures, width, height);
  std::string html = "<div class=grid>\n";
  for (size_t k = 0; k < figures.size(); ++k) {
    html += "<figure class=plot>" + svgs[k] + "<figcaption>" + escape_html(figures[k].title) +
            "</figcaption></figure>\n";
  }
  return html + "</div>\n";
}

}  // namespace ebmc
