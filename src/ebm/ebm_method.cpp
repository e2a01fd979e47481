#include "ebmc/ebm/ebm_method.h"

#include <stdexcept>

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor SampleFreeMethod::initialize(const EbmContext& context, int64_t persistent, Rng&) {
  return torch::zeros({persistent, context.dim}, torch::kFloat64);
}

NegativeBatch SampleFreeMethod::negatives(const EbmTarget&, torch::Tensor&, int64_t, int64_t,
                                          Rng&) {
  throw std::logic_error(name() + " is sample-free: it draws no negatives");
}

std::map<std::string, EbmMethodFactory>& ebm_method_factories() {
  static std::map<std::string, EbmMethodFactory> table;
  return table;
}

std::shared_ptr<EbmMethod> make_ebm_method(const std::string& text) {
  Spec spec = Spec::parse(text, "--method");
  const EbmMethodFactory& factory =
      find_factory(ebm_method_factories(), spec, ComponentKind::kEbmMethod, "--method");
  const nlohmann::json options = factory.options_from_spec(spec);
  spec.reject_unused();
  return build_naming_origin(spec, "--method", [&] { return factory.make(options); });
}

std::shared_ptr<EbmMethod> make_ebm_method(const std::string& name, const nlohmann::json& options) {
  auto it = ebm_method_factories().find(name);
  if (it == ebm_method_factories().end()) {
    throw InputError("unknown EBM method '" + name + "'", "--method");
  }
  return it->second.make(options);
}

}  // namespace ebmc
