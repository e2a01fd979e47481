#!/bin/sh
# CTest `InstallAndExamples`: installs the build into a scratch prefix, builds examples/cpp
# against it with find_package(ebmc) (exported targets + version file), runs both programs and
# the installed `ebmc` tool (which must find the installed data sets).
# Usage: tools/test_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/ebmc/ebmcConfigVersion.cmake"
cmake -S "$source/examples/cpp" -B "$work/examples" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/examples" -j "$(nproc)" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/examples/sample_builtin" 2 > "$work/builtin.txt"
grep -q "^intercept" "$work/builtin.txt" || { cat "$work/builtin.txt"; exit 1; }
"$work/examples/custom_target" > "$work/custom.txt" || { cat "$work/custom.txt"; exit 1; }
grep -q "moments ok" "$work/custom.txt"
# The version file refuses an incompatible request.
mkdir "$work/v9"
printf 'cmake_minimum_required(VERSION 3.24)\nproject(v9 LANGUAGES CXX)\nfind_package(ebmc 9.0 REQUIRED)\n' \
  > "$work/v9/CMakeLists.txt"
if cmake -S "$work/v9" -B "$work/v9/build" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/v9.log" 2>&1; then
  echo "find_package(ebmc 9.0) should have failed"; exit 1
fi
grep -q "0.1.0" "$work/v9.log"
# The installed tool runs a short sample.
(cd "$work" && "$work/prefix/bin/ebmc" sample --target gaussian:d=2 --draws 50 --warmup 50 \
   --out "$work/run" --no-progress > /dev/null 2>&1)
test -f "$work/run/draws.csv"
echo "installed, built and ran both examples"
