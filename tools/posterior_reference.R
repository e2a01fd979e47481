# Reference values of every diagnostic, computed by R's `posterior` (Debian's r-cran-posterior)
# on the draws exactly as the test files hold them:
#  - tied draws made here: each case an iterations x chains matrix written with 17 significant
#    digits (tests/diagnostics/posterior_reference/<case>.csv, no header) and a row of expected.csv;
#  - the shared cases (../shared/testdata/diagnostics/<case>.csv), read back from their files:
#    tests/diagnostics/posterior_reference/shared_expected.csv.
# Run from the repository root: Rscript tools/posterior_reference.R
suppressMessages(library(posterior))
set.seed(20261207)
out <- "tests/diagnostics/posterior_reference"

ar1 <- function(n, chains, rho) {
  x <- matrix(0, n, chains)
  for (c in seq_len(chains)) {
    x[, c] <- as.numeric(stats::filter(rnorm(n), rho, method = "recursive"))
  }
  x
}

# Draws rounded to 6 digits whose two middle values differ, with a midpoint (the median) that
# is not a double: |x - median| of the two differs in the last bit, which posterior's ranks see.
inexact_midpoint <- function() {
  repeat {
    x <- signif(1.3 + 0.002 * ar1(500, 4, 0.7), 6)
    s <- sort(x)
    lower <- s[length(s) / 2]
    upper <- s[length(s) / 2 + 1]
    m <- median(x)
    if (lower != upper && (m - lower) != (upper - m)) return(x)
  }
}

cases <- list(
  stan_6_digits_inexact_median = inexact_midpoint(),
  # Stan's CSV keeps 6 significant digits: a few hundred ties among 4000 draws.
  stan_6_digits = signif(2.5 + 0.01 * ar1(1000, 4, 0.6), 6),
  # Coarser rounding: most draws tied.
  rounded_2_digits = signif(ar1(1000, 4, 0.8), 2),
  # Integer draws (counts).
  poisson_counts = matrix(rpois(2000, 3), 500, 4),
  # An Ising energy: 16 levels 1.2 apart, correlated.
  energy_levels = matrix(-120 + 1.2 * round(pmax(0, pmin(15, 7 + 2 * ar1(800, 4, 0.9)))), 800, 4),
  # Odd iterations (split chains drop the middle draw), ties.
  odd_iterations = round(ar1(301, 4, 0.5), 1),
  # Each chain constant at its own value.
  constant_chains = matrix(rep(c(1, 2, 3, 4), each = 100), 100, 4),
  # One chain constant, the others not.
  one_constant_chain = cbind(rep(0.5, 200), round(ar1(200, 3, 0.3), 1)),
  # Every draw the same: no diagnostic is defined.
  constant_parameter = matrix(1.25, 100, 4)
)

fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
# R-hat is the larger of these two; both are compared, so that neither can hide the other.
split_z <- function(y) posterior:::.rhat(z_scale(posterior:::.split_chains(y)))
expected_rows <- function(cases) {
  rows <- list()
  for (name in names(cases)) {
    x <- cases[[name]]
    values <- c(rhat_bulk = split_z(x), rhat_tail = split_z(posterior:::fold_draws(x)),
                rhat = rhat(x), rhat_basic = rhat_basic(x), ess_bulk = ess_bulk(x),
                ess_tail = ess_tail(x), ess_basic = ess_basic(x), ess_mean = ess_mean(x),
                mcse_mean = mcse_mean(x), mcse_sd = mcse_sd(x))
    rows[[name]] <- c(case = name, fmt(values))
  }
  expected <- do.call(rbind, rows)
  colnames(expected)[1] <- "case"
  expected
}

for (name in names(cases)) {
  x <- cases[[name]]
  write.table(matrix(fmt(x), nrow(x)), file.path(out, paste0(name, ".csv")), sep = ",",
              quote = FALSE, row.names = FALSE, col.names = FALSE)
}
write.csv(expected_rows(cases), file.path(out, "expected.csv"), quote = FALSE, row.names = FALSE)

shared <- "../shared/testdata/diagnostics"
shared_names <- sub("\\.csv$", "", setdiff(list.files(shared, "\\.csv$"), "expected.csv"))
shared_cases <- lapply(shared_names, function(name) {
  unname(as.matrix(read.csv(file.path(shared, paste0(name, ".csv")), header = FALSE)))
})
names(shared_cases) <- shared_names
write.csv(expected_rows(shared_cases), file.path(out, "shared_expected.csv"), quote = FALSE,
          row.names = FALSE)
cat("posterior", as.character(packageVersion("posterior")), "wrote", length(cases), "+",
    length(shared_cases), "cases\n")

# R's qnorm on a grid (posterior's z_scale uses it): uniform p, both tails down to 1e-300 and the
# rank-normalization points of 3999 draws.
set.seed(3)
p <- c(runif(2000), 10^-(1:300), 1 - 10^-(1:15), 0.075, 0.925, 0.5, 0.925,
       (1:3999 - 3/8) / (3999 + 1/4))
writeLines(sprintf("%.17g,%.17g", p, qnorm(p)), file.path(out, "qnorm.csv"))
