#pragma once
/// @file target.h
/// Batched continuous targets: U(x) = -log density up to a constant, for a batch of chains.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"

namespace ebmc {

/// Energy and its gradient for a batch of states.
struct EnergyAndGrad {
  torch::Tensor energy;  ///< [chains]
  torch::Tensor grad;    ///< [chains, dim], dU/dx
};

/// A continuous target density known up to a constant, evaluated for all chains at once.
///
/// Subclasses implement `compute_energy` and may override `compute_energy_and_grad` with an
/// analytic gradient (the default uses autograd). The public `energy` / `energy_and_grad` check
/// shapes and dtypes on the way in and out, so a subclass never sees a malformed batch and a
/// caller never receives one.
///
///     class MyTarget : public ebmc::Target {
///      public:
///       int64_t dim() const override { return 2; }
///       std::string name() const override { return "my_target"; }
///      protected:
///       torch::Tensor compute_energy(const torch::Tensor& x) const override {
///         return 0.5 * x.pow(2).sum(1);
///       }
///     };
class Target {
 public:
  virtual ~Target() = default;

  /// Number of coordinates D of one state.
  virtual int64_t dim() const = 0;
  /// Short name, e.g. `gaussian`.
  virtual std::string name() const = 0;
  /// One name per coordinate, used as CSV column names; defaults to `x.1 … x.D` as in Stan.
  virtual std::vector<std::string> parameter_names() const;

  /// U(x) for x of shape [chains, dim] (floating point); returns [chains].
  torch::Tensor energy(const torch::Tensor& x) const;
  /// U(x) and dU/dx for x of shape [chains, dim]; returns [chains] and [chains, dim].
  EnergyAndGrad energy_and_grad(const torch::Tensor& x) const;

  /// Whether the target has a fused per-state path (`row_energy`): the built-in analytic targets
  /// do; modules and TorchScript energies do not.
  virtual bool has_row_energy() const { return false; }
  /// The fused per-state path: U of the one state `x` [dim] in raw memory and, when `grad` is not
  /// null, ∇U into `grad` [dim]. Kernels that run each chain on its own (NUTS's per-chain trees,
  /// fused leapfrog steps) call it for CPU float64 states; a target's batched fused path calls it
  /// row by row, so the two agree bit for bit. No checks: `has_row_energy()` must be true.
  virtual double row_energy(const double* x, double* grad) const;

 protected:
  /// The energy of a batch already checked to be [chains, dim] floating point.
  virtual torch::Tensor compute_energy(const torch::Tensor& x) const = 0;
  /// Energy and gradient; the default differentiates `compute_energy` with autograd.
  virtual EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const;

 private:
  void check_batch(const torch::Tensor& x) const;
  void check_energy(const torch::Tensor& energy, int64_t chains) const;
};

/// A target that can also draw exact, independent samples: the data generators of `--data NAME`
/// (EBM and flow training) and the references of tests.
///
///     if (auto* exact = dynamic_cast<const ebmc::ExactSampler*>(&target)) {
///       torch::Tensor data = exact->sample_exact(16384, rng);  // [16384, dim]
///     }
class ExactSampler {
 public:
  virtual ~ExactSampler() = default;
  /// `n` independent draws, [n, dim] float64. With a per-chain Rng, `n` must be its chain count.
  virtual torch::Tensor sample_exact(int64_t n, Rng& rng) const = 0;
};

}  // namespace ebmc
