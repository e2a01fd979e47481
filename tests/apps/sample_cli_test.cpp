// `ebmc sample`: writes draws and summaries that `ebmc diagnose` reproduces; rejects bad options.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(SampleCliTest, WritesDrawsAndSummariesThatDiagnoseReproduces) {
  testing::TempDir dir;
  const std::string out = dir.file("run");
  testing::CommandResult r = run_ebmc(
      "sample --target gaussian:d=3 --sampler rwm:step_size=1.2 --chains 3 --warmup 100 "
      "--draws 300 --seed 4 --no-progress --out " +
      out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json summary = read_json(out + "/summary.json");
  // Nothing but the run's warnings on stderr, one line each (300 draws of RWM: low ESS).
  std::istringstream err(r.err);
  size_t lines = 0;
  for (std::string line; std::getline(err, line); ++lines) {
    EXPECT_EQ(line.rfind("ebmc: warning: ", 0), 0u) << line;
  }
  EXPECT_EQ(lines, summary["warnings"].size());
  const nlohmann::json& run = summary["run"];
  EXPECT_EQ(run["chains"], 3);
  EXPECT_EQ(run["draws"], 300);
  EXPECT_EQ(run["sampling_energy_evals"], 3 * 300);
  EXPECT_EQ(run["gradient_evals"], 0);
  EXPECT_TRUE(run["min_ess_bulk_per_gradient_eval"].is_null());
  EXPECT_GT(run["min_ess_bulk_per_second"].get<double>(), 0.0);
  EXPECT_GT(run["accept_rate"].get<double>(), 0.1);

  testing::CommandResult diag = run_ebmc("diagnose --json " + out + "/draws.csv");
  ASSERT_EQ(diag.exit_code, 0) << diag.err;
  nlohmann::json recomputed = nlohmann::json::parse(diag.out);
  for (const char* name : {"x.1", "x.2", "x.3"}) {
    for (const char* field : {"mean", "sd", "rhat", "ess_bulk", "ess_tail", "mcse_mean"}) {
      EXPECT_DOUBLE_EQ(recomputed[name][field].get<double>(),
                       summary["parameters"][name][field].get<double>())
          << name << " " << field;
    }
  }
  std::ifstream text(out + "/summary.txt");
  std::string content((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, r.out);
}

TEST(SampleCliTest, DiscreteTargetsRecordHammingDistanceAndEnergy) {
  testing::TempDir dir;
  const std::string out = dir.file("ising");
  testing::CommandResult r = run_ebmc(
      "sample --target ising:n=4,theta=0.05 --sampler gwg --chains 4 --warmup 50 --draws 400 "
      "--seed 3 --no-progress --out " +
      out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json summary = read_json(out + "/summary.json");
  const nlohmann::json& run = summary["run"];
  EXPECT_EQ(run["sampling_energy_evals"], 4 * 400);
  EXPECT_EQ(run["sampling_gradient_evals"], 4 * 400);
  EXPECT_GT(run["accepted_flips"].get<int64_t>(), 0);
  for (const char* name : {"hamming", "energy"}) {
    EXPECT_GT(summary["parameters"][name]["ess_bulk"].get<double>(), 10.0) << name;
    EXPECT_GT(run["efficiency"][name]["ess_bulk_per_second"].get<double>(), 0.0) << name;
    EXPECT_GT(run["efficiency"][name]["ess_bulk_per_energy_eval"].get<double>(), 0.0) << name;
  }
  // The Hamming distance of a 16-site state lies in [0, 16].
  EXPECT_GE(summary["parameters"]["hamming"]["q5"].get<double>(), 0.0);
  EXPECT_LE(summary["parameters"]["hamming"]["q95"].get<double>(), 16.0);
  EXPECT_NE(r.out.find("accepted flips"), std::string::npos) << r.out;
}

TEST(SampleCliTest, MismatchedTargetAndSamplerKindsAreRejected) {
  testing::TempDir dir;
  testing::CommandResult a =
      run_ebmc("sample --target ising:n=3 --sampler nuts --no-progress --out " + dir.file("a"));
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_NE(a.err.find("cannot sample a discrete target"), std::string::npos) << a.err;
  testing::CommandResult b =
      run_ebmc("sample --target gaussian --sampler gwg --no-progress --out " + dir.file("b"));
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("needs a discrete target"), std::string::npos) << b.err;
  testing::CommandResult c = run_ebmc(
      "sample --target potts:n=3 --sampler gwg:flips=3 --no-progress --out " + dir.file("c"));
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("need a binary target"), std::string::npos) << c.err;
}

