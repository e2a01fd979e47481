// Malformed and extreme input across the CLI, table-driven: every case must end in a clear
// one-line error `ebmc: <what> (<where>)` with the expected exit status — never a crash, a hang
// (a watchdog fails a case still running after 60 s), an "internal error", silent success or a
// stray folder. The README quotes the count this test prints.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "test_support.h"

namespace ebmc {
namespace {

/// A case still running after this long counts as a hang.
constexpr int kCaseSeconds = 60;

struct BadInput {
  /// After `ebmc`; {DIR} is a scratch folder, {OUT} the case's own output folder in it, {SRC}
  /// the source tree.
  std::string arguments;
  std::string message;  ///< a part of the expected message
  int exit_code = 2;
};

std::string expand(std::string text, const std::string& dir, const std::string& out) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{OUT}", out},
                                   {"{DIR}", dir},
                                   {"{SRC}", EBMC_SOURCE_DIR}}) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

const std::vector<BadInput>& bad_inputs() {
  static const std::vector<BadInput> cases = {
      // Command line.
      {"", "A subcommand is required"},
      {"sampel --target gaussian", "did you mean 'sample'"},
      {"frobnicate", "frobnicate"},
      {"sample", "--target is required"},
      {"sample --target gaussian:d=2", "--out is required"},
      {"sample --target gaussian:d=2 --out {OUT} --bogus", "bogus"},
      // Target specs.
      {"sample --target nope --out {OUT}", "unknown target 'nope'"},
      {"sample --target gaussian:d --out {OUT}", "gaussian"},
      {"sample --target gaussian:d= --out {OUT}", "gaussian"},
      {"sample --target gaussian:d=abc --out {OUT}", "gaussian"},
      {"sample --target gaussian:d=-1 --out {OUT}", "gaussian"},
      {"sample --target gaussian:d=0 --out {OUT}", "gaussian"},
      {"sample --target gaussian:d=1e99 --out {OUT}", "gaussian"},
      {"sample --target gaussian:d=99999999999999999999 --out {OUT}", "gaussian"},
      {"sample --target gaussian:d=2,d=3 --out {OUT}", "gaussian"},
      {"sample --target gaussian:bogus=1 --out {OUT}", "bogus"},
      {"sample --target 'gaussian:d=2,' --out {OUT}", "gaussian"},
      {"sample --target funnel:d=0 --out {OUT}", "funnel"},
      {"sample --target rotated_icg:d=-4 --out {OUT}", "rotated_icg"},
      {"sample --target mixture:modes=0 --out {OUT}", "mixture"},
      {"sample --target blr:data=nope --out {OUT}", "nope"},
      {"sample --target blr:file={DIR}/missing.csv --out {OUT}", "missing.csv"},
      {"sample --target blr:file={DIR}/latin1.csv --out {OUT}", "not valid UTF-8"},
      {"sample --target blr:file={DIR}/dup.csv --out {OUT}", "repeats the name"},
      {"sample --target blr:file={DIR}/empty.csv --out {OUT}", "file is empty"},
      {"sample --target blr:data=german,file=x.csv --out {OUT}", "not both"},
      {"sample --target blr:prior_scale=0 --out {OUT}", "prior_scale"},
      {"sample --target blr:prior_scale=-inf --out {OUT}", "prior_scale"},
      {"sample --target torchscript:path={DIR}/missing.pt --out {OUT}", "missing.pt"},
      {"sample --target torchscript:path={DIR}/text.pt --out {OUT}", "TorchScript"},
      {"sample --target torchscript:path={SRC}/examples/torchscript/wrong_shape.pt,dim=2 "
       "--out {OUT}",
       "shape"},
      {"sample --target torchscript:path={SRC}/examples/torchscript/wrong_dtype.pt,dim=2 "
       "--out {OUT}",
       "dtype"},
      {"sample --target torchscript:path={SRC}/examples/torchscript/banana.pt,sign=up "
       "--out {OUT}",
       "sign"},
      {"sample --target torchscript:path={SRC}/examples/torchscript/bernoulli_logp.pt,"
       "kind=ternary,dim=4 --out {OUT}",
       "kind"},
      {"sample --target ising:n=0 --out {OUT}", "ising"},
      {"sample --target ising:n=-3 --out {OUT}", "ising"},
      {"sample --target ising_er:n=1 --out {OUT}", "ising_er"},
      {"sample --target potts:q=1 --out {OUT}", "potts"},
      {"sample --target rbm:visible=0 --out {OUT}", "rbm"},
      {"sample --target fhmm:length=0 --out {OUT}", "fhmm"},
      // Sampler specs.
      {"sample --target gaussian:d=2 --sampler nope --out {OUT}", "unknown sampler 'nope'"},
      {"sample --target gaussian:d=2 --sampler gwg --out {OUT}", "discrete target"},
      {"sample --target ising:n=4 --sampler mala --out {OUT}", "cannot sample a discrete target"},
      {"sample --target gaussian:d=2 --sampler mala:step_size=-1 --out {OUT}", "step_size"},
      {"sample --target gaussian:d=2 --sampler mala:step_size=0 --out {OUT}", "step_size"},
      {"sample --target gaussian:d=2 --sampler mala:step_size=nan --out {OUT}", "step_size"},
      {"sample --target gaussian:d=2 --sampler mala:step_size=inf --out {OUT}", "step_size"},
      {"sample --target gaussian:d=2 --sampler rwm:step_size=abc --out {OUT}", "step_size"},
      {"sample --target gaussian:d=2 --sampler hmc:num_steps=0 --out {OUT}", "num_steps"},
      {"sample --target gaussian:d=2 --sampler hmc:jitter=2 --out {OUT}", "jitter"},
      {"sample --target gaussian:d=2 --sampler nuts:max_depth=0 --out {OUT}", "max_depth"},
      {"sample --target gaussian:d=2 --sampler nuts:max_depth=1000 --out {OUT}", "max_depth"},
      {"sample --target gaussian:d=2 --sampler nuts:target_accept=1.5 --out {OUT}",
       "target_accept"},
      {"sample --target gaussian:d=2 --sampler nuts:target_accept=0 --out {OUT}", "target_accept"},
      {"sample --target gaussian:d=2 --sampler nuts:metric=dense3 --out {OUT}", "metric"},
      {"sample --target gaussian:d=2 --sampler nuts:adapt=maybe --out {OUT}", "adapt"},
      {"sample --target gaussian:d=2 --sampler nuts:window=0 --out {OUT}", "window"},
      {"sample --target ising:n=4 --sampler gwg:flips=0 --out {OUT}", "flips"},
      {"sample --target ising:n=4 --sampler hamming_ball:block=0 --out {OUT}", "block"},
      {"sample --target ising:n=4 --sampler rbm_gibbs --out {OUT}", "rbm"},
      {"sample --target gaussian:d=2 --sampler l2hmc:model={DIR}/missing.pt --out {OUT}",
       "missing.pt"},
      {"sample --target gaussian:d=2 --sampler l2hmc:model={DIR}/text.pt --out {OUT}", "model"},
      // Run sizes, seeds.
      {"sample --target gaussian:d=2 --chains 0 --out {OUT}", "chains"},
      {"sample --target gaussian:d=2 --chains -1 --out {OUT}", "chains"},
      {"sample --target gaussian:d=2 --chains 1e9 --out {OUT}", "chains"},
      {"sample --target gaussian:d=2 --chains 99999999999999999999 --out {OUT}", "chains"},
      {"sample --target gaussian:d=2 --chains 100000000 --out {OUT}", "chains"},
      {"sample --target gaussian:d=2 --warmup -1 --out {OUT}", "warmup"},
      {"sample --target gaussian:d=2 --draws 0 --out {OUT}", "draws"},
      {"sample --target gaussian:d=2 --draws -5 --out {OUT}", "draws"},
      {"sample --target gaussian:d=2 --thin 0 --out {OUT}", "thin"},
      {"sample --target gaussian:d=2 --thin 2.5 --out {OUT}", "thin"},
      {"sample --target gaussian:d=2 --draws 4611686018427387904 --thin 4 --out {OUT}",
       "overflows"},
      {"sample --target gaussian:d=1000 --chains 100000 --draws 100000000 --out {OUT}", "memory"},
      {"sample --target gaussian:d=2 --seed -1 --out {OUT}", "seed"},
      {"sample --target gaussian:d=2 --seed 18446744073709551616 --out {OUT}", "seed"},
      {"sample --target gaussian:d=2 --seed abc --out {OUT}", "seed"},
      {"sample --target gaussian:d=2 --chain-offset -1 --out {OUT}", "chain"},
      {"launch -n 0 -- true", "--nproc"},
      {"launch -n 2", "command is required"},
      {"launch -n 2 --grace -1 -- true", "--grace"},
      {"sample --target gaussian:d=2 --init-radius -1 --out {OUT}", "init-radius"},
      {"sample --target gaussian:d=2 --init-radius nan --out {OUT}", "init-radius"},
      // Initial values and saved tuning.
      {"sample --target gaussian:d=2 --init {DIR}/missing.json --out {OUT}", "missing.json"},
      {"sample --target gaussian:d=2 --init {DIR}/text.pt --out {OUT}", "text.pt"},
      {"sample --target gaussian:d=2 --init {DIR}/unknown_name.json --out {OUT}", "x.9"},
      {"sample --target gaussian:d=2 --init {DIR}/nonfinite.json --out {OUT}", "finite"},
      {"sample --target gaussian:d=2 --chains 3 --init {DIR}/two_chains.json --out {OUT}", "3"},
      {"sample --target gaussian:d=2 --init {DIR}/string_value.json --out {OUT}", "x.1"},
      {"sample --target gaussian:d=2 --tuning {DIR}/missing.json --out {OUT}", "missing.json"},
      {"sample --target gaussian:d=2 --tuning {DIR}/text.pt --out {OUT}", "text.pt"},
      {"sample --target gaussian:d=2 --tuning {DIR}/unknown_name.json --out {OUT}", "step_size"},
      {"sample --target ising:n=4 --save-warmup --out {OUT}", "--save-warmup"},
      {"sample --target gaussian:d=2 --save-states --out {OUT}", "--save-states"},
      // Output paths.
      {"sample --target gaussian:d=2 --out {DIR}/file.txt", "file.txt"},
      {"sample --target gaussian:d=2 --out {DIR}/file.txt/sub", "file.txt"},
      {"sample --target gaussian:d=2 --out /proc/ebmc-out", "/proc/ebmc-out"},
      {"sample --target gaussian:d=2 --out ''", "--out"},
      // diagnose.
      {"diagnose {DIR}/missing.csv", "cannot open file"},
      {"diagnose {DIR}/empty.csv", "file is empty"},
      {"diagnose {DIR}", "{DIR}"},
      {"diagnose {DIR}/header_only.csv", "no draws"},
      {"diagnose {DIR}/ragged.csv", "row has 4 fields"},
      {"diagnose {DIR}/text_value.csv", "non-numeric field 'foo'"},
      {"diagnose {DIR}/bad_header.csv", "header must be"},
      {"diagnose {DIR}/latin1_draws.csv", "not valid UTF-8"},
      {"diagnose {DIR}/dup_draws.csv", "repeats the name"},
      {"diagnose {DIR}/unequal_chains.csv", "draws but chain"},
      {"diagnose {DIR}/draws_a.csv {DIR}/draws_b.csv", "columns differ"},
      {"diagnose {DIR}/decreasing_iter.csv", "iter"},
      {"diagnose --matrix {DIR}/empty.csv", "file is empty"},
      {"diagnose --matrix {DIR}/text_value.csv", "non-numeric"},
      {"diagnose --matrix {DIR}/one_row.csv", "at least 2"},
      // train-sampler.
      {"train-sampler --target gaussian:d=2 --sampler nuts --out {DIR}/m.pt", "nuts"},
      {"train-sampler --target gaussian:d=2 --sampler nope --out {DIR}/m.pt", "nope"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --steps 0 --out {DIR}/m.pt", "steps"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --batch 0 --out {DIR}/m.pt", "batch"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --learning-rate -1 --out {DIR}/m.pt",
       "learning"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --schedule foo --out {DIR}/m.pt",
       "foo"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --out {DIR}", "{DIR}"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --out {DIR}/nowhere/m.pt", "nowhere"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --resume --out {DIR}/m.pt",
       "nothing to resume"},
      {"train-sampler --target ising:n=4 --sampler l2hmc --out {DIR}/m.pt", "ising"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --restarts -1 --out {DIR}/m.pt",
       "--restarts"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc --check-transitions -5 --out "
       "{DIR}/m.pt",
       "--check-transitions"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc:jump=sideways --out {DIR}/m.pt",
       "jump"},
      {"train-sampler --target gaussian:d=2 --sampler l2hmc:hmc_steps=-1 --out {DIR}/m.pt",
       "hmc_steps"},
      // train-flow.
      {"train-flow --data two_to_one --out {DIR}/f.pt --target gaussian", "exactly one of"},
      {"train-flow --out {DIR}/f.pt", "exactly one of"},
      {"train-flow --data {DIR}/missing.csv --out {DIR}/f.pt", "no such file"},
      {"train-flow --data funnel:d=2 --out {DIR}/f.pt", "cannot draw exact samples"},
      {"train-flow --data two_to_one:bogus=1 --out {DIR}/f.pt", "--data two_to_one:bogus"},
      {"train-flow --data {DIR}/ragged_points.csv --out {DIR}/f.pt", "row has 3 fields"},
      {"train-flow --data {DIR}/nonfinite_points.csv --out {DIR}/f.pt", "not finite"},
      {"train-flow --data {DIR}/empty.csv --out {DIR}/f.pt", "file is empty"},
      {"train-flow --data two_to_one --flow glow --out {DIR}/f.pt", "unknown flow 'glow'"},
      {"train-flow --data two_to_one --flow realnvp:blocks=0 --out {DIR}/f.pt", "blocks"},
      {"train-flow --data two_to_one --objective reverse --out {DIR}/f.pt", "reverse KL needs"},
      {"train-flow --target two_to_one --objective sideways --out {DIR}/f.pt", "sideways"},
      {"train-flow --data two_to_one --steps 0 --out {DIR}/f.pt", "steps"},
      {"train-flow --data two_to_one --data-size 0 --out {DIR}/f.pt", "--data-size"},
      {"train-flow --data two_to_one --out {DIR}/nowhere/f.pt", "nowhere"},
      {"train-flow --data two_to_one --resume --out {DIR}/f.pt", "nothing to resume"},
      // Flow samplers.
      {"sample --target two_to_one --sampler flowmc:flow={DIR}/text.pt --out {OUT}",
       "not an ebmc flow"},
      {"sample --target two_to_one --sampler isir:particles=0 --out {OUT}", "particles"},
      {"sample --target two_to_one --sampler flowmc:global=gibbs --out {OUT}", "gibbs"},
      {"sample --target two_to_one --sampler neutra:inner=rwm --out {OUT}", "rwm"},
      {"sample --target two_to_one --sampler imh:flow={DIR}/missing.pt --out {OUT}",
       "flow file not found"},
      // train-ebm and the ebm target.
      {"train-ebm --data two_to_one --method pcd --out {OUT}", "unknown EBM method 'pcd'"},
      {"train-ebm --data two_to_one --method ula:steps=0 --out {OUT}", "--method ula:steps"},
      {"train-ebm --data two_to_one --preset table9 --out {OUT}", "unknown preset"},
      {"train-ebm --data two_to_one --batch 64 --persistent 8 --out {OUT}", "--persistent"},
      {"train-ebm --data {DIR}/missing.csv --out {OUT}", "no such file"},
      {"train-ebm --data two_to_one --tilt-scale -1e-3 --steps 1 --out {OUT}", "tilt"},
      {"train-ebm --data two_to_one --resolution 3 --out {OUT}", "--resolution"},
      {"train-ebm --data two_to_one --resume --out {OUT}", "nothing to resume"},
      {"train-ebm --data two_to_one --out {DIR}/file.txt", "file.txt"},
      {"train-ebm --data two_to_one --method ml --steps 2 --out {OUT}",
       "no closed-form normalizer"},
      {"train-ebm --data two_to_one --model ica --tilt-scale 1 --out {OUT}", "no tilt"},
      {"train-ebm --data two_to_one --model rbm --out {OUT}", "neither a file"},
      {"train-ebm --data two_to_one --model mlp:activation=relu --out {OUT}",
       "--model mlp:activation"},
      {"train-ebm --data two_to_one --learn-tilt --tilt-scale 0 --out {OUT}", "--learn-tilt"},
      {"train-ebm --data two_to_one --method lsd:critic_steps=0 --out {OUT}",
       "--method lsd:critic_steps"},
      {"train-ebm --data two_to_one --method nce:noise_ratio=-1 --out {OUT}",
       "--method nce:noise_ratio"},
      {"sample --target ica:random=x --out {OUT}", "ica:random"},
      {"train-ebm --model ising --data ising:n=3 --method ula --out {OUT}", "pcd"},
      {"train-ebm --model ising:n=3 --data ising:n=3 --out {OUT}", "unknown option 'n'"},
      {"train-ebm --model ising --data potts:n=3 --out {OUT}", "takes binary data"},
      {"train-ebm --model ising --data {DIR}/spin_values.csv --out {OUT}", "integers >= 0"},
      {"train-ebm --model rbm --data ising:n=3 --method plm --out {OUT}", "pseudo-likelihood"},
      {"train-ebm --model rbm:hidden=0 --data ising:n=3 --out {OUT}", "--model rbm:hidden"},
      {"train-ebm --model deep --data potts:n=2 --out {OUT}", "binary data"},
      {"train-ebm --model ising --data ising:n=3 --persistent 10 --batch 20 --out {OUT}",
       "--persistent"},
      {"train-ebm --model ising --data ising:n=3 --reinit 2 --out {OUT}", "--reinit"},
      {"train-ebm --model ising --data ising:n=3 --ema 1 --out {OUT}", "--ema"},
      {"train-ebm --model ising --data ising:n=3 --warmup -1 --out {OUT}", "--warmup"},
      {"train-ebm --model ising --data ising:n=3 --ais-chains 1 --out {OUT}", "--ais-chains"},
      {"train-ebm --model ising --data ising:n=3 --test-data {DIR}/spin_values.csv --out {OUT}",
       "integers >= 0"},
      {"sample --target discrete_ebm --out {OUT}", "needs model=PATH"},
      {"sample --target discrete_ebm:model={DIR}/none.pt --out {OUT}", "not found"},
      {"sample --target potts_planted:k=1 --out {OUT}", "potts_planted:k"},
      {"train-ebm --model ising --data {DIR}/binary.csv --truth potts:n=2 --out {OUT}",
       "no couplings in closed form"},
      {"train-ebm --model ising --data {DIR}/binary.csv --truth ising:n=5 --out {OUT}", "25 sites"},
      {"train-ebm --model ising --data ising:n=3 --method pcd:sampler=hmc --out {OUT}",
       "unknown discrete sampler"},
      {"train-ebm --model ising --data ising:n=3 --method pcd:steps=0 --out {OUT}", "pcd:steps"},
      {"train-ebm --model ising --data ising:n=3 --method plm --resume --out {OUT}",
       "nothing to resume"},
      {"train-ebm --model ising --data ising:n=3 --resume --out {OUT}", "nothing to resume"},
      // ais.
      {"ais --target ising:n=3 --base gaussian", "--base"},
      {"ais --target ising:n=3 --schedule cosine", "--schedule"},
      {"ais --target ising:n=3 --chains 1", "--chains"},
      {"ais --target ising:n=3 --steps 0", "--steps"},
      {"ais --target icg", "unknown discrete target"},
      {"ais --target ising:n=3 --sampler hmc", "unknown discrete sampler"},
      {"ais --target ising:n=3 --data {DIR}/missing.csv", "missing.csv"},
      {"ais --target ising:n=2 --data {DIR}/three_sites.csv", "3 site columns"},
      {"ais --target ising:n=2 --data {DIR}/spin_values.csv", "integers in 0..1"},
      {"sample --target ebm --out {OUT}", "needs model=PATH"},
      {"sample --target ebm:model={DIR}/text.pt --out {OUT}", "not an ebmc EBM"},
      // stein.
      {"stein ksd --model gaussian:d=3 --data two_to_one", "dimension 3"},
      {"stein ksd --model gaussian:d=2 --data {DIR}/missing.csv", "no such file"},
      {"stein ksd --model nope --data two_to_one", "unknown target 'nope'"},
      {"stein ksd --model gaussian:d=2 --data two_to_one --kernel rbf:bandwidth=-1", "--kernel"},
      {"stein ksd --model gaussian:d=2 --data two_to_one --kernel laplace", "--kernel"},
      {"stein ksd --model gaussian:d=2 --data two_to_one --bootstrap 0", "bootstrap"},
      {"stein lksd --model gaussian:d=2 --data two_to_one --rows 1", "--rows"},
      {"stein fssd --model gaussian:d=2 --data two_to_one --locations 0", "locations"},
      {"stein fssd --model gaussian:d=2 --data {DIR}/nonfinite_points.csv", "not finite"},
      {"stein ksd --model gbrbm:file={DIR}/empty.csv --data two_to_one", "not valid JSON"},
      {"stein ksd --model gbrbm:perturb=-0.1 --data two_to_one", "perturb"},
      {"stein", "subcommand is required"},
      {"stein lsd --model gaussian:d=2 --data two_to_one --critic cnn", "--critic"},
      {"stein lsd --model gaussian:d=2 --data two_to_one --critic mlp:width=3", "width"},
      {"stein lsd --model gaussian:d=2 --data two_to_one --lambda 0", "--lambda"},
      {"stein lsd --model gaussian:d=2 --data two_to_one --objective fast", "--objective"},
      {"stein lsd --model gaussian:d=2 --data two_to_one --rows 12", "too few rows"},
      {"stein compare --models gaussian:d=2 --data two_to_one", "at least two models"},
      {"stein compare --models gaussian:d=2 gaussian:d=3 --data two_to_one", "dimension 3"},
      // bench, report, list.
      {"bench nope", "unknown experiment 'nope'"},
      {"bench classical --chains 1", "chains"},
      {"bench classical --out {DIR}/nowhere/b.json", "nowhere"},
      {"bench discrete --only gwg-release", "needs --gwg-release"},
      {"bench discrete --gwg-release {DIR}/no_checkout", "not a GWG_release checkout"},
      {"report {DIR}/missing", "no such folder"},
      {"report {DIR}", "no draws.csv"},
      {"report {DIR}/empty.csv", "file is empty"},
      {"report {DIR}/run --params -1", "--params"},
      {"report {DIR}/run --max-chains 0", "--max-chains"},
      {"report {DIR}/run --pair x.1", "--pair"},
      {"report {DIR}/run --pair x.1,x.7", "no parameter 'x.7'"},
      {"list --bogus", "bogus"},
  };
  return cases;
}

