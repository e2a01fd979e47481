#pragma once
/// @file nce.h
/// Noise-contrastive estimation (Gutmann & Hyvärinen 2010) with a Gaussian fitted to the data as
/// the noise (grathwohl-2020 B.5): a sample-free EBM objective that also learns log Z.

#include <torch/torch.h>

#include "ebmc/ebm/ebm_method.h"

namespace ebmc {

/// Options of `nce`.
struct NceOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("noise_ratio", noise_ratio(), "noise draws per data point, nu");
  }
  TORCH_ARG(double, noise_ratio) = 1.0;
};

/// `nce`: the model log q(x) = −E_θ(x) + log ρ(x) − c with a learned normalizer c, the noise
/// p_n = N(mean, cov) of the training data; loss −[mean log h(x) + ν·mean log(1 − h(y))] with
/// h(u) = σ(log q(u) − log p_n(u) − log ν) on the minibatch x and ν·|x| noise draws y.
class Nce : public SampleFreeMethod {
 public:
  explicit Nce(NceOptions options);
  std::string name() const override { return "nce"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  std::vector<torch::Tensor> trainable_parameters() override { return {log_normalizer_}; }
  torch::Tensor sample_free_loss(EnergyModel& model, const torch::Tensor& positives,
                                 Rng& rng) override;
  bool data_parallel() const override { return true; }
  /// The learned c ≈ log Z_θ.
  double log_normalizer() const { return log_normalizer_.item<double>(); }
  void save(torch::serialize::OutputArchive& archive) override;
  void load(torch::serialize::InputArchive& archive) override;

 private:
  /// log p_n(u) [B].
  torch::Tensor noise_log_prob(const torch::Tensor& u) const;

  NceOptions options_;
  torch::Tensor mean_, cholesky_, log_normalizer_;
  double noise_log_det_ = 0;  ///< log det of the noise covariance's Cholesky factor
};

}  // namespace ebmc
