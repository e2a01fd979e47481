// NUTS on German-credit logistic regression, chosen by spec from ebmc's registry, as
// `ebmc sample` does: summary table and the run's warnings.
//
//     ./sample_builtin [chains]

#include <ebmc/diagnostics/summary.h>
#include <ebmc/diagnostics/warnings.h>
#include <ebmc/io/summary_report.h>
#include <ebmc/samplers/sample.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  ebmc::SampleRequest request;
  request.target = "blr:data=german";
  request.sampler = "nuts";
  request.chains = argc > 1 ? std::stoi(argv[1]) : 4;
  request.seed = 2026;
  request.run = ebmc::RunOptions().warmup(300).draws(300);
  ebmc::SampleJob job(request);
  ebmc::RunResult result = job.run();
  const auto summaries =
      ebmc::summarize_all(job.recorded_names(), ebmc::per_parameter(result.draws));
  std::cout << ebmc::format_summary_table(summaries);
  for (const ebmc::RunWarning& w : ebmc::run_warnings(result, summaries)) {
    std::cout << "warning: " << w.message << '\n';
  }
  std::cout << "gradient evaluations: " << result.total_cost().gradient_evals << '\n';
  return 0;
}
