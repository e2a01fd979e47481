#pragma once
/// @file model_archive.h
/// The file format every ebmc model shares (learned kernels, flows, EBMs): a torch::serialize
/// archive with a JSON `meta` string (format, version, kind, options …), the module's
/// parameters under one key and whatever a trainer adds (its resumable state), written
/// atomically.

#include <torch/torch.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace ebmc {

/// What a trainer adds to a model file (optimizer, chains, random state …).
using ArchiveExtra = std::function<void(torch::serialize::OutputArchive&)>;

/// Writes `meta`, `module`'s parameters under `key` and what `extra` writes to `path`
/// atomically.
void save_model_archive(const std::string& path, const nlohmann::json& meta,
                        torch::nn::Module& module, const std::string& key,
                        const ArchiveExtra& extra = nullptr);

/// Reads `path` into `archive` and returns its `meta`, checked to have `format` and `version`.
/// Throws InputError naming the file: "`what` not found", "not an ebmc `what` (unreadable or
/// corrupt)", "not an ebmc `what` of version N".
nlohmann::json load_model_archive(const std::string& path, torch::serialize::InputArchive& archive,
                                  const std::string& format, int version, const std::string& what);

}  // namespace ebmc
