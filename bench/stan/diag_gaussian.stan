// icg: x ~ N(mu, diag(scale^2)), as ebmc's DiagonalGaussian.
data {
  int<lower=1> d;
  vector[d] mu;
  vector<lower=0>[d] scale;
}
parameters {
  vector[d] x;
}
model {
  x ~ normal(mu, scale);
}
