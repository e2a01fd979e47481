// funnel: x[1] ~ N(0, sigma^2), x[2:d] | x[1] ~ N(0, exp(x[1])), as ebmc's Funnel.
data {
  int<lower=2> d;
  real<lower=0> sigma;
}
parameters {
  vector[d] x;
}
model {
  x[1] ~ normal(0, sigma);
  x[2:d] ~ normal(0, exp(0.5 * x[1]));
}
