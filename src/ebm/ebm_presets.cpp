#include "ebmc/ebm/ebm_presets.h"

#include <map>

#include "ebmc/core/errors.h"
#include "ebmc/core/spec.h"
#include "ebmc/ebm/ebm_method.h"

namespace ebmc {

namespace {

using OptionMap = std::map<std::string, std::string>;

/// The preset's options of `method` (grenioux-2023 Tables 4, 5 and 7; C.2 in the text).
OptionMap method_options(const std::string& preset, const std::string& method, int64_t dim) {
  // The papers' tables set the sampling methods; other methods (sample-free ones) keep their own
  // defaults.
  if (method != "ula" && method != "flowmc" && method != "ntebm" && method != "coopflow") {
    return {};
  }
  if (preset == "c2") {
    // 10 MCMC steps, Langevin step 0.01; flowMC: 4 local, 2 i-SIR (32 particles), 4 local.
    if (method == "ula") return {{"step_size", "0.01"}, {"steps", "10"}};
    if (method == "flowmc") {
      return {{"first_local", "4"}, {"global_steps", "2"}, {"local_steps", "4"}, {"cycles", "1"},
              {"particles", "32"},  {"step_size", "0.01"}, {"flow_lr", "0.01"}};
    }
    if (method == "ntebm") return {{"steps", "10"}, {"flow_lr", "0.01"}};
    return {{"steps", "10"}, {"flow_lr", "0.01"}};
  }
  const bool high_dim = preset == "table7";
  if (method == "ula") {
    if (high_dim) return {{"step_size", "0.001"}, {"steps", "512"}, {"init", "gaussian"}};
    return {{"step_size", "0.0078125"}, {"steps", "512"}, {"init", "uniform"}};  // 0.125²/2
  }
  OptionMap flow = {{"flow_lr", method == "ntebm" ? "0.01" : "0.001"}};
  if (high_dim) {  // Table 6: 2 blocks, hidden width by dimension; 3 hidden layers
    flow["blocks"] = "2";
    flow["hidden"] = dim <= 16 ? "32" : dim <= 32 ? "39" : "51";
  }
  if (method == "ntebm") {
    flow["steps"] = "128";
    flow["target_accept"] = "0.75";
    return flow;
  }
  if (method == "coopflow") {
    flow["steps"] = "256";
    flow["step_size"] = high_dim ? "0.0001" : "0.0005";
    return flow;
  }
  // flowMC-EBM.
  flow["first_local"] = "0";
  flow["global_steps"] = "1";
  flow["negatives"] = "all";
  if (preset == "table4") {  // 1 global + 24 local, ~128 steps, all states
    flow["local_steps"] = "24";
    flow["cycles"] = "5";
    flow["particles"] = "64";
  } else if (preset == "table5") {  // 1 global + 127 local, subsampled 4 times
    flow["local_steps"] = "31";
    flow["cycles"] = "4";
    flow["particles"] = "64";
  } else {  // table7: 1 global + 8 local, 16 stacked steps
    flow["local_steps"] = "8";
    flow["cycles"] = "16";
    flow["particles"] = "128";
  }
  return flow;
}

}  // namespace

std::vector<std::string> ebm_preset_names() { return {"c2", "table4", "table5", "table7"}; }

EbmPreset ebm_preset(const std::string& name, const std::string& user_method, int64_t dim) {
  const Spec user = Spec::parse(user_method, "--method");
  const std::string method = user.name();
  if (ebm_method_factories().count(method) == 0) {
    throw InputError("unknown EBM method '" + method + "' (see `ebmc list`)", "--method");
  }
  EbmPreset preset;
  preset.name = name;
  if (name == "c2") {
    preset.trainer.batch(64).persistent(1024).learning_rate(1e-2);
    preset.data_size = 16384;
    preset.epochs = 75;
  } else if (name == "table4" || name == "table5") {
    preset.trainer.batch(256).persistent(8192).learning_rate(
        method == "ula" || method == "ntebm" ? 1e-2 : 1e-3);
    if (name == "table5" && method == "flowmc") preset.trainer.negative_chains(64);
    preset.data_size = 60000;
    preset.epochs = 100;
  } else if (name == "table7") {
    preset.trainer.batch(128).persistent(8192).learning_rate(
        method == "ula" || method == "ntebm" ? 1e-2 : 1e-3);
    if (method == "flowmc") preset.trainer.negative_chains(8);  // 16 stacked states each
    preset.data_size = 50000;
    preset.epochs = 150;
  } else {
    throw InputError("unknown preset '" + name + "' (c2, table4, table5 or table7)", "--preset");
  }
  OptionMap options = method_options(name, method, dim);
  // The user's options win, key by key.
  const std::string::size_type colon = user_method.find(':');
  if (colon != std::string::npos) {
    std::string rest = user_method.substr(colon + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t comma = rest.find(',', start);
      const std::string item =
          rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const size_t eq = item.find('=');
      if (eq != std::string::npos) options[item.substr(0, eq)] = item.substr(eq + 1);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  preset.method_spec = method;
  bool first = true;
  for (const auto& [key, value] : options) {
    preset.method_spec += (first ? ":" : ",") + key + "=" + value;
    first = false;
  }
  return preset;
}

}  // namespace ebmc
