#include "ebmc/io/draws_csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
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

namespace {

/// One file's draws: column names and, per chain, one vector of values per column.
struct FileDraws {
  std::vector<std::string> names;
  std::vector<long long> chain_ids;
  std::vector<std::vector<std::vector<double>>> chains;  ///< [chain][column][draw]
};

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// ebmc ends every row with a line end: in a `.partial` file (an interrupted run) an
/// unterminated last line is one the writer was killed in the middle of, however complete it
/// looks.
bool is_partial_file(const std::string& path) { return ends_with(path, ".partial"); }
bool torn_row(const CsvReader& reader, bool partial) {
  return partial && reader.last_row_unterminated();
}

/// Reads ebmc's long format (`chain,iter,…`, any number of chains) or CmdStan's CSV (a header
/// with `lp__`; one chain; the warmup draws before "# Adaptation terminated" are dropped). A
/// `.partial` file (an interrupted run) loses a torn last line, noted in `notes`.
FileDraws read_file(const std::string& path, std::vector<std::string>& notes) {
  CsvReader reader(path);
  std::vector<std::string> header;
  if (!reader.next_row(header)) throw InputError("file is empty", reader.path());
  const bool long_format = header.size() >= 3 && header[0] == "chain" && header[1] == "iter";
  const bool cmdstan =
      !long_format && std::find(header.begin(), header.end(), "lp__") != header.end();
  if (!long_format && !cmdstan) {
    throw InputError(CsvReader::all_numbers(header)
                         ? "the first row holds numbers, not column names: add a header line "
                           "'chain,iter,<parameter names...>' (or give CmdStan's CSV, with lp__)"
                         : "header must be 'chain,iter,<parameter names...>' (or CmdStan's, "
                           "with lp__)",
                     reader.where());
  }
  const size_t first = long_format ? 2 : 0;
  reader.check_header_names(header, first);
  const size_t n_columns = header.size() - first;
  const bool partial = is_partial_file(path);

  FileDraws file;
  file.names.assign(header.begin() + static_cast<std::ptrdiff_t>(first), header.end());
  std::map<long long, size_t> chain_index;
  std::vector<long long> last_iter;
  std::vector<std::string> fields;
  while (reader.next_row(fields)) {
    if (cmdstan &&
        reader.comments_before_row().find("Adaptation terminated") != std::string::npos &&
        !file.chains.empty() && !file.chains[0][0].empty()) {
      notes.push_back(reader.path() + ": dropped " + std::to_string(file.chains[0][0].size()) +
                      " warmup draws before '# Adaptation terminated'");
      for (std::vector<double>& column : file.chains[0]) column.clear();
    }
    if (torn_row(reader, partial)) {
      notes.push_back(reader.where() + ": dropped the torn last line of an interrupted run");
      break;
    }
    check_field_count(reader, fields, header.size());
    const long long chain = long_format ? parse_integer(reader, fields[0], "chain") : 1;
    const long long iter = long_format ? parse_integer(reader, fields[1], "iter") : 0;
    auto [it, inserted] = chain_index.try_emplace(chain, file.chains.size());
    if (inserted) {
      file.chains.emplace_back(n_columns);
      file.chain_ids.push_back(chain);
      last_iter.push_back(std::numeric_limits<long long>::min());
    }
    const size_t c = it->second;
    if (long_format) {
      if (iter <= last_iter[c]) {
        throw InputError("iter of chain " + std::to_string(chain) + " does not increase (" +
                             std::to_string(iter) + " after " + std::to_string(last_iter[c]) + ")",
                         reader.where());
      }
      last_iter[c] = iter;
    }
    for (size_t j = 0; j < n_columns; ++j) {
      file.chains[c][j].push_back(reader.parse_number(fields[j + first], header[j + first]));
    }
  }
  if (file.chains.empty()) throw InputError("file has a header but no draws", reader.path());

  size_t shortest = file.chains[0][0].size();
  for (size_t c = 0; c < file.chains.size(); ++c) {
    const size_t n = file.chains[c][0].size();
    if (n != file.chains[0][0].size() && !partial) {
      throw InputError("chain " + std::to_string(file.chain_ids[c]) + " has " + std::to_string(n) +
                           " draws but chain " + std::to_string(file.chain_ids[0]) + " has " +
                           std::to_string(file.chains[0][0].size()),
                       reader.path());
    }
    shortest = std::min(shortest, n);
  }
  for (size_t c = 0; c < file.chains.size(); ++c) {
    if (file.chains[c][0].size() == shortest) continue;
    notes.push_back(reader.path() + ": chain " + std::to_string(file.chain_ids[c]) +
                    " truncated from " + std::to_string(file.chains[c][0].size()) + " to " +
                    std::to_string(shortest) + " draws (the common length of an interrupted run)");
    for (std::vector<double>& column : file.chains[c]) column.resize(shortest);
  }
  return file;
}

using ChainColumns = std::vector<std::vector<double>>;

/// Notes chains whose draws are bit for bit those of an earlier chain: merged runs made with the
/// same seed and the same (or no) --chain-offset, which would fake agreement between chains.
void note_identical_chains(const std::vector<const ChainColumns*>& chains,
                           std::vector<std::string>& notes) {
  std::map<std::vector<double>, size_t> first_seen;  // a chain's first column identifies it
  for (size_t c = 0; c < chains.size(); ++c) {
    auto [it, inserted] = first_seen.emplace((*chains[c])[0], c);
    if (!inserted && *chains[it->second] == *chains[c]) {
      notes.push_back("merged chains " + std::to_string(it->second + 1) + " and " +
                      std::to_string(c + 1) +
                      " are identical: slices of one job need the same seed and distinct "
                      "--chain-offset");
    }
  }
}

}  // namespace