TEST(SampleCliTest, SameSeedSameDraws) {
  testing::TempDir dir;
  auto draws = [&](const std::string& name, int seed) {
    run_ebmc(
        "sample --target gaussian:d=2 --chains 2 --warmup 10 --draws 50 --no-progress --seed " +
        std::to_string(seed) + " --out " + dir.file(name));
    std::ifstream in(dir.file(name) + "/draws.csv");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string a = draws("a", 1);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, draws("b", 1));
  EXPECT_NE(a, draws("c", 2));
}

TEST(SampleCliTest, ChainOffsetSlicesMergeIntoTheWholeRun) {
  testing::TempDir dir;
  auto run = [&](const std::string& name, const std::string& chains) {
    testing::CommandResult r = run_ebmc(
        "sample --target rotated_icg:d=5 --warmup 50 --draws 40 "
        "--seed 9 --no-progress " +
        chains + " --out " + dir.file(name));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir.file(name) + "/draws.csv";
  };
  const std::string whole = run("whole", "--chains 4");
  const std::string first = run("first", "--chains 2");
  const std::string second = run("second", "--chains 2 --chain-offset 2");
  // Rows of chains 1-2 and 3-4 (global chain ids) are those of the 4-chain run, byte for byte.
  auto rows = [](const std::string& path, const std::string& chains) {
    std::ifstream in(path);
    std::string kept, line;
    while (std::getline(in, line)) {
      if (chains.find(line.substr(0, line.find(',')) + ";") != std::string::npos)
        kept += line + "\n";
    }
    return kept;
  };
  EXPECT_EQ(rows(first, "1;2;"), rows(whole, "1;2;"));
  EXPECT_EQ(rows(second, "3;4;"), rows(whole, "3;4;"));
  EXPECT_FALSE(rows(second, "3;4;").empty());
  // Diagnostics of the merged slices are those of the whole run.
  testing::CommandResult merged = run_ebmc("diagnose --sampler-stats " + first + " " + second);
  testing::CommandResult single = run_ebmc("diagnose --sampler-stats " + whole);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(merged.out, single.out);
  EXPECT_EQ(nlohmann::json::parse(
                std::ifstream(dir.file("second") + "/summary.json"))["run"]["chain_offset"],
            2);
}

TEST(SampleCliTest, StreamedDrawsGiveTheSameSummary) {
  testing::TempDir dir;
  const std::string args =
      "sample --target funnel:d=3 --chains 3 --warmup 100 --draws 200 --seed 3 --no-progress ";
  ASSERT_EQ(run_ebmc(args + "--out " + dir.file("kept")).exit_code, 0);
  testing::CommandResult streamed = run_ebmc(args + "--stream --out " + dir.file("streamed"));
  ASSERT_EQ(streamed.exit_code, 0) << streamed.err;
  const nlohmann::json kept = read_json(dir.file("kept") + "/summary.json");
  const nlohmann::json stream = read_json(dir.file("streamed") + "/summary.json");
  EXPECT_EQ(kept["parameters"], stream["parameters"]);
  EXPECT_EQ(kept["warnings"], stream["warnings"]);
  EXPECT_FALSE(stream["warnings"].empty());  // a short funnel run warns: the check is not vacuous
}

