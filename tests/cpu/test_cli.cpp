// `w4a16` argument parsing: defaults, every option, and exit code 2 with a message on bad input.
#include <gtest/gtest.h>

#include <vector>

#include "cli_args.h"

using namespace w4a16::cli;

namespace {
int parse_args(std::vector<const char*> args, Options* o, std::string* err) {
  args.insert(args.begin(), "w4a16");
  return parse((int)args.size(), args.data(), o, err);
}
}  // namespace

TEST(Cli, DefaultsAreTheOriginalBenchmarkShape) {
  Options o;
  std::string err;
  ASSERT_EQ(parse_args({"bench"}, &o, &err), 0) << err;
  EXPECT_EQ(o.cmd, Command::Bench);
  EXPECT_EQ(o.m, 64);
  EXPECT_EQ(o.n, 256);
  EXPECT_EQ(o.k, 256);
  EXPECT_EQ(o.group, 128);
  EXPECT_FALSE(o.bf16);
  EXPECT_EQ(o.backend, "auto");
}

TEST(Cli, EveryBenchOption) {
  Options o;
  std::string err;
  ASSERT_EQ(parse_args({"bench", "-m", "7", "-n", "264", "-k", "1184", "--group", "channel", "--dtype", "bf16",
                        "--zeros", "--bias", "--warmup", "3", "--iters", "9", "--backend", "sm80", "--config",
                        "r128_t8", "--json", "out.json", "--seed", "42"},
                       &o, &err),
            0)
      << err;
  EXPECT_EQ(o.m, 7);
  EXPECT_EQ(o.n, 264);
  EXPECT_EQ(o.k, 1184);
  EXPECT_EQ(o.group, 0);
  EXPECT_TRUE(o.bf16 && o.zeros && o.bias && o.seed_set);
  EXPECT_FALSE(o.sweep);
  EXPECT_EQ(o.warmup, 3);
  EXPECT_EQ(o.iters, 9);
  EXPECT_EQ(o.backend, "sm80");
  EXPECT_EQ(o.config, "r128_t8");
  EXPECT_EQ(o.json, "out.json");
  EXPECT_EQ(o.seed, 42u);
}

TEST(Cli, SweepTakesItsOwnShapesAndTokenCounts) {
  Options o;
  std::string err;
  ASSERT_EQ(parse_args({"bench", "--sweep", "--shapes", "4096x4096,6144x4096", "--ms", "1,16"}, &o, &err), 0) << err;
  EXPECT_TRUE(o.sweep);
  ASSERT_EQ(o.shapes.size(), 2u);
  EXPECT_EQ(o.shapes[0].first, 4096);
  EXPECT_EQ(o.shapes[0].second, 4096);
  EXPECT_EQ(o.shapes[1].first, 6144);
  EXPECT_EQ(o.shapes[1].second, 4096);
  EXPECT_EQ(o.m_list, (std::vector<int64_t>{1, 16}));
  EXPECT_EQ(o.cooldown_ms, 1000);
  Options c;
  ASSERT_EQ(parse_args({"bench", "--sweep", "--cooldown", "0"}, &c, &err), 0) << err;
  EXPECT_EQ(c.cooldown_ms, 0);
  EXPECT_EQ(c.settle_ms, 300);
  Options d;
  ASSERT_EQ(parse_args({"bench", "-m", "16", "--settle", "0"}, &d, &err), 0) << err;  // with or without --sweep
  EXPECT_EQ(d.settle_ms, 0);
  EXPECT_FALSE(d.time_unverified);
  Options e;
  ASSERT_EQ(parse_args({"bench", "-m", "16", "--time-unverified"}, &e, &err), 0) << err;
  EXPECT_TRUE(e.time_unverified);
  Options f;
  EXPECT_EQ(parse_args({"tune", "-m", "16", "-n", "4096", "-k", "4096", "--time-unverified"}, &f, &err), 2);  // bench only
}

TEST(Cli, BadArgumentsExitWithTwo) {
  const std::vector<std::vector<const char*>> bad = {
      {"frobnicate"},
      {"bench", "--bogus"},
      {"bench", "-m"},
      {"bench", "-m", "0"},
      {"bench", "-m", "12x"},
      {"bench", "-n", "100"},          // N % 8
      {"bench", "-k", "100"},          // K % 32
      {"bench", "-k", "320"},          // K % group (128)
      {"bench", "--group", "48"},
      {"bench", "--dtype", "fp32"},
      {"bench", "--backend", "tpu"},
      {"bench", "--iters", "0"},
      {"bench", "--seed", "-1x"},
      {"info", "--sweep"},
      {"bench", "--shapes", "4096x4096"},                   // without --sweep
      {"bench", "--ms", "1,16"},                            // without --sweep
      {"bench", "--cooldown", "500"},                       // without --sweep
      {"bench", "--sweep", "--cooldown", "-1"},
      {"bench", "--sweep", "--cooldown", "60001"},
      {"bench", "--settle", "-5"},
      {"bench", "--settle", "1s"},
      {"bench", "--sweep", "--shapes", "4096x100"},         // K % 32
      {"bench", "--sweep", "--shapes", "4096*4096"},
      {"bench", "--sweep", "--shapes", "4096x4096,"},
      {"bench", "--sweep", "--ms", "0"},
      {"bench", "--sweep", "-m", "16"},                     // the sweep's M come from --ms
      {"bench", "--sweep", "--shapes", " 4096x+4096"},
      {"check", "-m", "4"},
      {"tune", "-n", "4096", "-k", "4096"},  // -m missing
      {"tune", "-m", "1,,2", "-n", "4096", "-k", "4096"},
  };
  for (const auto& args : bad) {
    Options o;
    std::string err;
    EXPECT_EQ(parse_args(args, &o, &err), 2) << args[0] << " " << (args.size() > 1 ? args[1] : "");
    EXPECT_FALSE(err.empty());
  }
}

TEST(Cli, ShapeMessagesComeFromTheLibrary) {
  Options o;
  std::string err;
  ASSERT_EQ(parse_args({"bench", "-k", "320"}, &o, &err), 2);
  EXPECT_NE(err.find("K=320 is not a multiple of group size 128"), std::string::npos) << err;
}

TEST(Cli, TuneTakesAListOfM) {
  Options o;
  std::string err;
  ASSERT_EQ(parse_args({"tune", "-m", "1,16,64", "-n", "4096", "-k", "4096", "--out", "t.tsv"}, &o, &err), 0) << err;
  EXPECT_EQ(o.m_list, (std::vector<int64_t>{1, 16, 64}));
  EXPECT_EQ(o.out, "t.tsv");
}

TEST(Cli, HelpEverywhere) {
  for (const char* c : {"info", "bench", "check", "tune"}) {
    Options o;
    std::string err;
    ASSERT_EQ(parse_args({c, "--help"}, &o, &err), 0) << c;
    EXPECT_TRUE(o.help);
    EXPECT_NE(usage(o.cmd).find("usage: w4a16"), std::string::npos);
  }
  Options o;
  std::string err;
  ASSERT_EQ(parse_args({"--help"}, &o, &err), 0);
  EXPECT_EQ(o.cmd, Command::Help);
}
