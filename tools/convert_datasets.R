#!/usr/bin/env Rscript
# Converts the Bayesian-logistic-regression data sets shipped by Debian's R packages into the
# CSV files under data/ (first column y in {0,1}, then the raw predictors; ebmc standardizes them
# when it loads them). Run once by hand:
#   apt-get install r-base-core r-cran-caret r-cran-mlbench
#   Rscript tools/convert_datasets.R data
# Never run by the build.

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "data"

# Drops constant predictors and predictors that are linear combinations of the intercept and the
# predictors before them (full sets of dummy columns), so the posterior is proper and identified.
identifiable <- function(x) {
  x <- x[, apply(x, 2, function(col) length(unique(col)) > 1), drop = FALSE]
  design <- cbind(1, x)
  q <- qr(design, tol = 1e-9)
  keep <- sort(q$pivot[seq_len(q$rank)])
  keep <- keep[keep > 1] - 1
  x[, keep, drop = FALSE]
}

write_dataset <- function(name, y, x) {
  x <- identifiable(as.matrix(x))
  storage.mode(x) <- "double"
  out <- data.frame(y = as.integer(y), x, check.names = TRUE)
  path <- file.path(out_dir, paste0(name, ".csv"))
  write.csv(out, path, row.names = FALSE, quote = FALSE)
  cat(sprintf("%s: %d rows, %d predictors -> %s\n", name, nrow(x), ncol(x), path))
}

data(GermanCredit, package = "caret")
write_dataset("german", GermanCredit$Class == "Bad",
              GermanCredit[, setdiff(names(GermanCredit), "Class")])

library(mlbench)
data(PimaIndiansDiabetes)
write_dataset("pima", PimaIndiansDiabetes$diabetes == "pos",
              PimaIndiansDiabetes[, setdiff(names(PimaIndiansDiabetes), "diabetes")])

data(Sonar)
write_dataset("sonar", Sonar$Class == "M", Sonar[, setdiff(names(Sonar), "Class")])

data(Ionosphere)
iono <- Ionosphere[, setdiff(names(Ionosphere), "Class")]
iono$V1 <- as.numeric(as.character(iono$V1))
iono$V2 <- as.numeric(as.character(iono$V2))
write_dataset("ionosphere", Ionosphere$Class == "good", iono)
