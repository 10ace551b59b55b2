#!/usr/bin/env bash
# source-id.sh -- a hash of everything a build depends on, so a carried build is used only for the
# sources it was built from.
cd "$(dirname "$0")/.." && find CMakeLists.txt include src tests tools -type f | LC_ALL=C sort | xargs sha1sum | sha1sum | cut -c1-16
