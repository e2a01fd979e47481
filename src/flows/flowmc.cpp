#include "ebmc/flows/flowmc.h"

#include <deque>

#include "ebmc/adaptation/windowed_adaptation.h"
#include "ebmc/core/errors.h"
#include "ebmc/flows/flow_trainer.h"
#include "ebmc/flows/independent_mh.h"
#include "ebmc/flows/isir.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void FlowMcOptions::validate() const {
  check_at_least(particles(), 1, "flowmc", "particles");
  check_at_least(global_steps(), 0, "flowmc", "global_steps");
  check_at_least(local_steps(), 0, "flowmc", "local_steps");
  if (global_steps() + local_steps() < 1) {
    throw InputError("needs global_steps + local_steps >= 1", "flowmc:local_steps");
  }
  check_step_size(step_size(), "flowmc:step_size");
  if (!(target_accept() > 0 && target_accept() < 1)) {
    throw InputError("target_accept must be in (0, 1)", "flowmc:target_accept");
  }
  if (!(flow_lr() > 0 && std::isfinite(flow_lr()))) {
    throw InputError("flow_lr must be finite and > 0", "flowmc:flow_lr");
  }
  check_at_least(flow_window(), 1, "flowmc", "flow_window");
  flow().validate();
}

FlowMc::FlowMc(FlowMcOptions options, std::shared_ptr<Flow> flow)
    : FlowKernel((options.validate(), options.flow()), std::move(flow)),
      options_(std::move(options)) {
  if (options_.global() == "imh") {
    global_ = std::make_shared<IndependentMh>(IndependentMhOptions().flow(options_.flow()));
  } else {
    global_ =
        std::make_shared<Isir>(IsirOptions().particles(options_.particles()).flow(options_.flow()));
  }
  MalaOptions local;
  local.step_size(options_.step_size());
  local_ = std::make_shared<Mala>(local);
}

State FlowMc::init(const Target& target, const torch::Tensor& x0) {
  State state = bind_flow_and_evaluate(target, x0, /*with_gradient=*/true);
  global_->set_flow(flow());
  global_->init(target, state.x);
  local_->init(target, state.x);
  return state;
}

Info FlowMc::step(State& state, Rng& rng) {
  global_->set_flow(flow());  // a trainer may have swapped it
  const int64_t chains = state.chains();
  std::vector<torch::Tensor> visited;
  Info info;
  torch::Tensor global_accept = torch::zeros({chains}, torch::kFloat64);
  torch::Tensor moved = torch::zeros({chains}, torch::kBool);
  if (options_.global_steps() > 0) {
    State global{state.x, state.energy, {}};
    for (int64_t g = 0; g < options_.global_steps(); ++g) {
      Info step = global_->step(global, rng);
      global_accept += step.accept_prob;
      moved |= step.accepted;
      info.energy_evals += step.energy_evals;
      info.nonfinite += step.nonfinite;
    }
    global_accept /= static_cast<double>(options_.global_steps());
    const torch::Tensor rows = moved.nonzero().squeeze(1);
    if (rows.numel() > 0) {
      // ∇U only where a global move landed (a chain's draws must not depend on the others).
      EnergyAndGrad at = target().energy_and_grad(global.x.index_select(0, rows));
      state.x = global.x;
      state.energy = state.energy.index_copy(0, rows, at.energy);
      state.grad = state.grad.index_copy(0, rows, at.grad);
      info.gradient_evals += rows.numel();
      info.energy_evals += rows.numel();
    }
    if (record_visited_) visited.push_back(state.x);
  }
  torch::Tensor local_accept = torch::zeros({chains}, torch::kFloat64);
  torch::Tensor accepted = moved.clone();
  for (int64_t l = 0; l < options_.local_steps(); ++l) {
    Info step = local_->step(state, rng);
    local_accept += step.accept_prob;
    accepted |= step.accepted;
    info.energy_evals += step.energy_evals;
    info.gradient_evals += step.gradient_evals;
    info.nonfinite += step.nonfinite;
    if (record_visited_) visited.push_back(state.x);
  }
  info.accept_prob = options_.local_steps() > 0
                         ? local_accept / static_cast<double>(options_.local_steps())
                         : global_accept;
  info.accepted = accepted;
  info.add_stat("global_accept__", global_accept);
  info.add_stat("stepsize__", local_->current_tuning().step_size);
  if (record_visited_) visited_ = torch::cat(visited, 0);
  return info;
}

FlowMcAdaptation::FlowMcAdaptation(std::shared_ptr<FlowMc> kernel) : kernel_(std::move(kernel)) {}

std::optional<double> FlowMcAdaptation::target_accept() const {
  if (!kernel_->options().adapt() || kernel_->options().local_steps() == 0) return std::nullopt;
  return kernel_->options().target_accept();
}

Tuning FlowMcAdaptation::run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) {
  const FlowMcOptions& options = kernel_->options();
  const bool adapt_step = target_accept().has_value();
  Mala& local = kernel_->local();
  DualAveraging averaging(DualAveragingOptions().target_accept(options.target_accept()));
  if (adapt_step && warmup > 0) {
    find_reasonable_step_size(local, state, rng);
    averaging.restart(local.current_tuning().step_size);
  }
  std::shared_ptr<Flow> flow = kernel_->flow();
  std::unique_ptr<torch::optim::Adam> optimizer;
  if (options.adapt_flow()) {
    optimizer = std::make_unique<torch::optim::Adam>(flow->parameters(),
                                                     torch::optim::AdamOptions(options.flow_lr()));
  }
  kernel_->record_visited(options.adapt_flow());
  std::deque<torch::Tensor> window;
  const std::vector<torch::Tensor> parameters = flow->parameters();
  for (int64_t it = 0; it < warmup; ++it) {
    Info info = step(state);
    if (adapt_step) {
      Tuning tuning = local.current_tuning();
      tuning.step_size = averaging.update(info.accept_prob);
      local.update_tuning(tuning);
    }
    if (optimizer) {
      window.push_back(kernel_->visited());
      if (static_cast<int64_t>(window.size()) > options.flow_window()) window.pop_front();
      const torch::Tensor states =
          torch::cat(std::vector<torch::Tensor>(window.begin(), window.end()));
      torch::AutoGradMode enable(true);  // the run itself needs no gradients
      optimizer->zero_grad();
      torch::Tensor loss = forward_kl_loss(*flow, states);
      loss.backward();
      step_if_finite(*optimizer, parameters, loss.item<double>(), 10.0);
    }
  }
  kernel_->record_visited(false);
  if (adapt_step && warmup > 0) {
    Tuning tuning = local.current_tuning();
    tuning.step_size = averaging.final_step_size();
    local.update_tuning(tuning);
  }
  return local.current_tuning();
}

EBMC_REGISTER(register_sampler<FlowMcOptions>(
    "flowmc", "flowMC: flow global moves (i-SIR or IMH) + MALA, flow fitted in warmup",
    [](const FlowMcOptions& o) {
      auto kernel = std::make_shared<FlowMc>(o);
      std::shared_ptr<Adaptation> adaptation;
      if (o.adapt() || o.adapt_flow()) adaptation = std::make_shared<FlowMcAdaptation>(kernel);
      return Sampler{kernel, adaptation};
    }));

}  // namespace ebmc