/// The files the cases read.
void write_fixtures(const testing::TempDir& dir) {
  dir.write("latin1.csv", "y,caf\xe9\n0,1\n1,2\n0,3\n");
  dir.write("dup.csv", "y,a,a\n0,1,2\n1,2,3\n0,3,1\n");
  dir.write("empty.csv", "");
  dir.write("ragged_points.csv", "a,b\n1,2\n1,2,3\n");
  dir.write("nonfinite_points.csv", "a,b\n1,2\n1,inf\n");
  dir.write("text.pt", "this is not TorchScript\n");
  dir.write("file.txt", "a file\n");
  dir.write("unknown_name.json", "{\"x.9\": 1.0}\n");
  dir.write("nonfinite.json", "{\"x.1\": \"inf\"}\n");
  dir.write("two_chains.json", "[{\"x.1\": 1.0}, {\"x.1\": 2.0}]\n");
  dir.write("string_value.json", "{\"x.1\": \"abc\"}\n");
  dir.write("header_only.csv", "chain,iter,a\n");
  dir.write("ragged.csv", "chain,iter,a\n1,1,2\n1,2,3,4\n");
  dir.write("text_value.csv", "chain,iter,a\n1,1,2\n1,2,foo\n");
  dir.write("bad_header.csv", "chain,a\n1,2\n1,3\n");
  dir.write("latin1_draws.csv", "chain,iter,\xe9t\xe9\n1,1,2\n1,2,3\n");
  dir.write("dup_draws.csv", "chain,iter,a,a\n1,1,2,3\n1,2,3,4\n");
  dir.write("unequal_chains.csv", "chain,iter,a\n1,1,2\n1,2,3\n1,3,4\n2,1,5\n2,2,6\n");
  dir.write("draws_a.csv", "chain,iter,a\n1,1,2\n1,2,3\n");
  dir.write("draws_b.csv", "chain,iter,b\n1,1,2\n1,2,3\n");
  dir.write("decreasing_iter.csv", "chain,iter,a\n1,2,2\n1,1,3\n1,3,4\n");
  dir.write("one_row.csv", "1,2\n");
  dir.write("three_sites.csv", "a,b,c\n0,1,1\n");
  dir.write("spin_values.csv", "a,b,c,d\n-1,1,1,1\n");
  dir.write("binary.csv", "a,b,c,d\n0,1,1,1\n1,0,0,1\n");
  std::filesystem::create_directory(dir.file("run"));
  dir.write("run/draws.csv", "chain,iter,x.1,x.2\n1,1,0.1,0.2\n1,2,0.3,0.1\n1,3,0.2,0.5\n");
}

