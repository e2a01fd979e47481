// blr: y ~ Bernoulli(logit^-1(X theta)), theta ~ N(0, prior_scale^2 I), with ebmc's design
// matrix (intercept column, standardized predictors) written by `ebmc bench stan`. Stan's fastest
// formulation of it: bernoulli_logit_glm (one fused likelihood and gradient; 3.3x the plain
// bernoulli_logit(X * theta) per gradient on German credit), intercept 0 since X holds it.
data {
  int<lower=1> n;
  int<lower=1> k;
  matrix[n, k] X;
  int<lower=0, upper=1> y[n];
  real<lower=0> prior_scale;
}
parameters {
  vector[k] theta;
}
model {
  theta ~ normal(0, prior_scale);
  y ~ bernoulli_logit_glm(X, 0, theta);
}
