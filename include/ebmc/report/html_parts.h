#pragma once
/// @file html_parts.h
/// The building blocks of ebmc's self-contained HTML reports: escaping, numbers for gnuplot data
/// blocks, the page frame with its style sheet, and a grid of gnuplot figures as inline SVG.

#include <cstdint>
#include <string>
#include <vector>

#include "ebmc/report/gnuplot.h"

namespace ebmc {

/// `text` with <, >, & and " escaped for HTML.
std::string escape_html(const std::string& text);
/// A gnuplot string literal (single quotes doubled).
std::string quoted(const std::string& text);
/// `value` with 10 significant digits (NaN as `NaN`), for gnuplot data blocks.
std::string number(double value);
/// A complete HTML page with ebmc's style sheet around `body`.
std::string page(const std::string& title, const std::string& body);
/// The figures rendered by one gnuplot run, as a flex grid of <figure class=plot> elements.
std::string figures_html(const std::vector<GnuplotFigure>& figures, int width, int height);

/// One figure per curve of a training log (every column but `iteration`, `seconds` and
/// `skipped`, against `iteration`); `rows_read` gets the number of rows. Throws InputError for a
/// file that is not a training log.
std::vector<GnuplotFigure> training_figures(const std::string& log_path, int64_t* rows_read);

}  // namespace ebmc
