// scg: x ~ N(mu, Sigma), as ebmc's DenseGaussian.
data {
  int<lower=1> d;
  vector[d] mu;
  cov_matrix[d] Sigma;
}
parameters {
  vector[d] x;
}
model {
  x ~ multi_normal(mu, Sigma);
}
