// tune_cache.cpp -- text file, one tab-separated line per tuned shape:
//   device  family  dtype  group  zeros  m  n  k  config_name  [us]
// after a first line "w4a16-tune 1". Config names (not indices) are stored so a reordered table
// cannot silently change the meaning of a cache.
#include "dispatch/tune_cache.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>
#include <vector>

#include "dispatch/configs.h"

namespace w4a16 {
namespace {

using Key = std::tuple<std::string, int, bool, int64_t, bool, int64_t, int64_t, int64_t>;

std::mutex g_mu;
std::map<Key, int> g_entries;
bool g_env_checked = false;

Key key_of(const TuneKey& k) { return Key{k.device, (int)k.family, k.bf16, k.group, k.zeros, k.m, k.n, k.k}; }

int config_by_name(w4a16_family f, const std::string& name) {
  if (f == W4A16_FAMILY_SM90) {
    for (int i = 0; i < cfg::kSm90ConfigCount; ++i)
      if (name == cfg::kSm90Configs[i].name) return i;
  } else if (f == W4A16_FAMILY_SM80) {
    for (int i = 0; i < cfg::kSm80ConfigCount; ++i)
      if (name == cfg::kSm80Configs[i].name) return i;
  }
  return -1;
}

w4a16_family family_by_name(const std::string& s) {
  if (s == "sm90") return W4A16_FAMILY_SM90;
  if (s == "sm80") return W4A16_FAMILY_SM80;
  return W4A16_FAMILY_AUTO;
}

// Parses the whole file before touching the table, so a bad file changes nothing.
w4a16_status load_locked(const char* path) {
  std::ifstream in(path);
  if (!in) return fail(W4A16_ERR_IO, "cannot open tuning cache '%s'", path);
  std::string line;
  if (!std::getline(in, line) || line.rfind("w4a16-tune 1", 0) != 0)
    return fail(W4A16_ERR_IO, "'%s' is not a w4a16 tuning cache (first line must be \"w4a16-tune 1\")", path);
  std::map<Key, int> entries;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() < 9) return fail(W4A16_ERR_IO, "%s:%d: expected 9 tab-separated fields, got %zu", path, lineno, f.size());
    const w4a16_family fam = family_by_name(f[1]);
    const int cfgi = config_by_name(fam, f[8]);
    if (fam == W4A16_FAMILY_AUTO || cfgi < 0 || (f[2] != "fp16" && f[2] != "bf16"))
      return fail(W4A16_ERR_IO, "%s:%d: unknown family '%s', dtype '%s' or config '%s'", path, lineno, f[1].c_str(),
                  f[2].c_str(), f[8].c_str());
    const int fields[5] = {3, 4, 5, 6, 7};  // group, zeros, m, n, k
    int64_t v[5];
    for (int i = 0; i < 5; ++i) {
      const std::string& s = f[fields[i]];
      char* end = nullptr;
      v[i] = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end) return fail(W4A16_ERR_IO, "%s:%d: '%s' is not an integer", path, lineno, s.c_str());
    }
    entries[Key{f[0], (int)fam, f[2] == "bf16", v[0], v[1] != 0, v[2], v[3], v[4]}] = cfgi;
  }
  g_entries = std::move(entries);
  return W4A16_OK;
}

}  // namespace

int tune_lookup(const TuneKey& key) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_env_checked) {
    g_env_checked = true;
    if (const char* path = std::getenv("W4A16_TUNE_CACHE"); path && *path) {
      const std::string keep = w4a16_last_error();
      if (load_locked(path) != W4A16_OK) g_entries.clear();
      fail(W4A16_OK, "%s", keep.c_str());  // a failed env load is not this call's error
    }
  }
  const auto it = g_entries.find(key_of(key));
  return it == g_entries.end() ? -1 : it->second;
}

w4a16_status tune_load(const char* path) {
  if (!path) return fail(W4A16_ERR_NULL_POINTER, "path is NULL");
  std::lock_guard<std::mutex> lock(g_mu);
  g_env_checked = true;
  return load_locked(path);
}

void tune_clear() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_env_checked = true;
  g_entries.clear();
}

}  // namespace w4a16