TEST(BadInputCliTest, EveryCaseGetsAOneLineErrorAndItsExitCode) {
  testing::TempDir dir;
  write_fixtures(dir);
  const std::vector<BadInput>& cases = bad_inputs();
  std::vector<testing::CommandResult> results(cases.size());
  // The cases run in this process, one after another (LibTorch starts once, not 230 times; the
  // `launch` cases run the binary); a watchdog turns a case that hangs into a failure naming it.
  std::mutex watch;
  std::condition_variable done;
  std::atomic<size_t> current{0};
  bool finished = false;
  const int original_stderr = ::dup(2);  // the cases redirect 2 while they run
  std::thread watchdog([&]() {
    std::unique_lock<std::mutex> lock(watch);
    size_t seen = cases.size();
    while (!done.wait_for(lock, std::chrono::seconds(kCaseSeconds), [&] { return finished; })) {
      if (current == seen) {
        ::dprintf(original_stderr, "hangs (over %d s): ebmc %s\n", kCaseSeconds,
                  cases[seen].arguments.c_str());
        std::_Exit(1);
      }
      seen = current;
    }
  });
  for (size_t k = 0; k < cases.size(); ++k) {
    current = k;
    const std::string arguments =
        expand(cases[k].arguments, dir.file(""), dir.file("o" + std::to_string(k)));
    results[k] = testing::run_ebmc(arguments);
  }
  {
    std::lock_guard<std::mutex> lock(watch);
    finished = true;
  }
  done.notify_one();
  watchdog.join();
  ::close(original_stderr);
  int handled = 0;
  std::ostringstream failures;
  for (size_t k = 0; k < cases.size(); ++k) {
    const BadInput& c = cases[k];
    const std::string out = dir.file("o" + std::to_string(k));
    const std::string arguments = expand(c.arguments, dir.file(""), out);
    const testing::CommandResult& r = results[k];
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    const std::string message = expand(c.message, dir.file(""), out);
    const bool one_line = err.find('\n') == std::string::npos;
    const bool well_formed = err.rfind("ebmc: ", 0) == 0 && err.back() == ')';
    const bool ok = r.exit_code == c.exit_code && one_line && well_formed &&
                    err.find(message) != std::string::npos &&
                    err.find("internal error") == std::string::npos &&
                    !std::filesystem::exists(out + "/draws.csv");
    if (ok) {
      ++handled;
    } else {
      failures << "\n  ebmc " << arguments << "\n    exit " << r.exit_code << ", stderr: " << err;
    }
  }
  const int tried = static_cast<int>(bad_inputs().size());
  std::printf("%d bad inputs tried, %d handled\n", tried, handled);
  EXPECT_EQ(handled, tried) << failures.str();
}

}  // namespace
}  // namespace ebmc
