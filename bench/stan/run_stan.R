# Runs one Stan model for `ebmc bench stan` and writes what ebmc needs to compare:
#   Rscript bench/stan/run_stan.R MODEL.stan DATA.R OUTDIR CHAINS WARMUP DRAWS SEED ADAPT_DELTA
# OUTDIR/draws.csv: chain,iter,<parameters> (sampling iterations only);
# OUTDIR/stan.json: compile, warmup and sampling seconds (summed over chains, which run one after
# another on one core), leapfrog steps (gradient evaluations) in the sampling phase, divergences.
# Needs Debian's r-cran-rstan (its headers come from /usr/include/boost).
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 8)
suppressPackageStartupMessages(library(rstan))
rstan_options(auto_write = TRUE)
model_file <- args[1]; data_file <- args[2]; out <- args[3]
chains <- as.integer(args[4]); warmup <- as.integer(args[5]); draws <- as.integer(args[6])
seed <- as.integer(args[7]); adapt_delta <- as.numeric(args[8])
# Debian's r-cran-bh ships no headers: give rstan the system Boost (libboost-dev) through a folder
# holding just a `boost` link, so that /usr/include itself is not added to the include path.
boost <- file.path(tempdir(), "boost_include")
dir.create(boost, showWarnings = FALSE)
if (!file.exists(file.path(boost, "boost"))) file.symlink("/usr/include/boost", file.path(boost, "boost"))
compile <- system.time(model <- stan_model(model_file, auto_write = TRUE,
                                           boost_lib = boost))[["elapsed"]]
data <- read_rdump(data_file)
fit <- sampling(model, data = data, chains = chains, cores = 1, iter = warmup + draws,
                warmup = warmup, seed = seed, refresh = 0, control = list(adapt_delta = adapt_delta))
x <- as.array(fit)  # [iterations, chains, parameters] (lp__ last)
x <- x[, , dimnames(x)[[3]] != "lp__", drop = FALSE]
rows <- NULL
for (c in seq_len(dim(x)[2])) {
  rows <- rbind(rows, cbind(chain = c, iter = seq_len(dim(x)[1]), x[, c, ]))
}
write.csv(rows, file.path(out, "draws.csv"), row.names = FALSE, quote = FALSE)
times <- get_elapsed_time(fit)
params <- get_sampler_params(fit, inc_warmup = FALSE)
leapfrogs <- sum(sapply(params, function(p) sum(p[, "n_leapfrog__"])))
divergent <- sum(sapply(params, function(p) sum(p[, "divergent__"])))
cat(sprintf(paste0('{"compile_seconds": %.6f, "warmup_seconds": %.6f, "sampling_seconds": %.6f, ',
                   '"gradient_evals": %.0f, "divergences": %d, "rstan": "%s"}\n'),
            compile, sum(times[, "warmup"]), sum(times[, "sample"]), leapfrogs, divergent,
            as.character(packageVersion("rstan"))),
    file = file.path(out, "stan.json"))