bool is_sampler_statistic(const std::string& name) {
  return name.size() > 2 && ends_with(name, "__");
}

LongDraws read_draws(const std::vector<std::string>& paths, std::vector<std::string>& notes) {
  if (paths.empty()) throw InputError("no draws file given", "ebmc diagnose");
  std::vector<FileDraws> files;
  for (const std::string& path : paths) {
    files.push_back(read_file(path, notes));
    if (files.back().names != files.front().names) {
      throw InputError("columns differ from those of " + paths.front(), path);
    }
  }
  LongDraws draws;
  draws.names = files.front().names;
  std::vector<const ChainColumns*> chains;
  for (size_t f = 0; f < files.size(); ++f) {
    for (size_t c = 0; c < files[f].chains.size(); ++c) {
      chains.push_back(&files[f].chains[c]);
      // One file keeps its chain ids; merged files number their chains in order.
      draws.chain_ids.push_back(files.size() == 1 ? files[f].chain_ids[c]
                                                  : static_cast<long long>(chains.size()));
    }
  }
  if (files.size() > 1) note_identical_chains(chains, notes);
  const size_t iterations = (*chains.front())[0].size();
  for (size_t f = 0; f < files.size(); ++f) {
    if (files[f].chains[0][0].size() != iterations) {
      throw InputError("chains have " + std::to_string(files[f].chains[0][0].size()) +
                           " draws, those of " + paths.front() + " " + std::to_string(iterations),
                       paths[f]);
    }
  }
  require_draws(static_cast<long long>(iterations), paths.size() == 1 ? paths[0] : "draws");
  for (size_t j = 0; j < draws.names.size(); ++j) {
    ChainMatrix m(static_cast<int64_t>(iterations), static_cast<int64_t>(chains.size()));
    for (size_t c = 0; c < chains.size(); ++c) {
      const std::vector<double>& column = (*chains[c])[j];
      for (size_t i = 0; i < iterations; ++i) {
        m(static_cast<int64_t>(i), static_cast<int64_t>(c)) = column[i];
      }
    }
    draws.parameters.push_back(std::move(m));
  }
  return draws;
}

