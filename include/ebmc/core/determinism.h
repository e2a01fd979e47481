#pragma once
/// @file determinism.h
/// What makes a chain's draws depend on (seed, chain index) alone.
///
/// Three things would otherwise leak the batch size or the thread count into the last bits of a
/// chain's draws, and then, by chaos, into everything:
/// 1. one random stream for the whole batch — fixed by per-chain streams (`Rng` with
///    `ChainStreams`, core/rng.h);
/// 2. BLAS products whose rows depend on the number of rows and threads — fixed by `row_matmul`
///    (core/row_matmul.h) in the built-in targets;
/// 3. ATen's SIMD kernels, which compute the tail of a tensor (and of every thread's chunk)
///    with scalar code whose `exp`/`log` differ from the vector code in the last bit — fixed by
///    ATen's portable kernels (`ATEN_CPU_CAPABILITY=default`), which the library selects when it
///    is loaded unless the variable is already set. Measured cost: none to 8% on the bench
///    targets; set `ATEN_CPU_CAPABILITY=avx2` to trade reproducibility across chain counts and
///    threads for that.
/// 4. LAPACK routines (e.g. `cholesky_inverse`) whose results depend on the thread count — fixed
///    by building every component (`make_component`) under a `SingleThreadScope`.

namespace ebmc {

/// Runs the enclosing scope with one intra-op thread (ATen and BLAS), restoring the previous
/// count at its end: for one-off computations (a target's constants) whose bits must not depend
/// on the thread count.
class SingleThreadScope {
 public:
  SingleThreadScope();
  ~SingleThreadScope();
  SingleThreadScope(const SingleThreadScope&) = delete;
  SingleThreadScope& operator=(const SingleThreadScope&) = delete;

 private:
  int previous_;
};

/// True when ATen runs its portable (scalar-equivalent) CPU kernels, i.e. element-wise results do
/// not depend on a value's position in its tensor.
bool portable_cpu_kernels();

}  // namespace ebmc
