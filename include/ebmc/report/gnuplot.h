#pragma once
/// @file gnuplot.h
/// Plots drawn by gnuplot (Debian's gnuplot-nox), run as a separate program, as SVG text.
///
/// ebmc draws no pixels itself: a script with inline data blocks goes to gnuplot, which writes
/// one SVG per plot; the SVGs are embedded in the HTML report, so it works offline.

#include <string>
#include <vector>

namespace ebmc {

/// One plot: gnuplot commands (after the terminal is set) and the data blocks they use.
struct GnuplotFigure {
  std::string title;                                        ///< caption in the report
  std::vector<std::pair<std::string, std::string>> blocks;  ///< name (without `$`), rows
  std::string commands;  ///< e.g. "plot $trace using 1:2 with lines"
};

/// The gnuplot program to run: $EBMC_GNUPLOT, else `gnuplot` on the PATH.
std::string gnuplot_program();

/// Whether gnuplot can be run (for work that plots when it can).
bool gnuplot_available();

/// Throws InputError naming `where` when gnuplot cannot be run (before any long work).
void require_gnuplot(const std::string& where);

/// Renders every figure with one gnuplot run; returns one `<svg …>…</svg>` per figure. Throws
/// RunFailed with gnuplot's message when it fails.
std::vector<std::string> render_svgs(const std::vector<GnuplotFigure>& figures, int width,
                                     int height);

}  // namespace ebmc
