#include "ebmc/ebm/ebm_method.h"

#include "ebmc/core/errors.h"

namespace ebmc {

std::map<std::string, EbmMethodFactory>& ebm_method_factories() {
  static std::map<std::string, EbmMethodFactory> table;
  return table;
}

std::shared_ptr<EbmMethod> make_ebm_method(const std::string& text) {
  Spec spec = Spec::parse(text, "--method");
  auto it = ebm_method_factories().find(spec.name());
  if (it == ebm_method_factories().end()) {
    throw InputError("unknown EBM method '" + spec.name() + "' (see `ebmc list`)", "--method");
  }
  const nlohmann::json options = it->second.options_from_spec(spec);
  spec.reject_unused();
  try {
    return it->second.make(options);
  } catch (const InputError& e) {
    // `validate()` names `name:key` (or `method:key` for shared options).
    std::string where = e.where();
    if (where.rfind("method:", 0) == 0) where.replace(0, 6, spec.name());
    if (where.rfind(spec.name() + ":", 0) != 0) throw;
    throw InputError(e.what(), "--method " + where);
  }
}

std::shared_ptr<EbmMethod> make_ebm_method(const std::string& name, const nlohmann::json& options) {
  auto it = ebm_method_factories().find(name);
  if (it == ebm_method_factories().end()) {
    throw InputError("unknown EBM method '" + name + "'", "--method");
  }
  return it->second.make(options);
}

}  // namespace ebmc
