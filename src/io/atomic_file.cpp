#include "ebmc/io/atomic_file.h"

#include <cstdio>
#include <fstream>

#include "ebmc/core/errors.h"

namespace ebmc {

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc | std::ios::binary);
    out << content;
    out.flush();
    if (!out) throw InputError("cannot write file", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw InputError("cannot rename " + temporary + " to " + path, path);
  }
}

}  // namespace ebmc
