#pragma once
/// @file atomic_file.h
/// Writing files so that readers see either the old or the complete new content.

#include <string>

namespace ebmc {

/// Writes `content` to `path.tmp`, then renames it over `path`. Throws InputError if the file
/// cannot be written.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace ebmc