std::vector<ParameterSummary> summarize_draws_file(const std::string& path,
                                                   const std::vector<std::string>& names,
                                                   double budget_bytes) {
  // Pass 1: the header, the chains in first-seen order and their lengths.
  const bool partial = is_partial_file(path);
  std::vector<size_t> columns;
  size_t columns_in_file = 0;
  std::map<long long, int64_t> chain_index;
  std::vector<int64_t> lengths;
  {
    CsvReader reader(path);
    std::vector<std::string> header, fields;
    if (!reader.next_row(header)) throw InputError("file is empty", path);
    columns_in_file = header.size();
    for (const std::string& name : names) {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) throw InputError("no column '" + name + "'", reader.where());
      columns.push_back(static_cast<size_t>(it - header.begin()));
    }
    while (reader.next_row(fields) && !torn_row(reader, partial)) {
      check_field_count(reader, fields, columns_in_file);
      const long long chain = parse_integer(reader, fields[0], "chain");
      auto [it, inserted] = chain_index.emplace(chain, static_cast<int64_t>(lengths.size()));
      if (inserted) lengths.push_back(0);
      ++lengths[static_cast<size_t>(it->second)];
    }
  }
  if (lengths.empty()) throw InputError("file has a header but no draws", path);
  const int64_t chains = static_cast<int64_t>(lengths.size());
  const int64_t iterations = *std::min_element(lengths.begin(), lengths.end());
  require_draws(iterations, path);
  const double column_bytes = 8.0 * static_cast<double>(iterations * chains);
  const size_t batch = static_cast<size_t>(std::max(1.0, std::floor(budget_bytes / column_bytes)));
  std::vector<ParameterSummary> out;
  // One pass per batch of columns.
  for (size_t first = 0; first < names.size(); first += batch) {
    const size_t count = std::min(batch, names.size() - first);
    std::vector<ChainMatrix> matrices(count, ChainMatrix(iterations, chains));
    std::vector<int64_t> filled(static_cast<size_t>(chains), 0);
    CsvReader reader(path);
    std::vector<std::string> fields;
    reader.next_row(fields);  // header
    while (reader.next_row(fields) && !torn_row(reader, partial)) {
      const int64_t c = chain_index.at(parse_integer(reader, fields[0], "chain"));
      int64_t& i = filled[static_cast<size_t>(c)];
      if (i >= iterations) continue;
      for (size_t k = 0; k < count; ++k) {
        matrices[k](i, c) = reader.parse_number(fields[columns[first + k]], names[first + k]);
      }
      ++i;
    }
    std::vector<std::string> batch_names(
        names.begin() + static_cast<std::ptrdiff_t>(first),
        names.begin() + static_cast<std::ptrdiff_t>(first + count));
    for (ParameterSummary& s : summarize_all(batch_names, matrices)) out.push_back(std::move(s));
  }
  return out;
}

