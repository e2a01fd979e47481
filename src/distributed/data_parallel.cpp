#include "ebmc/distributed/data_parallel.h"

#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/rng.h"
#include "ebmc/distributed/process_group.h"

namespace ebmc {

RowShare contiguous_share(int64_t total, int rank, int world_size) {
  const int64_t first = total * rank / world_size;
  return RowShare{first, total * (rank + 1) / world_size - first};
}

RowShare batch_share(int64_t batch, int rank, int world_size) {
  if (batch < world_size) {
    throw InputError("a batch of " + std::to_string(batch) + " rows cannot be shared by " +
                         std::to_string(world_size) + " processes",
                     "--batch");
  }
  return contiguous_share(batch, rank, world_size);
}

BatchShare::BatchShare(ProcessGroup& group, int64_t total)
    : group_(&group), rows_(batch_share(total, group.rank(), group.world_size())), total_(total) {}

BatchShare BatchShare::share_of(int64_t total) const {
  return whole() ? BatchShare() : BatchShare(*group_, total);
}

double BatchShare::fraction() const {
  return whole() ? 1.0 : static_cast<double>(rows_.count) / static_cast<double>(total_);
}

int64_t BatchShare::blocks(int64_t rows) const {
  if (rows % rows_.count != 0) {
    throw std::logic_error("BatchShare: " + std::to_string(rows) + " rows are not blocks of " +
                           std::to_string(rows_.count));
  }
  return rows / rows_.count;
}

std::vector<int64_t> BatchShare::whole_sizes(torch::IntArrayRef sizes) const {
  std::vector<int64_t> whole(sizes.begin(), sizes.end());
  whole[0] = blocks(sizes[0]) * total_;
  return whole;
}

torch::Tensor BatchShare::take(const torch::Tensor& whole) const {
  if (this->whole()) return whole;
  const int64_t k = whole.size(0) / total_;
  if (k * total_ != whole.size(0)) {
    throw std::logic_error("BatchShare::take: " + std::to_string(whole.size(0)) +
                           " rows are not blocks of the batch's " + std::to_string(total_));
  }
  if (k == 1) return whole.narrow(0, rows_.first, rows_.count);
  std::vector<torch::Tensor> parts;
  for (int64_t b = 0; b < k; ++b)
    parts.push_back(whole.narrow(0, b * total_ + rows_.first, rows_.count));
  return torch::cat(parts);
}

torch::Tensor BatchShare::normal(Rng& rng, torch::IntArrayRef sizes) const {
  return whole() ? rng.normal(sizes) : take(rng.normal(whole_sizes(sizes)));
}

torch::Tensor BatchShare::uniform(Rng& rng, torch::IntArrayRef sizes) const {
  return whole() ? rng.uniform(sizes) : take(rng.uniform(whole_sizes(sizes)));
}

Rng BatchShare::rows_of(Rng& rng) const {
  return whole() ? rng : rng.rows(rows_.first, rows_.count, total_);
}

torch::Tensor BatchShare::mean(const torch::Tensor& values) const {
  if (whole()) return values.mean();
  return values.sum() / static_cast<double>(blocks(values.size(0)) * total_);
}

std::vector<double> BatchShare::batch_means(const std::vector<torch::Tensor>& values) const {
  std::vector<double> means;
  if (values.empty()) return means;  // alike on every rank: no collective
  if (whole()) {
    for (const torch::Tensor& v : values) means.push_back(v.detach().mean().item<double>());
    return means;
  }
  std::vector<torch::Tensor> sums = {
      torch::zeros({static_cast<int64_t>(values.size())}, torch::kFloat64)};
  for (size_t i = 0; i < values.size(); ++i) {
    sums[0][static_cast<int64_t>(i)] = values[i].detach().to(torch::kFloat64).sum();
  }
  group_->sum(sums);
  for (size_t i = 0; i < values.size(); ++i) {
    means.push_back(sums[0][static_cast<int64_t>(i)].item<double>() /
                    static_cast<double>(blocks(values[i].size(0)) * total_));
  }
  return means;
}

double BatchShare::sum_gradients(const std::vector<torch::Tensor>& parameters, double loss) const {
  return whole() ? loss : sum_over_ranks(*group_, parameters, loss);
}

double sum_over_ranks(ProcessGroup& group, const std::vector<torch::Tensor>& parameters,
                      double loss, bool* signalled) {
  std::vector<torch::Tensor> sums;
  for (const torch::Tensor& p : parameters) {
    torch::Tensor& grad = const_cast<torch::Tensor&>(p).mutable_grad();
    if (!grad.defined()) grad = torch::zeros_like(p);
    sums.push_back(grad);
  }
  const double flag = signalled != nullptr && interrupt_requested() ? 1.0 : 0.0;
  sums.push_back(torch::tensor({loss, flag}, torch::kFloat64));
  group.sum(sums);
  if (signalled != nullptr) *signalled = sums.back()[1].item<double>() > 0;
  return sums.back()[0].item<double>();
}

torch::Tensor BatchShare::gather(const torch::Tensor& mine) const {
  if (whole()) return mine;
  const int64_t k = blocks(mine.size(0));
  const std::vector<torch::Tensor> ranks = group_->all_gather_rows(mine.contiguous());
  // Block b of the batch is block b of every rank, in rank order.
  std::vector<torch::Tensor> parts;
  for (int64_t b = 0; b < k; ++b) {
    for (const torch::Tensor& r : ranks) {
      const int64_t count = r.size(0) / k;
      parts.push_back(r.narrow(0, b * count, count));
    }
  }
  return torch::cat(parts);
}

namespace {

int world_size_of(const ProcessGroup* group) { return group == nullptr ? 1 : group->world_size(); }

}  // namespace

void write_world_size(torch::serialize::OutputArchive& archive, const ProcessGroup* group) {
  archive.write("world_size", c10::IValue(static_cast<int64_t>(world_size_of(group))));
}

void check_world_size(torch::serialize::InputArchive& archive, const ProcessGroup* group,
                      const std::string& checkpoint) {
  const int world_size = world_size_of(group);
  c10::IValue saved;
  const int64_t written = archive.try_read("world_size", saved) ? saved.toInt() : 1;
  if (written != world_size) {
    throw InputError(
        "checkpoint was written by a job of " + std::to_string(written) + " process" +
            (written == 1 ? "" : "es") + ", this one has " + std::to_string(world_size) +
            ": resume with the same number (ebmc launch -n " + std::to_string(written) +
            "), as the sums over the processes round "
            "differently with another",
        checkpoint);
  }
}

}  // namespace ebmc
