#include "ebmc/io/draws_csv.h"

#include <cstdio>
#include <limits>
#include <map>

#include "ebmc/core/errors.h"
#include "ebmc/io/csv_reader.h"

namespace ebmc {

namespace {

void check_field_count(const CsvReader& reader, const std::vector<std::string>& fields,
                       size_t expected) {
  if (fields.size() != expected) {
    throw InputError("row has " + std::to_string(fields.size()) + " fields, expected " +
                         std::to_string(expected),
                     reader.where());
  }
}

long long parse_integer(const CsvReader& reader, const std::string& field,
                        const std::string& column) {
  const double value = reader.parse_number(field, column);
  if (!(value == static_cast<double>(static_cast<long long>(value)))) {
    throw InputError("column " + column + " must hold integers, got '" + field + "'",
                     reader.where());
  }
  return static_cast<long long>(value);
}

void require_draws(long long draws, const std::string& path) {
  if (draws < 2) {
    throw InputError("need at least 2 draws per chain, got " + std::to_string(draws), path);
  }
}

}  // namespace

LongDraws read_long_draws(const std::string& path) {
  CsvReader reader(path);
  std::vector<std::string> header;
  if (!reader.next_row(header)) throw InputError("file is empty", path);
  if (header.size() < 3 || header[0] != "chain" || header[1] != "iter") {
    throw InputError("header must be 'chain,iter,<parameter names...>'", reader.where());
  }
  for (size_t j = 2; j < header.size(); ++j) {
    if (header[j].empty()) {
      throw InputError("header column " + std::to_string(j + 1) + " has no name", reader.where());
    }
  }
  const size_t n_params = header.size() - 2;

  struct ChainRows {
    long long last_iter = std::numeric_limits<long long>::min();
    std::vector<std::vector<double>> columns;  // one vector per parameter
  };
  std::map<long long, ChainRows> chains;
  LongDraws draws;
  std::vector<std::string> fields;
  while (reader.next_row(fields)) {
    check_field_count(reader, fields, header.size());
    const long long chain = parse_integer(reader, fields[0], "chain");
    const long long iter = parse_integer(reader, fields[1], "iter");
    auto [it, inserted] = chains.try_emplace(chain);
    ChainRows& rows = it->second;
    if (inserted) {
      rows.columns.resize(n_params);
      draws.chain_ids.push_back(chain);
    }
    if (iter <= rows.last_iter) {
      throw InputError("iter of chain " + std::to_string(chain) + " does not increase (" +
                           std::to_string(iter) + " after " + std::to_string(rows.last_iter) + ")",
                       reader.where());
    }
    rows.last_iter = iter;
    for (size_t j = 0; j < n_params; ++j) {
      rows.columns[j].push_back(reader.parse_number(fields[j + 2], header[j + 2]));
    }
  }
  if (chains.empty()) throw InputError("file has a header but no draws", path);

  const long long first_chain = draws.chain_ids.front();
  const size_t iterations = chains.at(first_chain).columns[0].size();
  for (long long id : draws.chain_ids) {
    const size_t n = chains.at(id).columns[0].size();
    if (n != iterations) {
      throw InputError("chain " + std::to_string(id) + " has " + std::to_string(n) +
                           " draws but chain " + std::to_string(first_chain) + " has " +
                           std::to_string(iterations),
                       path);
    }
  }
  require_draws(static_cast<long long>(iterations), path);

  draws.names.assign(header.begin() + 2, header.end());
  for (size_t j = 0; j < n_params; ++j) {
    ChainMatrix m(static_cast<int64_t>(iterations), static_cast<int64_t>(draws.chain_ids.size()));
    for (size_t c = 0; c < draws.chain_ids.size(); ++c) {
      const std::vector<double>& column = chains.at(draws.chain_ids[c]).columns[j];
      for (size_t i = 0; i < iterations; ++i) {
        m(static_cast<int64_t>(i), static_cast<int64_t>(c)) = column[i];
      }
    }
    draws.parameters.push_back(std::move(m));
  }
  return draws;
}

ChainMatrix read_matrix_draws(const std::string& path) {
  CsvReader reader(path);
  std::vector<std::vector<double>> rows;
  std::vector<std::string> fields;
  while (reader.next_row(fields)) {
    if (!rows.empty()) check_field_count(reader, fields, rows.front().size());
    std::vector<double> row;
    row.reserve(fields.size());
    for (size_t c = 0; c < fields.size(); ++c) {
      row.push_back(reader.parse_number(fields[c], std::to_string(c + 1)));
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw InputError("file is empty", path);
  require_draws(static_cast<long long>(rows.size()), path);
  ChainMatrix m(static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows.front().size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t c = 0; c < rows[i].size(); ++c) {
      m(static_cast<int64_t>(i), static_cast<int64_t>(c)) = rows[i][c];
    }
  }
  return m;
}

void write_long_header(std::ostream& out, const std::vector<std::string>& names) {
  out << "chain,iter";
  for (const std::string& name : names) out << ',' << name;
  out << '\n';
}

void write_long_rows(std::ostream& out, int64_t iter, const torch::Tensor& x) {
  torch::Tensor values = x.to(torch::kFloat64).contiguous();
  const double* data = values.data_ptr<double>();
  const int64_t chains = values.size(0);
  const int64_t dim = values.size(1);
  char buffer[32];
  for (int64_t c = 0; c < chains; ++c) {
    out << (c + 1) << ',' << iter;
    for (int64_t d = 0; d < dim; ++d) {
      // 17 significant digits round-trip a double exactly.
      std::snprintf(buffer, sizeof(buffer), ",%.17g", data[c * dim + d]);
      out << buffer;
    }
    out << '\n';
  }
}

CsvDrawWriter::CsvDrawWriter(std::string path, std::vector<std::string> names,
                             std::vector<std::string> stat_names)
    : path_(std::move(path)), names_(std::move(names)), with_stats_(!stat_names.empty()) {
  names_.insert(names_.end(), stat_names.begin(), stat_names.end());
}

void CsvDrawWriter::on_start(const RunOptions& /*options*/, const State& /*initial*/) {
  out_.open(path_ + ".partial", std::ios::trunc);
  if (!out_) throw InputError("cannot write draws", path_ + ".partial");
  write_long_header(out_, names_);
}

void CsvDrawWriter::on_draw(int64_t draw, const torch::Tensor& recorded,
                            const torch::Tensor& stats) {
  write_long_rows(out_, draw + 1, with_stats_ ? torch::cat({recorded, stats}, 1) : recorded);
}

void CsvDrawWriter::on_finish(const RunResult& /*result*/) {
  out_.close();
  if (!out_ || std::rename((path_ + ".partial").c_str(), path_.c_str()) != 0) {
    throw InputError("cannot write draws", path_);
  }
}

}  // namespace ebmc