LongDraws read_long_draws(const std::string& path) {
  std::vector<std::string> notes;
  return read_draws({path}, notes);
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

void write_long_rows(std::ostream& out, int64_t iter, const torch::Tensor& x, int64_t first_chain) {
  torch::Tensor values = x.to(torch::kFloat64).contiguous();
  const double* data = values.data_ptr<double>();
  const int64_t chains = values.size(0);
  const int64_t dim = values.size(1);
  // One line at a time into a buffer; every value in its shortest form that reads back as the
  // same double (std::to_chars), e.g. 0.1 rather than 0.10000000000000001.
  std::string line;
  char number[32];
  for (int64_t c = 0; c < chains; ++c) {
    line = std::to_string(first_chain + c + 1) + ',' + std::to_string(iter);
    for (int64_t d = 0; d < dim; ++d) {
      line += ',';
      const double value = data[c * dim + d];
      if (std::isnan(value)) {
        line += "nan";
      } else {
        line.append(number, std::to_chars(number, number + sizeof(number), value).ptr);
      }
    }
    line += '\n';
    out << line;
  }
}

CsvDrawWriter::CsvDrawWriter(std::string path, std::vector<std::string> names,
                             std::vector<std::string> stat_names)
    : path_(std::move(path)), names_(std::move(names)), with_stats_(!stat_names.empty()) {
  names_.insert(names_.end(), stat_names.begin(), stat_names.end());
}

void CsvDrawWriter::on_start(const RunOptions& options, const State& /*initial*/) {
  first_chain_ = options.first_chain();
  out_.open(path_ + ".partial", std::ios::trunc);
  if (!out_) throw InputError("cannot write draws", path_ + ".partial");
  write_long_header(out_, names_);
}

void CsvDrawWriter::on_draw(int64_t draw, const torch::Tensor& recorded,
                            const torch::Tensor& stats) {
  write_long_rows(out_, draw + 1, with_stats_ ? torch::cat({recorded, stats}, 1) : recorded,
                  first_chain_);
}

void CsvDrawWriter::on_finish(const RunResult& result) {
  out_.close();
  if (!out_) throw InputError("cannot write draws", path_ + ".partial");
  if (result.interrupted) return;  // the draws so far stay in path.partial, whole rows only
  if (std::rename((path_ + ".partial").c_str(), path_.c_str()) != 0) {
    throw InputError("cannot write draws", path_);
  }
}

namespace {

/// Sites as values: 0/1 for binary [B, D] states, the value index for one-hot [B, D, K] ones.
torch::Tensor site_values(const torch::Tensor& x) {
  return (x.dim() == 3 ? x.argmax(2) : x).to(torch::kFloat64);
}

}  // namespace

StatesCsvWriter::StatesCsvWriter(std::string path) : path_(std::move(path)) {}

void StatesCsvWriter::on_start(const RunOptions& options, const State& initial) {
  thin_ = options.thin();
  first_chain_ = options.first_chain();
  out_.open(path_, std::ios::trunc);
  if (!out_) throw InputError("cannot write states", path_);
  std::vector<std::string> names;
  for (int64_t i = 1; i <= initial.x.size(1); ++i) names.push_back("s." + std::to_string(i));
  write_long_header(out_, names);
}

void StatesCsvWriter::on_transition(Phase phase, int64_t iteration, const State& state,
                                    const Info& /*info*/) {
  if (phase != Phase::kSampling || (iteration + 1) % thin_ != 0) return;
  write_long_rows(out_, iteration / thin_ + 1, site_values(state.x), first_chain_);
}

void StatesCsvWriter::on_finish(const RunResult& /*result*/) {
  out_.close();
  if (!out_) throw InputError("cannot write states", path_);
}

WarmupCsvWriter::WarmupCsvWriter(std::string path, std::vector<std::string> names,
                                 std::vector<std::string> stat_names)
    : path_(std::move(path)), names_(std::move(names)) {
  names_.insert(names_.end(), stat_names.begin(), stat_names.end());
}

void WarmupCsvWriter::on_start(const RunOptions& options, const State& /*initial*/) {
  first_chain_ = options.first_chain();
  out_.open(path_, std::ios::trunc);
  if (!out_) throw InputError("cannot write warmup draws", path_);
  write_long_header(out_, names_);
}

void WarmupCsvWriter::on_transition(Phase phase, int64_t iteration, const State& state,
                                    const Info& info) {
  if (phase != Phase::kWarmup) return;
  write_long_rows(out_, iteration + 1,
                  torch::cat({state.x.to(torch::kFloat64), sampler_stats_row(state, info)}, 1),
                  first_chain_);
}

void WarmupCsvWriter::on_finish(const RunResult& /*result*/) {
  out_.close();
  if (!out_) throw InputError("cannot write warmup draws", path_);
}

}  // namespace ebmc
