// tune_cache.cpp -- text file, one tab-separated line per tuned shape:
//   device  family  dtype  group  zeros  m  n  k  config_name  [us]
// after a first line "w4a16-tune 1" (kTuneHeader). Config names (not indices) are stored so a
// reordered table cannot silently change the meaning of a cache.
#include "dispatch/tune_cache.h"

#include <cerrno>
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
std::string g_env_status;  // the env load's outcome ("" until it ran)

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

// Files written on Windows end their lines in "\r\n"; getline leaves the '\r'.
bool read_line(std::istream& in, std::string* line) {
  if (!std::getline(in, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// A decimal integer, the whole cell, in int64 range: no sign but '-', no leading blank (strtoll
// would take both).
bool parse_int(const std::string& s, int64_t* v) {
  if (s.empty() || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))) return false;
  char* end = nullptr;
  errno = 0;
  *v = std::strtoll(s.c_str(), &end, 10);
  return errno != ERANGE && *end == '\0';
}

// Parses the whole file before touching the table, so a bad file changes nothing.
w4a16_status load_locked(const char* path) {
  std::ifstream in(path);
  if (!in) return fail(W4A16_ERR_IO, "cannot open tuning cache '%s'", path);
  std::string line;
  if (!read_line(in, &line) || line != kTuneHeader)
    return fail(W4A16_ERR_IO, "'%s' is not a w4a16 tuning cache (first line must be \"%s\")", path, kTuneHeader);
  std::map<Key, int> entries;
  int lineno = 1;
  while (read_line(in, &line)) {
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
    const char* names[5] = {"group", "zeros", "m", "n", "k"};
    int64_t v[5];  // fields 3..7
    for (int i = 0; i < 5; ++i)
      if (!parse_int(f[3 + i], &v[i]))
        return fail(W4A16_ERR_IO, "%s:%d: %s '%s' is not an integer", path, lineno, names[i], f[3 + i].c_str());
    const int64_t zeros = v[1], m = v[2], n = v[3], k = v[4];
    for (int i = 2; i < 5; ++i)
      if (v[i] < 1 || v[i] > kMaxDim)
        return fail(W4A16_ERR_IO, "%s:%d: %s=%lld is out of range; accepted: 1 to %lld", path, lineno, names[i],
                    (long long)v[i], (long long)kMaxDim);
    // Lookups use the resolved group (per channel = K, as `w4a16 tune` writes it); 0, the API's
    // per-channel value, is read as K so such a line is not dead.
    const int64_t group = v[0] == W4A16_GROUP_PER_CHANNEL ? k : v[0];
    if (group != 32 && group != 64 && group != 128 && group != 256 && group != k)
      return fail(W4A16_ERR_IO, "%s:%d: group=%lld is not accepted; accepted: 32, 64, 128, 256, or K=%lld (per "
                  "channel)", path, lineno, (long long)group, (long long)k);
    if (zeros != 0 && zeros != 1)
      return fail(W4A16_ERR_IO, "%s:%d: zeros=%lld is not accepted; accepted: 0, 1", path, lineno, (long long)zeros);
    entries[Key{f[0], (int)fam, f[2] == "bf16", group, zeros != 0, m, n, k}] = cfgi;
  }
  g_entries = std::move(entries);
  return W4A16_OK;
}

// Loads $W4A16_TUNE_CACHE at the first lookup (unless the API loaded or cleared the table first) and
// records the outcome for tune_env_status: a file that fails here is dropped without an error.
void check_env_locked() {
  if (g_env_checked) return;
  g_env_checked = true;
  const char* path = std::getenv("W4A16_TUNE_CACHE");
  if (!path || !*path) return;
  const std::string keep = w4a16_last_error();
  g_env_status = std::string("W4A16_TUNE_CACHE=") + path + ": ";  // the path read, whatever the variable says later
  if (load_locked(path) == W4A16_OK) {
    const size_t n = g_entries.size();
    g_env_status += std::to_string(n) + (n == 1 ? " entry" : " entries") + " loaded";
  } else {
    g_env_status += std::string("not loaded: ") + w4a16_last_error();
    g_entries.clear();
  }
  fail(W4A16_OK, "%s", keep.c_str());  // a failed env load is not this call's error
}

}  // namespace

int tune_lookup(const TuneKey& key) {
  std::lock_guard<std::mutex> lock(g_mu);
  check_env_locked();
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

std::string tune_env_status() {
  std::lock_guard<std::mutex> lock(g_mu);
  check_env_locked();
  if (!g_env_status.empty()) return g_env_status;
  const char* path = std::getenv("W4A16_TUNE_CACHE");
  if (!path || !*path) return "";
  return std::string("W4A16_TUNE_CACHE=") + path + ": not read (w4a16_tune_cache_load or _clear ran before the first "
         "product, or the variable was set after it)";
}

void tune_reset_for_tests() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_env_checked = false;
  g_env_status.clear();
  g_entries.clear();
}

w4a16_status tune_open_for_append(const char* path, std::ofstream* out) {
  bool fresh = true, ends_in_newline = true;
  {
    std::ifstream in(path, std::ios::binary);
    if (in && in.peek() != std::ifstream::traits_type::eof()) {
      fresh = false;
      std::string first;
      read_line(in, &first);
      if (first != kTuneHeader)
        return fail(W4A16_ERR_IO, "'%s' is not a w4a16 tuning cache (its first line is not \"%s\"): lines appended "
                    "to it would never load; name a new or empty file", path, kTuneHeader);
      in.clear();
      in.seekg(-1, std::ios::end);
      ends_in_newline = in.get() == '\n';
    }
  }
  out->open(path, std::ios::app);
  if (!*out) return fail(W4A16_ERR_IO, "cannot write '%s'", path);
  if (fresh) *out << kTuneHeader << "\n# device\tfamily\tdtype\tgroup\tzeros\tm\tn\tk\tconfig\tus\n";
  else if (!ends_in_newline) *out << "\n";  // else the first line appended would join the file's last
  return W4A16_OK;
}

}  // namespace w4a16
