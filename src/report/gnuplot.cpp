#include "ebmc/report/gnuplot.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/io/scratch_dir.h"

namespace ebmc {

namespace {

std::string read_whole(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string gnuplot_program() {
  const char* env = std::getenv("EBMC_GNUPLOT");
  return env != nullptr && *env != '\0' ? env : "gnuplot";
}

bool gnuplot_available() {
  const std::string command = shell_quote(gnuplot_program()) + " -e 'exit' > /dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

void require_gnuplot(const std::string& where) {
  if (!gnuplot_available()) {
    throw InputError("plots need gnuplot: install Debian's gnuplot-nox (or set EBMC_GNUPLOT)",
                     where);
  }
}

std::vector<std::string> render_svgs(const std::vector<GnuplotFigure>& figures, int width,
                                     int height) {
  ScratchDir scratch("ebmc-gnuplot", "report");
  std::ofstream script(scratch.file("report.gp"));
  script << "set terminal svg size " << width << "," << height
         << " font 'sans,10' background rgb 'white'\n"
         << "set encoding utf8\nset grid lc rgb '#dddddd'\nset key noenhanced\n"
         << "set border lc rgb '#555555'\n";
  for (size_t k = 0; k < figures.size(); ++k) {
    const GnuplotFigure& figure = figures[k];
    script << "reset session\n";  // (also forgets the previous figure's data blocks)
    for (const auto& [name, rows] : figure.blocks) {
      script << "$" << name << " << EOD\n" << rows << "EOD\n";
    }
    script << "set output '" << scratch.file("figure" + std::to_string(k) + ".svg") << "'\n"
           << "set grid lc rgb '#dddddd'\nset key noenhanced\nset title noenhanced\n"
           << figure.commands << "\nunset output\n";
  }
  script.close();
  const std::string command = shell_quote(gnuplot_program()) + " " +
                              shell_quote(scratch.file("report.gp")) + " > " +
                              shell_quote(scratch.file("gnuplot.log")) + " 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::string log = read_whole(scratch.file("gnuplot.log"));
    if (log.size() > 400) log = log.substr(0, 400) + "…";
    throw RunFailed("gnuplot failed: " + log, "report");
  }
  std::vector<std::string> svgs;
  for (size_t k = 0; k < figures.size(); ++k) {
    std::string svg = read_whole(scratch.file("figure" + std::to_string(k) + ".svg"));
    const size_t start = svg.find("<svg");
    if (start == std::string::npos)
      throw RunFailed("gnuplot wrote no SVG for " + figures[k].title, "report");
    svgs.push_back(svg.substr(start));
  }
  return svgs;
}

}  // namespace ebmc
