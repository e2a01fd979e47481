#include "ebmc/io/model_archive.h"

#include <filesystem>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/io/atomic_file.h"

namespace ebmc {

void save_model_archive(const std::string& path, const nlohmann::json& meta,
                        torch::nn::Module& module, const std::string& key,
                        const ArchiveExtra& extra) {
  torch::serialize::OutputArchive archive;
  archive.write("meta", c10::IValue(meta.dump()));
  torch::serialize::OutputArchive parameters;
  module.save(parameters);
  archive.write(key, parameters);
  if (extra) extra(archive);
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomically(path, bytes.str());
}

nlohmann::json load_model_archive(const std::string& path, torch::serialize::InputArchive& archive,
                                  const std::string& format, int version, const std::string& what) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(what + " not found", path);
  nlohmann::json meta;
  try {
    archive.load_from(path);
    c10::IValue text;
    archive.read("meta", text);
    meta = nlohmann::json::parse(text.toStringRef());
  } catch (const std::exception&) {
    throw InputError("not an ebmc " + what + " (unreadable or corrupt)", path);
  }
  if (meta.value("format", "") != format || meta.value("version", 0) != version) {
    throw InputError("not an ebmc " + what + " of version " + std::to_string(version), path);
  }
  return meta;
}

}  // namespace ebmc