TEST(SampleCliTest, ProgressGoesToStderr) {
  testing::TempDir dir;
  testing::CommandResult r =
      run_ebmc("sample --target gaussian --warmup 20 --draws 20 --progress --out " + dir.file("p"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("sampling [="), std::string::npos) << r.err;
}

TEST(SampleCliTest, GradientSamplerReportsDivergencesAndGradientCost) {
  testing::TempDir dir;
  testing::CommandResult r = run_ebmc(
      "sample --target funnel3 --sampler hmc:step_size=1,num_steps=10,jitter=0,adapt=0 --chains 4 "
      "--warmup 0 --draws 50 --no-progress --out " +
      dir.file("f"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json run = read_json(dir.file("f") + "/summary.json")["run"];
  EXPECT_GT(run["divergences"].get<int>(), 0);
  EXPECT_EQ(run["sampling_gradient_evals"], 4 * 50 * 10);
  EXPECT_NE(r.out.find("divergences"), std::string::npos);
  // Divergences after warmup are a warning: in summary.json, summary.txt and on stderr.
  const nlohmann::json warnings = read_json(dir.file("f") + "/summary.json")["warnings"];
  bool found = false;
  for (const nlohmann::json& w : warnings) found = found || w["code"] == "divergences";
  EXPECT_TRUE(found) << warnings.dump();
  EXPECT_NE(r.out.find("transitions after warmup diverged"), std::string::npos);
  EXPECT_NE(r.err.find("ebmc: warning: "), std::string::npos);
}

TEST(SampleCliTest, BenchRejectsUnknownExperiment) {
  testing::CommandResult r = run_ebmc("bench nope");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown experiment 'nope'"), std::string::npos) << r.err;
}

TEST(SampleCliTest, BenchDiagnosticsAgreesWithTheBaseline) {
  testing::TempDir dir;
  testing::CommandResult r =
      run_ebmc("bench diagnostics --quick --out " + dir.file("diagnostics.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = read_json(dir.file("diagnostics.json"));
  EXPECT_EQ(j["chains"], 256);
  EXPECT_TRUE(j["same_values"].get<bool>()) << r.out;
  EXPECT_TRUE(j["csv_round_trip_exact"].get<bool>()) << r.out;
  EXPECT_GT(j["baseline_seconds"].get<double>(), 0.0);
}

TEST(SampleCliTest, BenchDiscreteRepeatsOverSeedsAndMarksUnconvergedRuns) {
  testing::TempDir dir;
  testing::CommandResult r =
      run_ebmc("bench discrete --quick --only rbm --seeds 2 --out " + dir.file("discrete.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = read_json(dir.file("discrete.json"));
  ASSERT_FALSE(j.contains("ising"));
  const nlohmann::json& rows = j["rbm"]["rows"];
  ASSERT_EQ(rows.size(), 6u);
  for (const nlohmann::json& row : rows) {
    ASSERT_EQ(row["runs"].size(), 2u) << row.dump();
    EXPECT_NE(row["runs"][0]["seed"], row["runs"][1]["seed"]);
    // A mean ± standard error, and the count of runs above R-hat 1.01 is consistent.
    EXPECT_NE(row["hamming_ess"].get<std::string>().find("±"), std::string::npos);
    int64_t above = 0;
    for (const nlohmann::json& run : row["runs"]) {
      above += run["rhat_max"].is_null() || run["rhat_max"].get<double>() > 1.01;
    }
    EXPECT_EQ(row["runs_with_rhat_above_1_01"].get<int64_t>(), above);
  }
  // 200 Gibbs-1 steps on a 100-site RBM have not converged: marked.
  EXPECT_NE(r.out.find("* (2/2)"), std::string::npos) << r.out;
}

TEST(SampleCliTest, BenchDiscreteEbmRecoversPottsContacts) {
  testing::TempDir dir;
  testing::CommandResult r = run_ebmc("bench discrete-ebm --quick --only potts --out-dir " +
                                      dir.file("runs") + " --out " + dir.file("bench.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = read_json(dir.file("bench.json"));
  ASSERT_EQ(j["potts"].size(), 3u);
  for (const nlohmann::json& row : j["potts"]) {
    const double precision = row["values"]["contact_precision_at_half"][0].get<double>();
    EXPECT_GE(precision, 0.5) << row.dump();
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file("runs") + "/potts/seed1/GWG/model.pt"));
  testing::CommandResult bad = run_ebmc("bench discrete-ebm --only ising");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown part 'ising'"), std::string::npos) << bad.err;
}

TEST(SampleCliTest, BenchStanComparesWithStanWhenRstanIsInstalled) {
  testing::TempDir dir;
  testing::CommandResult r = run_ebmc("bench stan --quick --only scg --out-dir " +
                                      dir.file("stan") + " --out " + dir.file("stan.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = read_json(dir.file("stan.json"));
  ASSERT_EQ(j["rows"].size(), 1u);
  const nlohmann::json& row = j["rows"][0];
  EXPECT_GT(row["ebmc"]["min_ess_bulk"][0].get<double>(), 0.0);
  // The many-chain regime ran the same target.
  ASSERT_EQ(j["many_chains"].size(), 1u);
  EXPECT_GT(j["many_chains"][0]["ebmc"]["min_ess_bulk"].get<double>(), 0.0);
  if (j["with_stan"].get<bool>()) {
    // The same posterior: Stan's means agree with ebmc's within 4 combined MCSE.
    ASSERT_TRUE(row.contains("stan")) << r.out;
    EXPECT_EQ(row["means_off_by_more_than_4_mcse"].get<int64_t>(), 0) << r.out;
    EXPECT_GT(row["stan"]["gradient_evals"][0].get<int64_t>(), 0);
  } else {
    EXPECT_NE(r.out.find("apt-get install r-cran-rstan"), std::string::npos) << r.out;
  }
}

TEST(SampleCliTest, BadOptionsGiveExitCode2) {
  testing::TempDir dir;
  const std::string out = " --out " + dir.file("x");
  for (const std::string& args :
       {"sample --target nope" + out, "sample --target gaussian:d=0" + out,
        "sample --target gaussian --sampler rwm:step_size=0" + out,
        "sample --target gaussian --sampler rwm:stepsize=1" + out,
        "sample --target gaussian --draws 0" + out, "sample --target gaussian --chains 0" + out,
        "sample --target gaussian --thin 0" + out, std::string("sample --target gaussian"),
        std::string("sample --target gaussian --draws many") + out}) {
    testing::CommandResult r = run_ebmc(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("ebmc: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(SampleCliTest, SamplerStatisticsAreColumnsThatDiagnoseSkipsByDefault) {
  testing::TempDir dir;
  const std::string out = dir.file("nuts");
  testing::CommandResult r = run_ebmc(
      "sample --target gaussian:d=2 --sampler nuts --chains 2 --warmup 100 --draws 50 "
      "--seed 2 --no-progress --out " +
      out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream draws(out + "/draws.csv");
  std::string header;
  std::getline(draws, header);
  EXPECT_EQ(header,
            "chain,iter,x.1,x.2,lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,"
            "divergent__,energy__");
  testing::CommandResult params = run_ebmc("diagnose --json " + out + "/draws.csv");
  ASSERT_EQ(params.exit_code, 0) << params.err;
  const nlohmann::json p = nlohmann::json::parse(params.out);
  EXPECT_EQ(p.size(), 2u);
  EXPECT_TRUE(p.contains("x.1") && p.contains("x.2"));
  testing::CommandResult stats = run_ebmc("diagnose --json --sampler-stats " + out + "/draws.csv");
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  const nlohmann::json st = nlohmann::json::parse(stats.out);
  EXPECT_EQ(st.size(), 7u);
  EXPECT_NEAR(st["accept_stat__"]["mean"].get<double>(), 0.8, 0.2);
  EXPECT_EQ(st["divergent__"]["mean"].get<double>(), 0.0);
  // The summary records the tuning per chain.
  const nlohmann::json tuning = read_json(out + "/summary.json")["run"]["tuning"];
  EXPECT_EQ(tuning["step_size"].size(), 2u);
  EXPECT_EQ(tuning["inverse_metric"][1].size(), 2u);
}

TEST(SampleCliTest, TuningOfOneRunIsReusedByTheNext) {
  testing::TempDir dir;
  const std::string first = dir.file("first"), second = dir.file("second");
  testing::CommandResult r = run_ebmc(
      "sample --target icg:d=5 --sampler hmc:num_steps=5 --chains 3 --warmup 300 --draws 50 "
      "--seed 2 --no-progress --out " +
      first);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::CommandResult again = run_ebmc(
      "sample --target icg:d=5 --sampler hmc:num_steps=5 --chains 3 --warmup 0 --draws 50 "
      "--seed 3 --no-progress --tuning " +
      first + "/summary.json --out " + second);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json a = read_json(first + "/summary.json")["run"]["tuning"];
  const nlohmann::json b = read_json(second + "/summary.json")["run"]["tuning"];
  EXPECT_EQ(a, b);  // no adaptation ran: the kernel sampled with the saved tuning
  const nlohmann::json run = read_json(second + "/summary.json")["run"];
  EXPECT_GT(run["accept_rate"].get<double>(), 0.5);
  // Tuning that does not fit, or a sampler without one, is refused before sampling.
  for (const auto& [args, what] : std::vector<std::pair<std::string, std::string>>{
           {"--target icg:d=5 --sampler hmc --chains 4", "tuning is for 3 chains"},
           {"--target icg:d=6 --sampler hmc --chains 3", "inverse metric has 5 coordinates"},
           {"--target icg:d=5 --sampler rwm --chains 3", "has no step size or metric"},
           {"--target ising:n=3 --sampler gwg --chains 3", "discrete samplers have no step"}}) {
    testing::CommandResult bad = run_ebmc("sample " + args + " --tuning " + first +
                                          "/summary.json --no-progress --out " + dir.file("bad"));
    EXPECT_EQ(bad.exit_code, 2) << args;
    EXPECT_NE(bad.err.find(what), std::string::npos) << bad.err;
  }
  testing::CommandResult missing =
      run_ebmc("sample --target icg:d=5 --sampler hmc --tuning " + dir.file("none.json") +
               " --no-progress --out " + dir.file("bad"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("tuning file not found"), std::string::npos) << missing.err;
}

TEST(SampleCliTest, ListPrintsTheRegistryAsTextAndJson) {
  testing::CommandResult text = run_ebmc("list");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("nuts[:step_size=0.1,max_depth=10,max_delta_h=1000,adapt=1"),
            std::string::npos);
  testing::CommandResult json = run_ebmc("list --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json registry = nlohmann::json::parse(json.out);
  for (const char* kind :
       {"target", "discrete_target", "sampler", "discrete_sampler", "learned_sampler"}) {
    EXPECT_FALSE(registry[kind].empty()) << kind;
  }
  bool found = false;
  for (const nlohmann::json& sampler : registry["sampler"]) {
    if (sampler["name"] == "nuts") {
      found = true;
      EXPECT_EQ(sampler["options"][0]["name"], "step_size");
      EXPECT_EQ(sampler["options"][0]["default"], "0.1");
    }
  }
  EXPECT_TRUE(found);
}

TEST(SampleCliTest, SummaryKeepsTheParameterOrderAndTheDefaultSamplerIsNuts) {
  testing::TempDir dir;
  const std::string out = dir.file("order");
  testing::CommandResult r = run_ebmc(
      "sample --target gaussian:d=11 --chains 2 --warmup 50 --draws 20 --no-progress --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out + "/summary.json");
  const nlohmann::ordered_json summary = nlohmann::ordered_json::parse(in);
  std::vector<std::string> keys;
  for (const auto& item : summary["parameters"].items()) keys.push_back(item.key());
  ASSERT_EQ(keys.size(), 11u);
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], "x." + std::to_string(i + 1));
  EXPECT_EQ(summary["run"]["sampler"], "nuts");
  // Discrete targets default to Gibbs-With-Gradients.
  testing::CommandResult d =
      run_ebmc("sample --target ising:n=3 --chains 2 --warmup 5 --draws 20 --no-progress --out " +
               dir.file("ising"));
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(read_json(dir.file("ising") + "/summary.json")["run"]["sampler"], "gwg");
}

/// Starts a long `ebmc sample` into `out`, sends `signal` `seconds` after sampling started (and
/// after running the shell command `while_running`), and returns the exit
/// code (runs through the shell, as a user's Ctrl-C or a job scheduler's SIGTERM would).
int interrupt_long_run(const std::string& out, const std::string& signal, double seconds,
                       const std::string& while_running = "") {
  const std::string command =
      std::string(EBMC_CLI_PATH) +
      " sample --target gaussian:d=2 --sampler rwm --chains 2 --warmup 0 --draws 20000 "
      "--thin 100 --no-progress --out " +
      out + " >/dev/null 2>" + out + ".err & pid=$!; " +
      // Wait until the run has started sampling (its partial draws file exists), at most 20 s.
      "i=0; while [ ! -e " + out + "/draws.csv.partial ] && [ $i -lt 200 ]; do sleep 0.1; " +
      "i=$((i+1)); done; sleep " + std::to_string(seconds) + "; " + while_running + " kill -" +
      signal + " $pid; wait $pid; exit $?";
  const int status = std::system(("sh -c '" + command + "'").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SampleCliTest, InterruptedRunKeepsItsDrawsAndSaysSo) {
  testing::TempDir dir;
  const std::string out = dir.file("run");
  // A second run into the same folder while the first holds it is refused, and does not touch
  // the first one's files.
  const std::string second = std::string(EBMC_CLI_PATH) +
                             " sample --target gaussian --draws 10 --no-progress --out " + out +
                             " 2>" + out + ".second; echo $? >" + out + ".code;";
  EXPECT_EQ(interrupt_long_run(out, "INT", 0.5, second), 130);
  std::ifstream code(out + ".code"), second_err(out + ".second");
  std::string second_code, second_message;
  std::getline(code, second_code);
  std::getline(second_err, second_message);
  EXPECT_EQ(second_code, "2");
  EXPECT_NE(second_message.find("another ebmc run is writing to this output folder"),
            std::string::npos)
      << second_message;

  const nlohmann::json summary = read_json(out + "/summary.json");
  EXPECT_TRUE(summary["run"]["interrupted"].get<bool>());
  EXPECT_FALSE(std::filesystem::exists(out + "/draws.csv"));  // only complete runs are draws.csv
  testing::CommandResult diag = run_ebmc("diagnose --json " + out + "/draws.csv.partial");
  ASSERT_EQ(diag.exit_code, 0) << diag.err;
  EXPECT_TRUE(nlohmann::json::parse(diag.out).contains("x.1"));
  std::ifstream err(out + ".err");
  const std::string message((std::istreambuf_iterator<char>(err)),
                            std::istreambuf_iterator<char>());
  EXPECT_NE(message.find("interrupted; the draws so far are in"), std::string::npos) << message;
  // SIGTERM (a scheduler's stop) likewise, with exit code 143.
  std::filesystem::remove(out + "/draws.csv.partial");  // so the wait sees the new run start
  EXPECT_EQ(interrupt_long_run(out, "TERM", 0.5), 143);
  EXPECT_TRUE(read_json(out + "/summary.json")["run"]["interrupted"].get<bool>());
}

TEST(SampleCliTest, OutputFolderIsCheckedAndClearedBeforeTheRun) {
  testing::TempDir dir;
  const std::string file = dir.write("a_file", "x");
  testing::CommandResult r =
      run_ebmc("sample --target gaussian --draws 10 --no-progress --out " + file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("output folder is an existing file"), std::string::npos) << r.err;
  const std::string out = dir.file("run");
  std::filesystem::create_directories(out);
  std::ofstream(out + "/draws.csv.partial") << "stale";
  std::ofstream(out + "/summary.txt") << "stale";
  testing::CommandResult ok =
      run_ebmc("sample --target gaussian --warmup 50 --draws 20 --no-progress --out " + out);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_FALSE(std::filesystem::exists(out + "/draws.csv.partial"));
  std::ifstream text(out + "/summary.txt");
  std::string first;
  std::getline(text, first);
  EXPECT_EQ(first.rfind("target gaussian", 0), 0u) << first;
}

TEST(SampleCliTest, SeedsSizesAndMemoryAreCheckedBeforeTheRun) {
  testing::TempDir dir;
  const std::string out = " --no-progress --out " + dir.file("r");
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--seed -1", "seed must be an integer in 0 ... 18446744073709551615"},
           {"--seed 18446744073709551616", "seed must be an integer"},
           {"--draws 1000000000 --chains 1000", "more than the"},
           {"--draws 4611686018427387904 --thin 4", "draws x thin overflows"},
           {"--chains 100000000", "chains must be <="}}) {
    testing::CommandResult r = run_ebmc("sample --target gaussian " + args + out);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("r") + "/draws.csv.partial")) << args;
  }
  // The largest seed is a seed like any other.
  testing::CommandResult max =
      run_ebmc("sample --target gaussian --warmup 20 --draws 20 --seed 18446744073709551615" + out);
  EXPECT_EQ(max.exit_code, 0) << max.err;
}

TEST(SampleCliTest, InitialValuesFromAFileAndSavedWarmup) {
  testing::TempDir dir;
  const std::string per_chain =
      dir.write("inits.json", R"([{"x.1": 5.0}, {"x.1": -5.0, "x.2": 1.5}])");
  const std::string out = dir.file("run");
  testing::CommandResult r = run_ebmc(
      "sample --target gaussian --sampler rwm:step_size=1e-9 --chains 2 --warmup 3 --draws 2 "
      "--save-warmup --no-progress --init " +
      per_chain + " --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A step size of 1e-9 barely moves the chains: the first warmup rows are the inits.
  std::ifstream warmup(out + "/warmup.csv");
  std::string header, row1, row2;
  std::getline(warmup, header);
  std::getline(warmup, row1);
  std::getline(warmup, row2);
  EXPECT_EQ(header.rfind("chain,iter,x.1,x.2,lp__,accept_stat__", 0), 0u) << header;
  auto fields = [](const std::string& row) {
    std::vector<double> values;
    std::istringstream in(row);
    for (std::string field; std::getline(in, field, ',');) values.push_back(std::stod(field));
    return values;
  };
  const std::vector<double> first = fields(row1), second = fields(row2);
  EXPECT_NEAR(first[2], 5.0, 1e-6) << row1;  // x.1 given; x.2 from the uniform inits
  EXPECT_LT(std::fabs(first[3]), 2.0) << row1;
  EXPECT_NEAR(second[2], -5.0, 1e-6) << row2;
  EXPECT_NEAR(second[3], 1.5, 1e-6) << row2;
  int rows = 0;
  for (std::string line; std::getline(warmup, line);) ++rows;
  EXPECT_EQ(rows, 2 * 3 - 2);  // 3 warmup transitions of 2 chains in all
  for (const auto& [content, message] : std::vector<std::pair<std::string, std::string>>{
           {R"({"y": 1})", "unknown parameter 'y'"},
           {R"([{"x.1": 1}])", "holds 1 objects for 2 chains"},
           {R"({"x.1": "a"})", "must be a finite number"},
           {"not json", "not a JSON file"}}) {
    testing::CommandResult bad =
        run_ebmc("sample --target gaussian --chains 2 --init " + dir.write("bad.json", content) +
                 " --no-progress --out " + dir.file("bad"));
    EXPECT_EQ(bad.exit_code, 2) << content;
    EXPECT_NE(bad.err.find(message), std::string::npos) << bad.err;
  }
}

TEST(SampleCliTest, DiscreteRunsCanSaveTheirStates) {
  testing::TempDir dir;
  const std::string out = dir.file("potts");
  testing::CommandResult r = run_ebmc(
      "sample --target potts:n=2,k=3 --chains 2 --warmup 5 --draws 6 --thin 2 --save-states "
      "--no-progress --out " +
      out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out + "/states.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "chain,iter,s.1,s.2,s.3,s.4");
  int rows = 0;
  for (std::string line; std::getline(in, line); ++rows) {
    std::istringstream fields(line);
    std::vector<double> values;
    for (std::string f; std::getline(fields, f, ',');) values.push_back(std::stod(f));
    ASSERT_EQ(values.size(), 6u) << line;
    for (size_t i = 2; i < 6; ++i) EXPECT_TRUE(values[i] == 0 || values[i] == 1 || values[i] == 2);
  }
  EXPECT_EQ(rows, 2 * 6);
  testing::CommandResult continuous =
      run_ebmc("sample --target gaussian --save-states --no-progress --out " + dir.file("g"));
  EXPECT_EQ(continuous.exit_code, 2);
}

}  // namespace
}  // namespace ebmc
