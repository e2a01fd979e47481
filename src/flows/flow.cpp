#include "ebmc/flows/flow.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/io/model_archive.h"

namespace ebmc {

namespace {

constexpr const char* kFlowFormat = "ebmc-flow";
constexpr int kFlowFormatVersion = 1;

}  // namespace

Flow::Flow(int64_t dim, double base_scale) : dim_(dim), base_scale_(base_scale) {
  if (dim < 1) throw InputError("flow dimension must be >= 1", "flow");
  if (!(base_scale > 0 && std::isfinite(base_scale))) {
    throw InputError("base_scale must be finite and > 0", "flow:base_scale");
  }
}

torch::Tensor Flow::base_log_prob(const torch::Tensor& z) const {
  const double d = static_cast<double>(dim_);
  return -0.5 * z.pow(2).sum(1) / (base_scale_ * base_scale_) - d * std::log(base_scale_) -
         0.5 * d * std::log(2.0 * M_PI);
}

torch::Tensor Flow::log_prob(const torch::Tensor& x) {
  FlowMap inverse = inverse_map(x);
  return base_log_prob(inverse.value) + inverse.log_det;
}

FlowSample Flow::push_forward(const torch::Tensor& xi) {
  const torch::Tensor z = base_scale_ * xi;
  FlowMap forward = forward_map(z);
  return {forward.value, base_log_prob(z) - forward.log_det};
}

FlowSample Flow::sample(int64_t rows, Rng& rng) { return push_forward(rng.normal({rows, dim_})); }

FlowSample Flow::sample_per_chain(int64_t chains, int64_t per_chain, Rng& rng) {
  return push_forward(rng.normal({chains, per_chain, dim_}).reshape({chains * per_chain, dim_}));
}

std::map<std::string, FlowFactory>& flow_factories() {
  static std::map<std::string, FlowFactory> table;
  return table;
}

std::shared_ptr<Flow> make_flow(const std::string& spec_text, int64_t dim, Rng& rng,
                                const std::string& origin) {
  Spec spec = Spec::parse(spec_text, origin);
  const FlowFactory& factory = find_factory(flow_factories(), spec, ComponentKind::kFlow, origin);
  const nlohmann::json options = factory.options_from_spec(spec);
  spec.reject_unused();
  return build_naming_origin(spec, origin, [&] { return factory.make(options, dim, rng); });
}

void save_flow(const std::string& path, Flow& flow,
               const std::function<void(torch::serialize::OutputArchive&)>& extra) {
  const nlohmann::json meta = {
      {"format", kFlowFormat}, {"version", kFlowFormatVersion},  {"kind", flow.name()},
      {"dim", flow.dim()},     {"options", flow.options_json()}, {"fitted_to", flow.fitted_to()}};
  save_model_archive(path, meta, flow, "flow", extra);
}

std::shared_ptr<Flow> load_flow(const std::string& path, torch::serialize::InputArchive& archive) {
  const nlohmann::json meta =
      load_model_archive(path, archive, kFlowFormat, kFlowFormatVersion, "flow file");
  std::shared_ptr<Flow> flow;
  try {
    auto it = flow_factories().find(meta.at("kind").get<std::string>());
    if (it == flow_factories().end()) throw InputError("unknown flow kind", "kind");
    Rng unused(0);  // every parameter is overwritten by the file
    flow = it->second.make(meta.at("options"), meta.at("dim").get<int64_t>(), unused);
    torch::serialize::InputArchive model;
    archive.read("flow", model);
    flow->load(model);
    flow->set_fitted_to(meta.value("fitted_to", ""));
  } catch (const InputError& e) {
    throw InputError(std::string("invalid flow: ") + e.what(), path);
  } catch (const std::exception&) {
    throw InputError("flow parameters do not match its options (corrupt file?)", path);
  }
  return flow;
}

std::shared_ptr<Flow> load_flow(const std::string& path) {
  torch::serialize::InputArchive archive;
  return load_flow(path, archive);
}

std::shared_ptr<Flow> load_flow_for(const std::string& path, int64_t dim,
                                    const std::string& origin) {
  std::shared_ptr<Flow> flow = load_flow(path);
  if (flow->dim() != dim) {
    throw InputError("flow " + path + " has dimension " + std::to_string(flow->dim()) +
                         ", the target " + std::to_string(dim),
                     origin);
  }
  return flow;
}

}  // namespace ebmc
