// icg: x ~ N(mu, diag(sd^2)), as ebmc's DiagonalGaussian.
data {
  int<lower=1> d;
  vector[d] mu;
  vector<lower=0>[d] sd;
}
parameters {
  vector[d] x;
}
model {
  x ~ normal(mu, sd);
}
